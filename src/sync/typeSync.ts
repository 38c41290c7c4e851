import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import {
  type DocumentDataType,
  reconcileDeletions,
  type StoreResult,
  storeDocuments,
  storeTimeSeries,
  type TimeSeriesDataType,
} from '../db/documents.ts';
import { insertErrorDocuments } from '../db/syncRuns.ts';
import { advanceCompleteUntil } from '../db/syncState.ts';
import type { ListRange, OuraClient, Page } from '../oura/client.ts';
import type { DataType } from '../oura/routes.ts';
import { addDays, dayStartIso, minDay } from './days.ts';
import type { RunError, SyncProgressEvent, TypeCounts } from './types.ts';
import { createWindowPlanner, type DayRange, isSeriesType } from './windows.ts';

/** Everything one data type's fetch needs; counts and errors are filled in as it goes. */
export interface TypeJob {
  db: Db;
  client: OuraClient;
  userId: number;
  dataType: DataType;
  /** First and last day to fetch, inclusive. */
  from: string;
  to: string;
  /** Today (UTC): `complete_until` never passes it, since today is still filling in. */
  today: string;
  /** Mark stored documents of each fetched window that upstream no longer returns. */
  reconcile: boolean;
  counts: TypeCounts;
  addError(error: RunError): void;
  emit(event: Omit<SyncProgressEvent, 'userId' | 'dataType'>): void;
  /** Called after each committed window (the engine saves run counts, throttled). */
  onWindowCommitted(): Promise<void>;
  now(): Date;
  signal: AbortSignal;
}

function rangeFor(type: DataType, w: DayRange): ListRange {
  // Datetime routes take [start, end) instants: whole UTC days from w.from through w.to.
  if (isSeriesType(type)) return { start: dayStartIso(w.from), end: dayStartIso(addDays(w.to, 1)) };
  return { start: w.from, end: w.to };
}

function docIdOf(document: unknown): string | undefined {
  if (document === null || typeof document !== 'object') return undefined;
  const id = (document as { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}

/** Invalid documents still exist upstream: they count as seen (never marked deleted). */
function seenIdsOf(
  documents: readonly Record<string, unknown>[],
  invalid: readonly { document: unknown }[],
): Set<string> {
  const seen = new Set<string>();
  for (const d of [...documents, ...invalid.map((i) => i.document)]) {
    const id = docIdOf(d);
    if (id !== undefined) seen.add(id);
  }
  return seen;
}

/**
 * Run errors for documents that failed: the client's schema check (kept by us in
 * sync_error_document, with ids) and storage's (storage keeps those itself).
 */
function reportInvalid(
  job: TypeJob,
  invalid: readonly { document: unknown; message: string }[],
  storageInvalid: number,
): void {
  for (const i of invalid) {
    const docId = docIdOf(i.document);
    job.addError({
      dataType: job.dataType,
      ...(docId !== undefined ? { docId } : {}),
      code: 'invalid_document',
      message: i.message,
    });
  }
  if (storageInvalid > 0) {
    job.addError({
      dataType: job.dataType,
      code: 'invalid_document',
      message: `${storageInvalid} document(s) could not be stored; kept aside (see snowtorch status)`,
    });
  }
}

/**
 * Windows a type fetches beyond the one it is storing, so that fetching the next window (the
 * network, the upstream's own time) overlaps storing this one (this process and PostgreSQL).
 * Each window fetched ahead holds its documents in memory until its turn: one is enough to keep
 * both sides busy (docs/benchmarks.md).
 */
export const FETCH_AHEAD = 1;

interface PendingWindow {
  window: DayRange;
  pages: Promise<Page[]>;
}

async function fetchWindow(job: TypeJob, w: DayRange, signal: AbortSignal): Promise<Page[]> {
  const pages: Page[] = [];
  for await (const page of job.client.listPages(job.dataType, rangeFor(job.dataType, w), {
    signal,
  })) {
    pages.push(page);
  }
  return pages;
}

/**
 * Fetch every window of a dated type, committing each with its cursor. Windows are fetched
 * ahead (FETCH_AHEAD) but committed strictly in order, so `complete_until` only ever moves
 * over contiguous stored days and a crash loses at most the windows not yet committed.
 */
export async function syncRangedType(job: TypeJob): Promise<void> {
  const { dataType: type, counts } = job;
  const series = isSeriesType(type);
  const planner = createWindowPlanner(type, job.from, job.to);
  const started = Date.now();
  const range = { from: job.from, to: job.to };
  job.emit({
    phase: 'fetching',
    documents: 0,
    windowsDone: 0,
    windowsTotal: planner.estimatedTotal(),
    etaSeconds: null,
    range,
  });

  // Fetches ahead stop with the run, or when this type stops early (an error in its turn).
  const stopAhead = new AbortController();
  const aheadSignal = AbortSignal.any([job.signal, stopAhead.signal]);
  const queue: PendingWindow[] = [];
  const fill = () => {
    while (queue.length <= FETCH_AHEAD) {
      const window = planner.next();
      if (window === undefined) return;
      const pages = fetchWindow(job, window, aheadSignal);
      // Awaited in order below, where a failure surfaces; not an unhandled rejection meanwhile.
      pages.catch(() => {});
      queue.push({ window, pages });
    }
  };
  try {
    fill();
    for (let head = queue.shift(); head !== undefined; head = queue.shift()) {
      job.signal.throwIfAborted();
      const pages = await head.pages;
      fill();
      planner.record(head.window, await storeWindow(job, head.window, pages, series));
      const done = planner.windowsDone;
      const total = planner.estimatedTotal();
      const perWindow = (Date.now() - started) / 1000 / done;
      job.emit({
        phase: 'fetching',
        documents: counts.fetched,
        windowsDone: done,
        windowsTotal: total,
        etaSeconds: Math.round(perWindow * (total - done)),
        range,
      });
      await job.onWindowCommitted();
    }
  } finally {
    if (queue.length > 0) {
      stopAhead.abort(new Error('the type stopped before this window'));
      await Promise.allSettled(queue.map((q) => q.pages));
    }
  }
  job.emit({
    phase: 'done',
    documents: counts.fetched,
    windowsDone: planner.windowsDone,
    windowsTotal: planner.windowsDone,
    etaSeconds: 0,
    range,
  });
}

/**
 * A window's commit does not wait for its WAL to reach the disk. Everything in it can be fetched
 * again, and its cursor commits in the same transaction: if the machine loses power before the
 * WAL writer flushes (within a fraction of a second), the database comes back consistent with
 * the window and its cursor both absent, and the next run fetches it again. The run's own
 * records (sync_run) keep the server's normal durability.
 */
async function relaxDurability(trx: Db): Promise<void> {
  await sql`SET LOCAL synchronous_commit = off`.execute(trx);
}

/** Store one fetched window and move the type's cursor over it, in one transaction. */
async function storeWindow(
  job: TypeJob,
  window: DayRange,
  pages: readonly Page[],
  series: boolean,
): Promise<number> {
  const { db, userId, dataType: type, counts } = job;
  const { documents, invalid } = countFetched(counts, pages);
  const fetchedAt = job.now();

  // Counts are added only once the window has committed.
  const { stored, deleted } = await db.transaction().execute(async (trx) => {
    await relaxDurability(trx);
    const stored = series
      ? await storeTimeSeries(trx, {
          userId,
          dataType: type as TimeSeriesDataType,
          rows: documents,
          fetchedAt,
        })
      : await storeDocuments(trx, {
          userId,
          dataType: type as DocumentDataType,
          documents,
          fetchedAt,
        });
    let deleted = 0;
    if (job.reconcile && !series) {
      deleted = await reconcileDeletions(trx, {
        userId,
        dataType: type as DocumentDataType,
        fromDay: window.from,
        toDay: window.to,
        seenIds: seenIdsOf(documents, invalid),
      });
    }
    await recordInvalid(trx, userId, type, invalid, fetchedAt);
    // A window with a document kept aside is not complete: the cursor stays at its start
    // (and, by the contiguity rule, every later window of this run leaves it there), so the
    // next run fetches it again until the document validates.
    const complete = invalid.length === 0 && stored.invalid === 0;
    await advanceCompleteUntil(trx, {
      userId,
      dataType: type,
      windowFrom: window.from,
      completeUntil: complete ? minDay(addDays(window.to, 1), job.today) : window.from,
    });
    return { stored, deleted };
  });
  countStored(counts, stored, deleted);

  reportInvalid(job, invalid, stored.invalid);
  counts.windows += 1;
  return documents.length;
}

/** Store already-fetched ring configuration pages (the route has no range: fetched whole). */
export async function storeRingConfiguration(job: TypeJob, pages: readonly Page[]): Promise<void> {
  const { counts } = job;
  const { documents, invalid } = countFetched(counts, pages);
  const fetchedAt = job.now();
  const { stored, deleted } = await job.db.transaction().execute(async (trx) => {
    const stored = await storeDocuments(trx, {
      userId: job.userId,
      dataType: 'ring_configuration',
      documents,
      fetchedAt,
    });
    // The route is listed whole, so a ring missing from it was removed upstream.
    const deleted = await reconcileDeletions(trx, {
      userId: job.userId,
      dataType: 'ring_configuration',
      fromDay: job.from,
      toDay: job.to,
      seenIds: seenIdsOf(documents, invalid),
    });
    await recordInvalid(trx, job.userId, 'ring_configuration', invalid, fetchedAt);
    return { stored, deleted };
  });
  countStored(counts, stored, deleted);
  reportInvalid(job, invalid, stored.invalid);
  counts.windows += 1;
  job.emit({
    phase: 'done',
    documents: counts.fetched,
    windowsDone: 1,
    windowsTotal: 1,
    etaSeconds: 0,
  });
}

/** Count a fetch's pages, documents and client-rejected documents; returns the two lists. */
function countFetched(counts: TypeCounts, pages: readonly Page[]) {
  const documents = pages.flatMap((p) => p.documents);
  const invalid = pages.flatMap((p) => p.invalid);
  counts.requests += pages.length;
  counts.fetched += documents.length;
  counts.invalid += invalid.length;
  return { documents, invalid };
}

/** Keep the documents the client's schema check rejected, verbatim, for `status`. */
async function recordInvalid(
  trx: Db,
  userId: number,
  dataType: DataType,
  invalid: Page['invalid'],
  seenAt: Date,
): Promise<void> {
  if (!invalid.length) return;
  await insertErrorDocuments(trx, {
    userId,
    dataType,
    documents: invalid.map((i) => ({
      docId: docIdOf(i.document) ?? null,
      document: i.document,
      message: i.message,
    })),
    seenAt,
  });
}

/** Add a committed batch to the counts (only after its transaction committed). */
function countStored(counts: TypeCounts, stored: StoreResult, deleted: number): void {
  counts.inserted += stored.inserted;
  counts.updated += stored.updated;
  counts.unchanged += stored.unchanged;
  counts.invalid += stored.invalid;
  counts.deleted += deleted;
}
