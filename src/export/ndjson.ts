import { Readable } from 'node:stream';
import type { Db } from '../db/database.ts';
import { listExportDocuments } from '../db/queries/listExportDocuments.ts';
import type { ExportOptions } from './options.ts';

/**
 * One user's raw documents as NDJSON, one `{dataType, id, day, fetchedAt, document}` per line,
 * pulled one batch at a time as the reader consumes them.
 */
export function ndjsonExport(db: Db, userId: number, opts: ExportOptions): Readable {
  const batches = listExportDocuments(db, userId, {
    types: opts.types,
    ...(opts.since ? { since: opts.since } : {}),
    ...(opts.until ? { until: opts.until } : {}),
  });
  async function* lines() {
    for await (const batch of batches) {
      yield batch.map((d) => `${JSON.stringify(d)}\n`).join('');
    }
  }
  return Readable.from(lines());
}
