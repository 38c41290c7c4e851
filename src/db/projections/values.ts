import { ProjectionError } from '../errors.ts';

/**
 * Readers that take one field of an Oura document and return the value for its typed column,
 * or throw ProjectionError naming the field. Missing and null both read as null (Oura drops and
 * adds fields between spec versions); a present value of the wrong type is an error, so a bad
 * document is recorded instead of being half-written.
 */

export type Doc = Record<string, unknown>;

const INT4_MAX = 2_147_483_647;

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

function fail(path: readonly string[], expected: string, value: unknown): never {
  throw new ProjectionError(`${path.join('.')}: expected ${expected}, got ${describe(value)}`);
}

/** The value at `path`, undefined when any step is missing or null. */
export function get(doc: Doc, path: readonly string[]): unknown {
  let value: unknown = doc;
  for (let i = 0; i < path.length; i++) {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      fail(path.slice(0, i), 'an object', value);
    }
    value = (value as Doc)[path[i] as string];
  }
  return value;
}

export function text(doc: Doc, ...path: string[]): string | null {
  const v = get(doc, path);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') fail(path, 'a string', v);
  return v;
}

/** An integer that fits PostgreSQL's `integer`. */
export function int(doc: Doc, ...path: string[]): number | null {
  const v = get(doc, path);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > INT4_MAX) {
    fail(path, 'an integer', v);
  }
  return v;
}

/** Any finite number (`double precision`). */
export function num(doc: Doc, ...path: string[]): number | null {
  const v = get(doc, path);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'a number', v);
  return v;
}

export function bool(doc: Doc, ...path: string[]): boolean | null {
  const v = get(doc, path);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') fail(path, 'true or false', v);
  return v;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `v` is a real calendar day 'YYYY-MM-DD'. */
export function isDay(v: string): boolean {
  const m = DAY.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === v;
}

export function day(doc: Doc, ...path: string[]): string | null {
  const v = get(doc, path);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || !isDay(v)) fail(path, "a 'YYYY-MM-DD' day", v);
  return v;
}

/** The day `n` days after `d` ('YYYY-MM-DD'). */
export function addDays(d: string, n: number): string {
  const t = Date.parse(`${d}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export interface ParsedInstant {
  /** ISO 8601 in UTC, for a timestamptz column. */
  iso: string;
  /** Milliseconds since the epoch. */
  ms: number;
  /** The offset written in the string, in minutes; null when it had none (read as UTC). */
  offsetMinutes: number | null;
  /** The local calendar date as written ('YYYY-MM-DD'). */
  localDay: string;
}

/**
 * Parse Oura's ISO date-times ("2024-10-10T01:01:59.000+02:00", "...Z"). The local date and
 * offset come from the string itself: that is the person's own time zone at that moment.
 */
export function parseInstant(v: string): ParsedInstant | null {
  const m = INSTANT.exec(v);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', frac = '', zone] = m;
  const localDay = `${y}-${mo}-${d}`;
  if (!isDay(localDay) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  let offsetMinutes: number | null = null;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 18 || om > 59) return null;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  } else if (zone) {
    offsetMinutes = 0;
  }
  const wall = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number(frac.padEnd(3, '0').slice(0, 3)),
  );
  const ms = wall - (offsetMinutes ?? 0) * 60_000;
  return { iso: new Date(ms).toISOString(), ms, offsetMinutes, localDay };
}

export function instantOf(doc: Doc, ...path: string[]): ParsedInstant | null {
  const v = get(doc, path);
  if (v === undefined || v === null) return null;
  const parsed = typeof v === 'string' ? parseInstant(v) : null;
  if (!parsed) fail(path, 'an ISO 8601 date-time', v);
  return parsed;
}

/** A timestamptz column value (UTC ISO string). */
export function instant(doc: Doc, ...path: string[]): string | null {
  return instantOf(doc, ...path)?.iso ?? null;
}

export function offsetOf(doc: Doc, ...path: string[]): number | null {
  return instantOf(doc, ...path)?.offsetMinutes ?? null;
}

export function textArray(doc: Doc, ...path: string[]): string[] | null {
  const v = get(doc, path);
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    fail(path, 'an array of strings', v);
  }
  return v;
}

export interface SampleColumns {
  interval: number | null;
  start: string | null;
  /** For a jsonb column: the array itself, serialised once with the whole row (rows.ts). */
  items: readonly (number | null)[] | null;
}

/**
 * Oura's sample series `{interval, items, timestamp}` (PublicSample): item i was measured at
 * timestamp + i * interval seconds; null items are gaps and keep their place (NOTES "HR/HRV").
 */
export function sample(doc: Doc, ...path: string[]): SampleColumns {
  const v = get(doc, path);
  if (v === undefined || v === null) return { interval: null, start: null, items: null };
  if (typeof v !== 'object' || Array.isArray(v)) fail(path, 'a sample object', v);
  const interval = num(doc, ...path, 'interval');
  const items = get(doc, [...path, 'items']);
  if (
    items !== undefined &&
    items !== null &&
    !(Array.isArray(items) && items.every((x) => x === null || Number.isFinite(x)))
  ) {
    fail([...path, 'items'], 'an array of numbers or nulls', items);
  }
  const start = instant(doc, ...path, 'timestamp');
  return { interval, start, items: (items as (number | null)[] | null | undefined) ?? null };
}

export function required<T>(value: T | null, field: string): T {
  if (value === null) throw new ProjectionError(`${field}: missing (required)`);
  return value;
}

/** A UTC offset given in seconds (sleep_time's `day_tz`), as minutes. */
export function offsetFromSeconds(doc: Doc, ...path: string[]): number | null {
  const seconds = int(doc, ...path);
  if (seconds === null) return null;
  if (Math.abs(seconds) > 18 * 3600) fail(path, 'a UTC offset in seconds', seconds);
  return Math.round(seconds / 60);
}

/** A JSON array, for a jsonb column (serialised once with the whole row, rows.ts). */
export function jsonArray(doc: Doc, ...path: string[]): readonly unknown[] | null {
  const v = get(doc, path);
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) fail(path, 'an array', v);
  return v;
}
