import type { Db } from '../database.ts';

export interface ExportDocument {
  dataType: string;
  id: string;
  day: string | null;
  fetchedAt: string;
  document: unknown;
}

/** Rows per query: bounds memory whatever the size of the history (a year of heart rate is ~400 documents of ~300 samples). */
export const EXPORT_BATCH_SIZE = 200;

/**
 * Every stored, non-deleted raw document of one user, in (data_type, doc_id) order, one batch
 * at a time. Keyset pagination on the primary key (user_id, data_type, doc_id): each batch is
 * an index range scan that starts after the last row of the previous one, so the cost per batch
 * stays flat and nothing is held beyond the current batch.
 */
export async function* listExportDocuments(
  db: Db,
  userId: number,
  opts: { types?: readonly string[]; since?: string; until?: string; batchSize?: number } = {},
): AsyncGenerator<ExportDocument[]> {
  const batchSize = opts.batchSize ?? EXPORT_BATCH_SIZE;
  let after: { dataType: string; docId: string } | null = null;
  for (;;) {
    let q = db
      .selectFrom('raw_document')
      .select(['data_type', 'doc_id', 'day', 'fetched_at', 'document'])
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null);
    if (opts.types && opts.types.length > 0) q = q.where('data_type', 'in', [...opts.types]);
    // Documents without a day (ring configuration) describe the ring, not a day: always kept.
    const { since, until } = opts;
    if (since) q = q.where((eb) => eb.or([eb('day', 'is', null), eb('day', '>=', since)]));
    if (until) q = q.where((eb) => eb.or([eb('day', 'is', null), eb('day', '<=', until)]));
    if (after) {
      const { dataType, docId } = after;
      q = q.where((eb) => eb(eb.refTuple('data_type', 'doc_id'), '>', eb.tuple(dataType, docId)));
    }
    const rows = await q.orderBy('data_type').orderBy('doc_id').limit(batchSize).execute();
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      dataType: r.data_type,
      id: r.doc_id,
      day: r.day,
      fetchedAt: r.fetched_at.toISOString(),
      document: r.document,
    }));
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize) return;
    after = { dataType: last.data_type, docId: last.doc_id };
  }
}
