import type pg from 'pg';
import type { OpenDatabase } from './database.ts';
import type { Doc } from './projections/values.ts';
import { heartRateSeries } from './series.ts';

/**
 * COPY heart-rate rows straight into heart_rate_sample: the speed baseline storeTimeSeries is
 * benchmarked against. No raw documents, no conflict handling (the rows must be new), no
 * validation beyond what parsing needs. Returns the number of rows copied. Benchmarks only: use
 * it for a user whose samples never go through storeTimeSeries, which relies on every sample
 * having its raw day document.
 */
export async function copyHeartRateSamples(
  open: OpenDatabase,
  userId: number,
  rows: readonly Record<string, unknown>[],
): Promise<number> {
  const lines: string[] = [];
  for (const row of rows) {
    const p = heartRateSeries.parse(row as Doc);
    lines.push(`${userId}\t${p.iso}\t${p.bpm}\t${escapeCopyText(p.source)}\n`);
  }
  const text = lines.join('');
  const statement = 'COPY heart_rate_sample (user_id, ts, bpm, source) FROM STDIN';
  const client = await open.pool.connect();
  try {
    return await copyFromStdin(client, statement, Buffer.from(text));
  } finally {
    client.release();
  }
}

/** COPY text format: backslash, tab, newline and carriage return are escaped. */
function escapeCopyText(v: string): string {
  return v.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** The part of pg's Connection a COPY FROM STDIN needs (present in pg 8, not in its types). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

const COPY_CHUNK = 64 * 1024;

/**
 * COPY ... FROM STDIN through pg's Submittable hook, the mechanism pg-copy-streams uses: pg hands
 * the active query the CopyInResponse and we answer with CopyData messages and CopyDone.
 */
class CopyFromStdin implements pg.Submittable {
  readonly text: string;
  readonly data: Buffer;
  callback: ((error: Error | null, rowCount?: number) => void) | undefined;
  #rowCount = 0;
  #done = false;

  constructor(text: string, data: Buffer) {
    this.text = text;
    this.data = data;
  }

  submit(connection: pg.Connection): void {
    (connection as unknown as CopyConnection).query(this.text);
  }

  handleCopyInResponse(connection: pg.Connection): void {
    const c = connection as unknown as CopyConnection;
    for (let i = 0; i < this.data.length; i += COPY_CHUNK) {
      c.sendCopyFromChunk(this.data.subarray(i, i + COPY_CHUNK));
    }
    c.endCopyFrom();
  }

  handleCommandComplete(message: { text?: string }): void {
    const n = /^COPY (\d+)/.exec(message.text ?? '');
    if (n) this.#rowCount = Number(n[1]);
  }

  handleReadyForQuery(): void {
    this.#finish(null);
  }

  handleError(error: Error): void {
    this.#finish(error);
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handleCopyData(): void {}
  handlePortalSuspended(): void {}

  #finish(error: Error | null): void {
    if (this.#done) return;
    this.#done = true;
    this.callback?.(error, this.#rowCount);
  }
}

function copyFromStdin(client: pg.PoolClient, text: string, data: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const copy = new CopyFromStdin(text, data);
    copy.callback = (error, rowCount) => (error ? reject(error) : resolve(rowCount ?? 0));
    client.query(copy);
  });
}
