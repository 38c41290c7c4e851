import type { OuraClient } from '../oura/client.ts';
import { OuraScopeError } from '../oura/errors.ts';
import type { DataType } from '../oura/routes.ts';
import { addDays, minDay, utcDay } from './days.ts';

/**
 * Where a user's history begins. Oura has no "first day" API, so:
 * 1. with a `ring_configuration.set_up_at` (a UTC instant [S PublicRingConfiguration]): list a
 *    daily type from the earliest set-up day (one day early: the local day can be behind UTC)
 *    to tomorrow and read the first page only. Documents come in day order, so its earliest
 *    `day` is the first day with data. One request; set_up_at alone can be far too early (a
 *    ring set up long before the account shared any data, or a previous owner);
 * 2. otherwise probe backwards in yearly windows until two consecutive years come back empty;
 *    the earliest `day` on the first page of the oldest non-empty year is the start.
 * The start is one day before the first data day: heart rate begins the evening before the
 * first night's wake-up day.
 */

export interface HistoryStart {
  day: string;
  /** How it was found: from the ring's set-up date, by probing years back, or not at all. */
  source: 'ring_configuration' | 'probe' | 'none';
  /** Requests the probe spent. */
  requests: number;
}

/** Daily types that nearly every ring produces every day, tried in this order. */
const PROBE_TYPES: readonly DataType[] = [
  'daily_activity',
  'daily_sleep',
  'sleep',
  'daily_readiness',
];
const PROBE_YEAR_DAYS = 365;
const EMPTY_YEARS_TO_STOP = 2;
/** Oura's API dates from 2015; nothing can be older than this many years. */
const MAX_PROBE_YEARS = 15;

/**
 * The earliest set-up day of the rings, or undefined when it cannot be known. Configurations
 * that failed validation count too (their set_up_at may still be readable): a dropped older ring
 * would otherwise start the history at the newer ring and leave years unfetched. One whose
 * set_up_at cannot be read makes the answer unknown, and the caller probes instead.
 */
export function startFromRingConfigurations(
  configs: readonly Record<string, unknown>[],
  invalid: readonly unknown[] = [],
): string | undefined {
  let earliest: string | undefined;
  for (const c of [...configs, ...invalid]) {
    const at =
      c !== null && typeof c === 'object' ? (c as { set_up_at?: unknown }).set_up_at : null;
    const ms = typeof at === 'string' ? Date.parse(at) : Number.NaN;
    if (Number.isNaN(ms)) {
      if (invalid.includes(c)) return undefined;
      continue;
    }
    const day = addDays(utcDay(new Date(ms)), -1);
    earliest = earliest === undefined ? day : minDay(earliest, day);
  }
  return earliest;
}

const DAY_PREFIX = /^\d{4}-\d{2}-\d{2}/;

/** The day of a document that failed validation: its `day`, else its local timestamp's date. */
function dayOfInvalid(document: unknown): string | undefined {
  if (document === null || typeof document !== 'object') return undefined;
  const { day, timestamp } = document as { day?: unknown; timestamp?: unknown };
  for (const v of [day, timestamp]) {
    if (typeof v === 'string' && DAY_PREFIX.test(v)) return v.slice(0, 10);
  }
  return undefined;
}

/**
 * The days on the first page of a listing (one request; the rest is never fetched). A document
 * that failed validation still marks its day when the day is readable; when it is not, the
 * earliest data could be anywhere on the page, so the range's start is answered: the history
 * then starts too early (a few empty days fetched), never too late.
 */
async function firstPageDays(
  client: OuraClient,
  type: DataType,
  range: { start: string; end: string },
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const pages = client.listPages(type, range, signal ? { signal } : {});
  try {
    const first = await pages.next();
    if (first.done) return [];
    const days = first.value.documents
      .map((d) => d.day)
      .filter((d): d is string => typeof d === 'string');
    for (const { document } of first.value.invalid)
      days.push(dayOfInvalid(document) ?? range.start);
    return days;
  } finally {
    await pages.return(undefined);
  }
}

export async function findHistoryStart(
  client: OuraClient,
  args: {
    today: string;
    ringConfigurations: readonly Record<string, unknown>[];
    /** Ring configurations that failed validation, as received. */
    invalidRingConfigurations?: readonly unknown[];
    signal?: AbortSignal;
  },
): Promise<HistoryStart> {
  const end = addDays(args.today, 1);
  const fromRing = startFromRingConfigurations(
    args.ringConfigurations,
    args.invalidRingConfigurations,
  );
  let requests = 0;
  for (const type of PROBE_TYPES) {
    try {
      if (fromRing !== undefined) {
        requests += 1;
        const days = await firstPageDays(client, type, { start: fromRing, end }, args.signal);
        if (days.length === 0) continue;
        return { day: addDays(days.reduce(minDay), -1), source: 'ring_configuration', requests };
      }
      let earliest: string | undefined;
      let emptyYears = 0;
      for (let k = 0; k < MAX_PROBE_YEARS && emptyYears < EMPTY_YEARS_TO_STOP; k++) {
        const range = {
          start: addDays(end, -PROBE_YEAR_DAYS * (k + 1) + 1),
          end: addDays(end, -PROBE_YEAR_DAYS * k),
        };
        requests += 1;
        const days = await firstPageDays(client, type, range, args.signal);
        if (days.length === 0) {
          emptyYears += 1;
          continue;
        }
        emptyYears = 0;
        earliest = days.reduce(minDay);
      }
      if (earliest !== undefined) {
        return { day: addDays(earliest, -1), source: 'probe', requests };
      }
    } catch (error) {
      // Without this type's scope, try the next one.
      if (error instanceof OuraScopeError) continue;
      throw error;
    }
  }
  // No daily data at all: nothing to backfill beyond the set-up day (or today).
  return fromRing !== undefined
    ? { day: fromRing, source: 'ring_configuration', requests }
    : { day: args.today, source: 'none', requests };
}
