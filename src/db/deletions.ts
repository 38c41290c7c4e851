import { sql } from 'kysely';
import type { DataType } from '../oura/routes.ts';
import { ROUTES } from '../oura/routes.ts';
import type { Db } from './database.ts';
import { PROJECTIONS } from './projections/index.ts';
import { type DocumentDataType, isTimeSeriesType } from './projections/types.ts';
import { markRawDeleted } from './rawDocuments.ts';
import { chunk } from './rows.ts';
import { SERIES } from './series.ts';
import { inTransaction } from './transaction.ts';

/**
 * Deletes never remove a raw document: it gets `deleted_at` and its projection row goes, so
 * every typed table and view (sleep_night included) stops showing it, while the raw copy stays
 * for audit and is restored if Oura sends the document again.
 */

async function removeProjectionRows(
  db: Db,
  userId: number,
  dataType: DocumentDataType,
  docIds: readonly string[],
): Promise<void> {
  const { table } = PROJECTIONS[dataType];
  for (const ids of chunk(docIds, 1_000)) {
    await sql`DELETE FROM ${sql.table(table)} WHERE user_id = ${userId} AND id IN (${sql.join(ids)})`.execute(
      db,
    );
  }
}

/**
 * After listing [fromDay, toDay] of one data type, mark the stored documents of those days that
 * the listing did not return as deleted (upsert-only sync would keep them forever; NOTES
 * "Deletes"). Days are raw_document.day (for tags and rest mode: the start day). A type listed
 * without a date range (ring_configuration) is reconciled as a whole. Returns how many were
 * marked.
 */
export async function reconcileDeletions(
  db: Db,
  args: {
    userId: number;
    dataType: DocumentDataType;
    fromDay: string;
    toDay: string;
    seenIds: ReadonlySet<string>;
  },
): Promise<number> {
  const { userId, dataType, fromDay, toDay, seenIds } = args;
  return inTransaction(db, async (trx) => {
    let query = trx
      .selectFrom('raw_document')
      .select('doc_id')
      .where('user_id', '=', userId)
      .where('data_type', '=', dataType)
      .where('deleted_at', 'is', null);
    if (ROUTES[dataType].range !== 'none') {
      query = query.where('day', '>=', fromDay).where('day', '<=', toDay);
    }
    const live = await query.execute();
    const gone = live.map((r) => r.doc_id).filter((id) => !seenIds.has(id));
    if (gone.length === 0) return 0;
    const marked = await markRawDeleted(trx, userId, dataType, gone);
    await removeProjectionRows(trx, userId, dataType, marked);
    return marked.length;
  });
}

/**
 * Mark one document deleted (a delete webhook). For a time series the document is a day
 * ('YYYY-MM-DD', UTC) and that day's samples are removed. Returns false when there was no live
 * document with that id.
 */
export async function markDocumentDeleted(
  db: Db,
  args: { userId: number; dataType: DataType; docId: string },
): Promise<boolean> {
  const { userId, dataType, docId } = args;
  return inTransaction(db, async (trx) => {
    const marked = await markRawDeleted(trx, userId, dataType, [docId]);
    if (marked.length === 0) return false;
    if (isTimeSeriesType(dataType)) {
      await SERIES[dataType].deleteDay(trx, userId, docId);
    } else {
      await removeProjectionRows(trx, userId, dataType, marked);
    }
    return true;
  });
}
