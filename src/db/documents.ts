import type { Db } from './database.ts';
import { type InvalidDocument, recordInvalidDocuments } from './errorDocuments.ts';
import { isInvalid, type PreparedDocument, prepareDocument } from './prepareDocument.ts';
import { PROJECTIONS } from './projections/index.ts';
import type { DocumentDataType } from './projections/types.ts';
import { writeRawDocuments } from './rawDocuments.ts';
import { upsertRows } from './rows.ts';
import type { StoreResult } from './storeResult.ts';
import { inTransaction } from './transaction.ts';

export { copyHeartRateSamples } from './copySamples.ts';
export { markDocumentDeleted, reconcileDeletions } from './deletions.ts';
export type { DocumentDataType, TimeSeriesDataType } from './projections/types.ts';
export type { StoreResult } from './storeResult.ts';
export { storeTimeSeries } from './timeSeries.ts';

/**
 * Store documents of one data type: the raw document (every field, as received) and its typed
 * projection, in one transaction (the caller's, if `db` is one). A document whose content hash
 * is unchanged is not rewritten; one that was marked deleted and reappears is restored. A
 * document that cannot be projected (a bad value) is recorded in sync_error_document and counted
 * `invalid`; the rest of the batch is stored.
 */
export async function storeDocuments(
  db: Db,
  args: {
    userId: number;
    dataType: DocumentDataType;
    documents: Record<string, unknown>[];
    fetchedAt?: Date;
  },
): Promise<StoreResult> {
  const { userId, dataType, documents } = args;
  const fetchedAt = args.fetchedAt ?? new Date();
  const projection = PROJECTIONS[dataType];
  if (!projection) throw new TypeError(`storeDocuments: "${dataType}" is not a document type`);

  const prepared = new Map<string, PreparedDocument>();
  const invalid: InvalidDocument[] = [];
  let duplicates = 0;
  for (const document of documents) {
    const p = prepareDocument(projection, userId, document);
    if (isInvalid(p)) {
      invalid.push(p);
    } else {
      // The same id twice in one batch: the later copy wins, the earlier one counts unchanged.
      if (prepared.has(p.docId)) duplicates++;
      prepared.set(p.docId, p);
    }
  }

  return inTransaction(db, async (trx) => {
    const written = await writeRawDocuments(
      trx,
      userId,
      dataType,
      [...prepared.values()],
      fetchedAt,
    );
    const changed: Record<string, unknown>[] = [];
    for (const p of prepared.values()) {
      if (written.inserted.has(p.docId) || written.updated.has(p.docId)) changed.push(p.row);
    }
    await upsertRows(trx, projection.table, ['user_id', 'id'], changed);
    if (invalid.length > 0 || prepared.size > 0) {
      await recordInvalidDocuments(trx, userId, dataType, invalid, [...prepared.keys()], fetchedAt);
    }
    return {
      inserted: written.inserted.size,
      updated: written.updated.size,
      unchanged: duplicates + prepared.size - changed.length,
      invalid: invalid.length,
    };
  });
}
