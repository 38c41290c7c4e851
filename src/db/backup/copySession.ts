import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { OpenDatabase } from '../database.ts';

/**
 * One connection inside one transaction, able to run COPY in both directions. Backup and
 * restore need exactly this and nothing of Kysely: every table goes through COPY, PostgreSQL's
 * own lossless text format, on an ordinary connection, so no server-side tool (pg_dump) is
 * needed and any server (the embedded one, a managed one) works.
 */
export interface CopySession {
  query<R>(text: string, params?: unknown[]): Promise<R[]>;
  /** `COPY ... TO STDOUT`, as a stream of chunks. */
  copyOut(statement: string): AsyncIterable<Buffer>;
  /** `COPY ... FROM STDIN`, fed from `source`. */
  copyIn(statement: string, source: AsyncIterable<Buffer>): Promise<void>;
}

export type TransactionMode = 'snapshot' | 'write';

/** The part of PGlite this file uses (structural, so the seam does not depend on its package). */
interface PgliteTransaction {
  query<R>(
    text: string,
    params?: unknown[],
    options?: { blob?: Blob },
  ): Promise<{ rows: R[]; blob?: Blob }>;
  exec(text: string): Promise<unknown>;
}
interface PgliteLike {
  transaction<T>(work: (tx: PgliteTransaction) => Promise<T>): Promise<T>;
}

/**
 * Run `work` in one transaction: 'snapshot' is REPEATABLE READ READ ONLY (a consistent view
 * while the app keeps writing), 'write' commits only if `work` returns.
 */
export async function withCopySession<T>(
  open: OpenDatabase,
  mode: TransactionMode,
  work: (session: CopySession) => Promise<T>,
): Promise<T> {
  if (open.pool) return withPgSession(open.pool, mode, work);
  // An in-process PGlite has no pool: it gets its COPY through /dev/blob.
  const pglite = (open as { pglite?: PgliteLike }).pglite;
  if (pglite) return withPgliteSession(pglite, mode, work);
  throw new TypeError('withCopySession: the database has neither a pool nor a PGlite instance');
}

const BEGIN: Record<TransactionMode, string> = {
  snapshot: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  write: 'BEGIN',
};

async function withPgSession<T>(
  pool: pg.Pool,
  mode: TransactionMode,
  work: (session: CopySession) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(BEGIN[mode]);
    const session: CopySession = {
      async query<R>(text: string, params: unknown[] = []) {
        return (await client.query(text, params)).rows as R[];
      },
      copyOut(statement) {
        return client.query(copyTo(statement));
      },
      async copyIn(statement, source) {
        await pipeline(Readable.from(source), client.query(copyFrom(statement)));
      },
    };
    const result = await work(session);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * PGlite has no COPY protocol stream: it reads and writes COPY data through the pseudo-file
 * /dev/blob, one table at a time in memory.
 */
async function withPgliteSession<T>(
  pglite: PgliteLike,
  mode: TransactionMode,
  work: (session: CopySession) => Promise<T>,
): Promise<T> {
  return pglite.transaction(async (tx) => {
    if (mode === 'snapshot') {
      await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    }
    const session: CopySession = {
      async query<R>(text: string, params: unknown[] = []) {
        return (await tx.query<R>(text, params)).rows;
      },
      async *copyOut(statement) {
        const result = await tx.query(statement.replace(/TO STDOUT$/, "TO '/dev/blob'"));
        if (result.blob) yield Buffer.from(await result.blob.arrayBuffer());
      },
      async copyIn(statement, source) {
        const chunks: Buffer[] = [];
        await pipeline(
          Readable.from(source),
          new Writable({
            write(chunk: Buffer, _enc, done) {
              chunks.push(chunk);
              done();
            },
          }),
        );
        await tx.query(statement.replace(/FROM STDIN$/, "FROM '/dev/blob'"), [], {
          blob: new Blob([Buffer.concat(chunks)]),
        });
      },
    };
    return work(session);
  });
}
