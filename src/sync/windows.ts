import type { DataType } from '../oura/routes.ts';
import { addDays, daysBetween, minDay } from './days.ts';

/**
 * How a type's history is cut into windows. Each window is fetched whole (all its pages), then
 * committed in one transaction together with the type's `complete_until`, so a crash costs at
 * most one window of re-fetching.
 *
 * Request economy: Oura pages document routes at 100 documents. A window holding n documents
 * costs ceil(n / 100) requests (at least 1), so the cheapest windows hold just under a multiple
 * of 100 documents. Windows are sized from the type's document density (documents per day):
 * a prior per type, refined with what the run has seen so far. Heart rate and battery rows are
 * fetched in 30-day windows, the widest the API is known to accept (NOTES "Ranges and limits").
 */

/** Inclusive range of calendar days. */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

export const DOCUMENT_PAGE_SIZE = 100;
export const SERIES_WINDOW_DAYS = 30;
/** Pages a window aims at (less a margin for day-to-day variation): few windows, little waste. */
const TARGET_PAGES = 3;
const MIN_DOCUMENT_WINDOW_DAYS = 14;
/**
 * Sparse types (tags, rest mode) would otherwise cost one nearly empty request per window;
 * Oura's "1-3 months at a time" advice is about response size, which stays small for them.
 */
const MAX_DOCUMENT_WINDOW_DAYS = 1100;

/** Types that carry at most one document per day: a window of 100k days needs k pages exactly. */
const ONE_PER_DAY: ReadonlySet<DataType> = new Set<DataType>([
  'daily_sleep',
  'daily_readiness',
  'daily_activity',
  'daily_spo2',
  'daily_stress',
  'daily_resilience',
  'daily_cardiovascular_age',
  'sleep_time',
]);

/** Expected documents per day before any have been seen. */
const PRIOR_DENSITY: Partial<Record<DataType, number>> = {
  sleep: 1.2,
  // VO2 max is estimated now and then (after qualifying walks), not daily.
  vo2_max: 0.2,
  workout: 0.5,
  session: 0.3,
  enhanced_tag: 0.2,
  tag: 0.05,
  rest_mode_period: 0.01,
};
/** A final stretch shorter than this share of a window is fetched with the window before it. */
const REMAINDER_SHARE = 0.25;
/** Weight of the prior, in days of observation. */
const PRIOR_DAYS = 30;

export function isSeriesType(type: DataType): boolean {
  return type === 'heartrate' || type === 'ring_battery_level';
}

export interface WindowPlanner {
  /**
   * Claim the next window to fetch (the planner moves past it), or undefined when the range is
   * covered. Windows can be claimed before earlier ones are recorded: a type fetches ahead.
   */
  next(): DayRange | undefined;
  /** Report a fetched window and how many documents it held (tunes later windows). */
  record(window: DayRange, documents: number): void;
  readonly windowsDone: number;
  /** Windows done plus an estimate of the windows still to fetch. */
  estimatedTotal(): number;
}

/** Plan windows over [from, to] (inclusive) for one data type. */
export function createWindowPlanner(type: DataType, from: string, to: string): WindowPlanner {
  const series = isSeriesType(type);
  const onePerDay = ONE_PER_DAY.has(type);
  const prior = PRIOR_DENSITY[type] ?? 1;
  let cursor = from;
  let windowsDone = 0;
  let seenDocs = 0;
  let seenDays = 0;

  const windowDays = (): number => {
    if (series) return SERIES_WINDOW_DAYS;
    // One page per window costs no extra request for these types (100 days hold at most 100
    // documents) and keeps a third as much of the history in memory at once.
    if (onePerDay) return DOCUMENT_PAGE_SIZE;
    const density = (prior * PRIOR_DAYS + seenDocs) / (PRIOR_DAYS + seenDays);
    // A margin of ~4% keeps a window under the page boundary despite day-to-day variation.
    const target = TARGET_PAGES * DOCUMENT_PAGE_SIZE * 0.96;
    const days = Math.floor(target / Math.max(density, 1e-3));
    return Math.min(MAX_DOCUMENT_WINDOW_DAYS, Math.max(MIN_DOCUMENT_WINDOW_DAYS, days));
  };

  let claimed = 0;
  const claim = (window: DayRange): DayRange => {
    claimed += 1;
    cursor = addDays(window.to, 1);
    return window;
  };

  return {
    next() {
      if (cursor > to) return undefined;
      const days = windowDays();
      const end = addDays(cursor, days - 1);
      // A short remainder would cost a request of its own: the last variable-density window
      // takes it on (the margin mostly absorbs it within the same pages).
      const rest = daysBetween(end, to);
      if (!series && !onePerDay && rest > 0 && rest < days * REMAINDER_SHARE) {
        return claim({ from: cursor, to });
      }
      return claim({ from: cursor, to: minDay(to, end) });
    },
    record(window, documents) {
      windowsDone += 1;
      seenDocs += documents;
      seenDays += daysBetween(window.from, window.to) + 1;
    },
    get windowsDone() {
      return windowsDone;
    },
    estimatedTotal() {
      if (cursor > to) return claimed;
      const remaining = daysBetween(cursor, to) + 1;
      return claimed + Math.ceil(remaining / windowDays());
    },
  };
}

/** The fewest requests a range can cost: what a perfect planner would spend. */
export function minimumRequests(type: DataType, days: number, documents: number): number {
  if (isSeriesType(type)) return Math.max(1, Math.ceil(days / SERIES_WINDOW_DAYS));
  return Math.max(1, Math.ceil(documents / DOCUMENT_PAGE_SIZE));
}
