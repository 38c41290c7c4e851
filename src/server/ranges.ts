import type { RangeKey } from '../api/types.ts';
import { addDays, daysBetween, isValidDay } from '../insights/days.ts';
import { ApiError } from './errors.ts';

/**
 * The one parser for day, range and id parameters. Every route that takes a day or a range
 * goes through here, so what a request can make the server do is decided before any work
 * starts: days are real calendar dates in [MIN_DAY, MAX_DAY], `end` is clamped to today and to
 * the stored span, and no range is longer than MAX_RANGE_DAYS.
 */

export const RANGE_KEYS: readonly RangeKey[] = ['7d', '30d', '90d', '1y', 'all'];
const SPAN: Record<Exclude<RangeKey, 'all'>, number> = { '7d': 7, '30d': 30, '90d': 90, '1y': 365 };

/** Oura's data starts in 2013; anything before 1970 is a typing error, not a request. */
export const MIN_DAY = '1970-01-01';
export const MAX_DAY = '9999-12-31';
/** The longest range any route works on (20 years of nights, ~7,300 chart days). */
export const MAX_RANGE_DAYS = 7305;

export const DAY_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

export const rangeQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    range: {
      type: 'string',
      enum: RANGE_KEYS,
      default: '90d',
      description: 'Time range ending on `end`',
    },
    end: {
      type: 'string',
      pattern: DAY_PATTERN,
      description:
        'Last day of the range (default: the latest day with data); later days are clamped to today',
    },
  },
} as const;

export interface RangeQuery {
  range?: RangeKey;
  end?: string;
}

export interface Span {
  firstDay: string | null;
  lastDay: string | null;
}

export interface DayRange {
  key: RangeKey;
  from: string;
  to: string;
}

/** A real calendar day 'YYYY-MM-DD' in [MIN_DAY, MAX_DAY], or a 400 naming the parameter. */
export function parseDay(value: string, name: string): string {
  if (!isValidDay(value) || value < MIN_DAY || value > MAX_DAY) {
    throw new ApiError(
      400,
      'invalid_request',
      `${name} must be a real day 'YYYY-MM-DD' between ${MIN_DAY} and ${MAX_DAY}, got '${value.slice(0, 40)}'`,
    );
  }
  return value;
}

/**
 * The latest day that can be "today" for the user. `today` is the UTC day; the furthest zone
 * ahead of UTC is +14:00, so the user's local today is at most one day later.
 */
export function latestToday(today: string): string {
  return addDays(today, 1);
}

/** The last day a range may end on: today in the user's zone, or the stored span's end. */
export function latestEnd(span: Span, today: string): string {
  const now = latestToday(today);
  return span.lastDay && span.lastDay > now && span.lastDay <= MAX_DAY ? span.lastDay : now;
}

/** `day` moved into [MIN_DAY, latestEnd]. */
export function clampDay(day: string, span: Span, today: string): string {
  const last = latestEnd(span, today);
  if (day > last) return last;
  return day < MIN_DAY ? MIN_DAY : day;
}

/**
 * Resolves a range key to inclusive days. The range ends on the latest stored day (not the
 * server's today), so a history that stopped syncing still shows its last weeks. An explicit
 * `end` past today is clamped; `all` starts at the first stored day but spans at most
 * MAX_RANGE_DAYS.
 */
export function resolveRange(query: RangeQuery, span: Span, today: string): DayRange {
  const key = query.range ?? '90d';
  const asked = query.end === undefined ? undefined : parseDay(query.end, 'end');
  const to = clampDay(asked ?? span.lastDay ?? today, span, today);
  const earliest = addDays(to, -(MAX_RANGE_DAYS - 1));
  if (key === 'all') {
    let from = span.firstDay && span.firstDay < to ? span.firstDay : addDays(to, -6);
    if (from < earliest) from = earliest;
    return { key, from, to };
  }
  return { key, from: addDays(to, -(SPAN[key] - 1)), to };
}

/** Lead-in a route may add before a range (baselines look back 60 days): at most a year. */
const MAX_LEAD_DAYS = 366;

/**
 * Days in an inclusive range: the count every loop over a range's days is given up front,
 * never more than a capped range plus its lead-in, whatever the days.
 */
export function dayCount(range: { from: string; to: string }): number {
  const n = daysBetween(range.from, range.to) + 1;
  if (!Number.isFinite(n) || n < 0) return 0;
  return Math.min(n, MAX_RANGE_DAYS + MAX_LEAD_DAYS);
}

/** A positive integer id from a path, or a 400. */
export const idParamSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } },
} as const;

/**
 * An Oura document id from a path (a UUID or similar token), or a 400: a NUL byte or any other
 * character PostgreSQL's text type refuses never reaches a query.
 */
export const documentIdParamSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$' } },
} as const;
