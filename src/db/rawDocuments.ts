import { sql } from 'kysely';
import type { Db } from './database.ts';
import { chunk, upsertRows } from './rows.ts';

/** What storage remembers of a stored raw document, to decide whether a new copy changed. */
export interface StoredVersion {
  contentHash: string;
  deleted: boolean;
}

export interface RawWrite {
  docId: string;
  day: string | null;
  utcOffsetMinutes: number | null;
  /** Canonical JSON text of the document. */
  json: string;
  contentHash: string;
}

const LOOKUP_CHUNK = 1_000;

export async function loadStoredVersions(
  db: Db,
  userId: number,
  dataType: string,
  docIds: readonly string[],
): Promise<Map<string, StoredVersion>> {
  const found = new Map<string, StoredVersion>();
  for (const ids of chunk(docIds, LOOKUP_CHUNK)) {
    const rows = await db
      .selectFrom('raw_document')
      .select(['doc_id', 'content_hash', 'deleted_at'])
      .where('user_id', '=', userId)
      .where('data_type', '=', dataType)
      .where('doc_id', 'in', ids)
      .execute();
    for (const r of rows) {
      found.set(r.doc_id, { contentHash: r.content_hash, deleted: r.deleted_at !== null });
    }
  }
  return found;
}

/** Insert or replace raw documents; a document that reappears is no longer deleted. */
export async function upsertRawDocuments(
  db: Db,
  userId: number,
  dataType: string,
  docs: readonly RawWrite[],
  fetchedAt: Date,
): Promise<void> {
  await upsertRows(
    db,
    'raw_document',
    ['user_id', 'data_type', 'doc_id'],
    docs.map((d) => ({
      user_id: userId,
      data_type: dataType,
      doc_id: d.docId,
      day: d.day,
      utc_offset_minutes: d.utcOffsetMinutes,
      document: d.json,
      content_hash: d.contentHash,
      fetched_at: fetchedAt.toISOString(),
      deleted_at: null,
    })),
  );
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
