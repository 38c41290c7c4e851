import { sql } from 'kysely';
import { canonicalArray, checkStorable, contentHash } from './contentHash.ts';
import type { Db } from './database.ts';
import { type InvalidDocument, recordInvalidDocuments } from './errorDocuments.ts';
import { ProjectionError } from './errors.ts';
import type { TimeSeriesDataType } from './projections/types.ts';
import type { Doc } from './projections/values.ts';
import { type RawWrite, writeRawDocuments } from './rawDocuments.ts';
import { chunk } from './rows.ts';
import { type Point, SERIES, type Series } from './series.ts';
import type { StoreResult } from './storeResult.ts';
import { inTransaction } from './transaction.ts';

/**
 * Store heart-rate or battery rows: bulk-load the sample table and keep the rows raw, one
 * raw_document per user and UTC day (doc_id = the day, document = {data: rows of that day},
 * merged with what that day already held). Counts are of samples. A row that cannot be read
 * (bad timestamp or value) is recorded in sync_error_document and counted invalid.
 */
export async function storeTimeSeries(
  db: Db,
  args: {
    userId: number;
    dataType: TimeSeriesDataType;
    rows: Record<string, unknown>[];
    fetchedAt?: Date;
  },
): Promise<StoreResult> {
  const fetchedAt = args.fetchedAt ?? new Date();
  if (args.dataType === 'heartrate') {
    return storeSeries(db, SERIES.heartrate, args.userId, args.rows, fetchedAt);
  }
  if (args.dataType === 'ring_battery_level') {
    return storeSeries(db, SERIES.ring_battery_level, args.userId, args.rows, fetchedAt);
  }
  throw new TypeError(`storeTimeSeries: "${String(args.dataType)}" is not a time series`);
}

interface Entry<P> {
  point: P;
  row: Doc;
}

async function storeSeries<P extends Point>(
  db: Db,
  series: Series<P>,
  userId: number,
  rows: readonly unknown[],
  fetchedAt: Date,
): Promise<StoreResult> {
  const entries = new Map<string, Entry<P>>();
  const invalid: InvalidDocument[] = [];
  let duplicates = 0;
  let minMs = Number.POSITIVE_INFINITY;
  let maxMs = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      invalid.push({
        docId: null,
        document: row,
        message: `${series.dataType} row: expected a JSON object`,
      });
      continue;
    }
    const doc = row as Doc;
    try {
      const point = series.parse(doc);
      checkStorable(doc);
      const key = series.key(point);
      if (entries.has(key)) duplicates++;
      entries.set(key, { point, row: doc });
      if (point.ms < minMs) minMs = point.ms;
      if (point.ms > maxMs) maxMs = point.ms;
    } catch (error) {
      if (!(error instanceof ProjectionError)) throw error;
      invalid.push({
        docId: typeof doc.timestamp === 'string' ? doc.timestamp : null,
        document: doc,
        message: `${series.dataType} row: ${error.message}`,
      });
    }
  }

  return inTransaction(db, async (trx) => {
    // One writer per user and series at a time: the read-then-insert below relies on it.
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(series.lockClass)}, ${userId})`.execute(trx);
    let inserted = 0;
    let updated = 0;
    let unchanged = duplicates;
    if (entries.size > 0) {
      const hadDays = await keepRaw(trx, series, userId, entries, fetchedAt);
      // Samples exist only on days with a live raw document: a first load skips the lookup.
      const stored = new Map<string, P>();
      if (hadDays) {
        for (const p of await series.load(trx, userId, minMs, maxMs)) stored.set(series.key(p), p);
      }
      const fresh: P[] = [];
      const changed: P[] = [];
      for (const [key, { point }] of entries) {
        const before = stored.get(key);
        if (!before) fresh.push(point);
        else if (!series.same(before, point)) changed.push(point);
        else unchanged++;
      }
      await series.insert(trx, userId, fresh);
      await series.update(trx, userId, changed);
      inserted = fresh.length;
      updated = changed.length;
    }
    if (invalid.length > 0) {
      await recordInvalidDocuments(trx, userId, series.dataType, invalid, [], fetchedAt);
    }
    return { inserted, updated, unchanged, invalid: invalid.length };
  });
}

/**
 * Merge the rows into their day documents; only days whose content changed are written.
 * Returns whether any of those days already had a live document.
 */
async function keepRaw<P extends Point>(
  db: Db,
  series: Series<P>,
  userId: number,
  entries: ReadonlyMap<string, Entry<P>>,
  fetchedAt: Date,
): Promise<boolean> {
  const byDay = new Map<string, Map<string, Entry<P>>>();
  for (const [key, entry] of entries) {
    let day = byDay.get(entry.point.day);
    if (!day) {
      day = new Map();
      byDay.set(entry.point.day, day);
    }
    day.set(key, entry);
  }
  const existing = await loadDayDocuments(db, series.dataType, userId, [...byDay.keys()]);
  const writes: RawWrite[] = [];
  let hadDays = false;
  for (const [day, fresh] of byDay) {
    const before = existing.get(day);
    const merged = new Map<string, { ms: number; row: unknown }>();
    if (before && !before.deleted) {
      hadDays = true;
      for (const row of before.rows) {
        const point = tryParse(series, row);
        // A stored row that no longer parses is kept as it is, never dropped.
        merged.set(point ? series.key(point) : `raw:${JSON.stringify(row)}`, {
          ms: point?.ms ?? 0,
          row,
        });
      }
    }
    for (const [key, { point, row }] of fresh) merged.set(key, { ms: point.ms, row });
    const ordered = [...merged.entries()]
      .sort(([ka, a], [kb, b]) => a.ms - b.ms || (ka < kb ? -1 : ka > kb ? 1 : 0))
      .map(([, v]) => v.row);
    // New rows passed checkStorable; stored ones came out of jsonb.
    const json = `{"data":${canonicalArray(ordered, { checked: true })}}`;
    const hash = contentHash(json);
    if (before && !before.deleted && before.contentHash === hash) continue;
    writes.push({ docId: day, day, utcOffsetMinutes: 0, json, contentHash: hash });
  }
  await writeRawDocuments(db, userId, series.dataType, writes, fetchedAt);
  return hadDays;
}

function tryParse<P extends Point>(series: Series<P>, row: unknown): P | null {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return null;
  try {
    return series.parse(row as Doc);
  } catch {
    return null;
  }
}

interface DayDocument {
  rows: unknown[];
  contentHash: string;
  deleted: boolean;
}

async function loadDayDocuments(
  db: Db,
  dataType: TimeSeriesDataType,
  userId: number,
  days: readonly string[],
): Promise<Map<string, DayDocument>> {
  const found = new Map<string, DayDocument>();
  for (const ids of chunk(days, 1_000)) {
    const rows = await db
      .selectFrom('raw_document')
      .select(['doc_id', 'document', 'content_hash', 'deleted_at'])
      .where('user_id', '=', userId)
      .where('data_type', '=', dataType)
      .where('doc_id', 'in', ids)
      .execute();
    for (const r of rows) {
      const data = (r.document as { data?: unknown }).data;
      found.set(r.doc_id, {
        rows: Array.isArray(data) ? data : [],
        contentHash: r.content_hash,
        deleted: r.deleted_at !== null,
      });
    }
  }
  return found;
}
