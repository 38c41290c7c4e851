import { addDays, DAY_MS, parseDateParam, parseInstant, utcDay } from './dates.ts';
import { badRequest, startAfterEnd, type ValidationIssue, validationFailed } from './errors.ts';

export type Query = Record<string, string | string[] | undefined>;

/** A scalar query parameter; like FastAPI, the last of repeated values wins. */
export function param(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** Sandbox routes accept neither `fields` nor `latest` (spec: sandbox list parameters). */
export function rejectSandboxOnly(query: Query): void {
  for (const name of ['fields', 'latest']) {
    if (query[name] !== undefined) {
      throw badRequest(`Query parameter '${name}' is not supported on sandbox routes`);
    }
  }
}

/** "Today" for defaults: the real UTC day, or the dataset's last day if that is later. */
export function today(datasetEndDay: string): string {
  const real = utcDay(Date.now());
  return real > datasetEndDay ? real : datasetEndDay;
}

export interface DayWindow {
  startDay: string;
  /** Exclusive. */
  endDay: string;
}

function dateIssue(name: string, input: string): ValidationIssue {
  return {
    type: 'date_from_datetime_parsing',
    loc: ['query', name],
    msg: 'Input should be a valid date or datetime',
    input,
    ctx: { error: 'input is not a valid date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SS)' },
  };
}

/**
 * `start_date`/`end_date` as documents' `day` bounds. A date-only `end_date` is read as midnight
 * local time and so EXCLUDES that day, as the live API does (NOTES "Inclusivity"); a date-time
 * `end_date` after midnight includes its day. A missing start defaults to one week before the end.
 */
export function dayWindow(query: Query, datasetEndDay: string): DayWindow {
  const rawStart = param(query, 'start_date');
  const rawEnd = param(query, 'end_date');
  const start = rawStart === undefined ? undefined : parseDateParam(rawStart);
  const end = rawEnd === undefined ? undefined : parseDateParam(rawEnd);
  const issues: ValidationIssue[] = [];
  if (rawStart !== undefined && start === undefined) issues.push(dateIssue('start_date', rawStart));
  if (rawEnd !== undefined && end === undefined) issues.push(dateIssue('end_date', rawEnd));
  if (issues.length > 0) throw validationFailed(issues);
  if (start && end && start.localKey > end.localKey) throw startAfterEnd();
  const endDay = end
    ? end.atMidnight
      ? end.day
      : addDays(end.day, 1)
    : addDays(today(datasetEndDay), 1);
  const startDay = start ? start.day : addDays(end ? end.day : today(datasetEndDay), -7);
  return { startDay, endDay };
}

export interface InstantWindow {
  startMs: number;
  endMs: number;
  startGiven: boolean;
}

/** Longest window a time-series request may span (simulated strictness; NOTES "Ranges"). */
export const MAX_SERIES_WINDOW_MS = 30 * DAY_MS;

/** `start_datetime`/`end_datetime` as [start, end) instants; a missing start means end - 1 day. */
export function instantWindow(query: Query): InstantWindow {
  const rawStart = param(query, 'start_datetime');
  const rawEnd = param(query, 'end_datetime');
  const start = rawStart === undefined ? undefined : parseInstant(rawStart);
  const end = rawEnd === undefined ? undefined : parseInstant(rawEnd);
  const issues: ValidationIssue[] = [];
  for (const [name, raw, value] of [
    ['start_datetime', rawStart, start],
    ['end_datetime', rawEnd, end],
  ] as const) {
    if (raw !== undefined && value === undefined) {
      issues.push({
        type: 'datetime_from_date_parsing',
        loc: ['query', name],
        msg: 'Input should be a valid datetime or date',
        input: raw,
        ctx: { error: 'input is not a valid date-time (YYYY-MM-DDTHH:MM:SS+HH:MM)' },
      });
    }
  }
  if (issues.length > 0) throw validationFailed(issues);
  const endMs = end ?? Date.now();
  const startMs = start ?? endMs - DAY_MS;
  if (startMs > endMs) throw startAfterEnd();
  if (endMs - startMs > MAX_SERIES_WINDOW_MS) {
    throw badRequest('The requested time range is too long: at most 30 days per request');
  }
  return { startMs, endMs, startGiven: start !== undefined };
}

const TRUE = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/** `latest` parsed like pydantic's lax boolean. */
export function latestParam(query: Query): boolean {
  const raw = param(query, 'latest');
  if (raw === undefined) return false;
  const v = raw.toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw validationFailed([
    {
      type: 'bool_parsing',
      loc: ['query', 'latest'],
      msg: 'Input should be a valid boolean, unable to interpret input',
      input: raw,
    },
  ]);
}

/** `fields`: comma-separated names, or null for "all fields". */
export function fieldsParam(query: Query): string[] | null {
  const raw = param(query, 'fields');
  if (raw === undefined) return null;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return names.length === 0 ? null : [...new Set(names)].sort();
}

/**
 * Keep the requested fields "in addition to the always returned fields" (spec `fields`):
 * identity and placement (`id`, `day`, `timestamp`) always stay.
 */
export function project(
  doc: Record<string, unknown>,
  fields: readonly string[] | null,
): Record<string, unknown> {
  if (fields === null) return doc;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (key === 'id' || key === 'day' || key === 'timestamp' || fields.includes(key)) {
      out[key] = value;
    }
  }
  return out;
}
