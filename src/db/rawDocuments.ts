import { sql } from 'kysely';
import type { Db } from './database.ts';
import { chunk } from './rows.ts';

export interface RawWrite {
  docId: string;
  day: string | null;
  utcOffsetMinutes: number | null;
  /** JSON text of the document (checked storable). */
  json: string;
  contentHash: string;
}

/** What a write did: documents new to storage, and documents whose stored copy it replaced. */
export interface RawWriteResult {
  inserted: Set<string>;
  updated: Set<string>;
}

const LOOKUP_CHUNK = 1_000;
const DOCUMENTS_PER_STATEMENT = 1_000;

/**
 * Insert raw documents, or replace a stored copy whose content differs (jsonb equality: the same
 * fields and values in another key order are the same document) or that was marked deleted (a
 * document that reappears is live again). A copy identical to the stored one is left alone.
 * One statement per 1,000 documents; returns which were inserted and which replaced.
 */
export async function writeRawDocuments(
  db: Db,
  userId: number,
  dataType: string,
  docs: readonly RawWrite[],
  fetchedAt: Date,
): Promise<RawWriteResult> {
  const result: RawWriteResult = { inserted: new Set(), updated: new Set() };
  for (const part of chunk(docs, DOCUMENTS_PER_STATEMENT)) {
    // One array per column, zipped back into rows by unnest; each document's text is parsed
    // once, by jsonb's own input function (see upsertRows in rows.ts for the measurement).
    const written = await sql<{ doc_id: string; inserted: boolean }>`
      INSERT INTO raw_document AS r (user_id, data_type, doc_id, day, utc_offset_minutes, document,
        content_hash, fetched_at, deleted_at)
      SELECT ${userId}, ${dataType}, t.doc_id, t.day, t.utc_offset_minutes, t.document::jsonb,
        t.content_hash, ${fetchedAt.toISOString()}::timestamptz, NULL
      FROM unnest(${part.map((d) => d.docId)}::text[], ${part.map((d) => d.day)}::date[],
        ${part.map((d) => d.utcOffsetMinutes)}::smallint[], ${part.map((d) => d.contentHash)}::text[],
        ${part.map((d) => d.json)}::text[])
        AS t (doc_id, day, utc_offset_minutes, content_hash, document)
      ON CONFLICT (user_id, data_type, doc_id) DO UPDATE SET day = EXCLUDED.day,
        utc_offset_minutes = EXCLUDED.utc_offset_minutes, document = EXCLUDED.document,
        content_hash = EXCLUDED.content_hash, fetched_at = EXCLUDED.fetched_at, deleted_at = NULL
      WHERE r.document IS DISTINCT FROM EXCLUDED.document OR r.deleted_at IS NOT NULL
      RETURNING r.doc_id, (r.xmax = 0) AS inserted`.execute(db);
    for (const row of written.rows) {
      (row.inserted ? result.inserted : result.updated).add(row.doc_id);
    }
  }
  return result;
}

/** Set deleted_at on the given live documents; returns the ids that were marked. */
export async function markRawDeleted(
  db: Db,
  userId: number,
  dataType: string,
  docIds: readonly string[],
): Promise<string[]> {
  const marked: string[] = [];
  for (const ids of chunk(docIds, LOOKUP_CHUNK)) {
    const rows = await db
      .updateTable('raw_document')
      .set({ deleted_at: sql<Date>`now()` })
      .where('user_id', '=', userId)
      .where('data_type', '=', dataType)
      .where('doc_id', 'in', ids)
      .where('deleted_at', 'is', null)
      .returning('doc_id')
      .execute();
    for (const r of rows) marked.push(r.doc_id);
  }
  return marked;
}
