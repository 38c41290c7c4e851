import { sql } from 'kysely';
import { isDataType } from '../oura/routes.ts';
import type { Db } from './database.ts';
import { type InvalidDocument, recordInvalidDocuments } from './errorDocuments.ts';
import { isInvalid, prepareDocument } from './prepareDocument.ts';
import { PROJECTION_TABLES, PROJECTIONS } from './projections/index.ts';
import { isTimeSeriesType } from './projections/types.ts';
import type { Doc } from './projections/values.ts';
import { upsertRows } from './rows.ts';
import { type Point, SERIES, type Series } from './series.ts';
import { inTransaction } from './transaction.ts';

const PAGE = 500;

/**
 * Empty every projection table (for one user, or all) and derive it again from raw_document
 * alone, in one transaction: readers see the old rows until the new ones commit. Deleted
 * documents stay out. Returns the rows written per table, plus `invalid` (documents that no
 * longer project; recorded in sync_error_document) when there were any.
 */
export async function rebuildProjections(
  db: Db,
  opts: { userId?: number } = {},
): Promise<Record<string, number>> {
  const { userId } = opts;
  return inTransaction(db, async (trx) => {
    const counts: Record<string, number> = Object.fromEntries(PROJECTION_TABLES.map((t) => [t, 0]));
    let invalidCount = 0;
    if (userId === undefined) {
      // TRUNCATE's exclusive locks also hold off concurrent writers until this commits.
      await sql`TRUNCATE ${sql.join(PROJECTION_TABLES.map((t) => sql.table(t)))}`.execute(trx);
    } else {
      for (const series of Object.values(SERIES)) {
        await sql`SELECT pg_advisory_xact_lock(${sql.lit(series.lockClass)}, ${userId})`.execute(
          trx,
        );
      }
      for (const table of PROJECTION_TABLES) {
        await sql`DELETE FROM ${sql.table(table)} WHERE user_id = ${userId}`.execute(trx);
      }
    }

    let after: { userId: number; dataType: string; docId: string } | undefined;
    for (;;) {
      let query = trx
        .selectFrom('raw_document')
        .select(['user_id', 'data_type', 'doc_id', 'document'])
        .where('deleted_at', 'is', null);
      if (userId !== undefined) query = query.where('user_id', '=', userId);
      if (after) {
        const a = after;
        query = query.where(({ eb, refTuple, tuple }) =>
          eb(refTuple('user_id', 'data_type', 'doc_id'), '>', tuple(a.userId, a.dataType, a.docId)),
        );
      }
      const page = await query
        .orderBy('user_id')
        .orderBy('data_type')
        .orderBy('doc_id')
        .limit(PAGE)
        .execute();
      const last = page.at(-1);
      if (!last) break;
      after = { userId: last.user_id, dataType: last.data_type, docId: last.doc_id };

      // Group the page by user and data type (it is ordered that way).
      const groups = new Map<string, typeof page>();
      for (const r of page) {
        const key = `${r.user_id}\u0000${r.data_type}`;
        const group = groups.get(key);
        if (group) group.push(r);
        else groups.set(key, [r]);
      }
      for (const group of groups.values()) {
        const first = group[0];
        if (!first || !isDataType(first.data_type)) continue;
        const { user_id: owner, data_type: dataType } = first;
        const invalid: InvalidDocument[] = [];
        if (isTimeSeriesType(dataType)) {
          const series: Series<Point> = SERIES[dataType];
          const points: Point[] = [];
          for (const r of group) {
            const data = (r.document as { data?: unknown }).data;
            for (const row of Array.isArray(data) ? data : []) {
              try {
                points.push(series.parse(row as Doc));
              } catch (error) {
                invalid.push({
                  docId: r.doc_id,
                  document: row,
                  message: `${dataType} row: ${error instanceof Error ? error.message : String(error)}`,
                });
              }
            }
          }
          await series.insert(trx, owner, points, 'nothing');
          counts[series.table] = (counts[series.table] ?? 0) + points.length;
        } else {
          const projection = PROJECTIONS[dataType];
          const rows: Record<string, unknown>[] = [];
          for (const r of group) {
            const p = prepareDocument(projection, owner, r.document);
            if (isInvalid(p)) invalid.push(p);
            else rows.push(p.row);
          }
          await upsertRows(trx, projection.table, ['user_id', 'id'], rows, 'nothing');
          counts[projection.table] = (counts[projection.table] ?? 0) + rows.length;
        }
        if (invalid.length > 0) {
          invalidCount += invalid.length;
          await recordInvalidDocuments(trx, owner, dataType, invalid, [], new Date());
        }
      }
    }
    if (invalidCount > 0) counts.invalid = invalidCount;
    return counts;
  });
}
