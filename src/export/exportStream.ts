import type { Readable } from 'node:stream';
import type { Db } from '../db/database.ts';
import { csvArchive } from './csvArchive.ts';
import { ndjsonExport } from './ndjson.ts';
import type { ExportOptions } from './options.ts';

export interface ExportStream {
  stream: Readable;
  contentType: string;
}

/** One user's data in the asked format: a zip of CSV tables, or raw documents as NDJSON. */
export async function exportStream(
  db: Db,
  userId: number,
  opts: ExportOptions,
): Promise<ExportStream> {
  if (opts.format === 'csv') {
    return { stream: await csvArchive(db, userId, opts), contentType: 'application/zip' };
  }
  return {
    stream: ndjsonExport(db, userId, opts),
    contentType: 'application/x-ndjson; charset=utf-8',
  };
}
