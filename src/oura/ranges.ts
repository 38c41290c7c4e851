import { OuraValidationError } from './errors.ts';
import { daySchema } from './schemas.ts';

const DAY_MS = 86_400_000;
/**
 * Longest window sent to a datetime route. The spec states no maximum, but clients report that
 * heartrate "can reject very large windows" and chunk it into <= 30 days (NOTES "Ranges and
 * limits"; the limit itself is unverified).
 */
export const MAX_DATETIME_WINDOW_MS = 30 * DAY_MS;

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * Query for a date route covering `start..end`, both days included.
 * Oura reads a date-only `end_date` as midnight, so that day's documents would be missing
 * (NOTES "Inclusivity of end_date", open-wearables #1161): send the day after `end` instead.
 * Both stay date-only because dates are interpreted in the user's local time zone [S FAQ], which
 * an instant with an offset would not respect.
 */
export function dateRangeQuery(range: { start: string; end: string }): Record<string, string> {
  for (const [name, value] of [
    ['start', range.start],
    ['end', range.end],
  ] as const) {
    if (!daySchema.safeParse(value).success) {
      throw new OuraValidationError(`range ${name} must be a 'YYYY-MM-DD' day, got '${value}'`);
    }
  }
  if (range.start > range.end) {
    throw new OuraValidationError(
      `range start ${range.start} is after range end ${range.end} (both days are included)`,
    );
  }
  return { start_date: range.start, end_date: addDays(range.end, 1) };
}

export interface DatetimeWindow {
  startMs: number;
  endMs: number;
  query: Record<string, string>;
}

/**
 * Split `[start, end)` into consecutive windows of at most 30 days. Instants are sent in UTC
 * (`toISOString`), so no `+hh:mm` offset needs `%2B` encoding; URLSearchParams would encode one
 * anyway (spec code samples: "+" must be sent as %2B).
 */
export function datetimeWindows(
  range: { start: string; end: string },
  maxWindowMs: number = MAX_DATETIME_WINDOW_MS,
): DatetimeWindow[] {
  const startMs = Date.parse(range.start);
  const endMs = Date.parse(range.end);
  if (Number.isNaN(startMs) || Number.isNaN(endMs)) {
    throw new OuraValidationError(
      `range must be ISO date-times, got start '${range.start}', end '${range.end}'`,
    );
  }
  if (startMs > endMs) {
    throw new OuraValidationError(`range start ${range.start} is after range end ${range.end}`);
  }
  const windows: DatetimeWindow[] = [];
  for (let s = startMs; s < endMs; s += maxWindowMs) {
    const e = Math.min(s + maxWindowMs, endMs);
    windows.push({
      startMs: s,
      endMs: e,
      query: {
        start_datetime: new Date(s).toISOString(),
        end_datetime: new Date(e).toISOString(),
      },
    });
  }
  return windows;
}
