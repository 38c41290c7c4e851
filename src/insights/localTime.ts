import { dayToUtcMs } from './days.ts';

/**
 * Wall-clock arithmetic at a fixed UTC offset. Every Oura record carries its own offset (from
 * its timestamps); rendering in it keeps travel and DST nights in the time zone the person was
 * in, whatever zone the server runs in.
 */

const pad = (n: number) => String(n).padStart(2, '0');

export function offsetString(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const a = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** ISO 8601 local date-time with its offset, e.g. `2026-03-29T01:30:00+01:00`. */
export function isoWithOffset(instant: Date, offsetMinutes: number): string {
  const local = new Date(instant.getTime() + offsetMinutes * 60_000);
  return `${local.toISOString().slice(0, 19)}${offsetString(offsetMinutes)}`;
}

/** 'HH:MM' (24 h) at the offset. */
export function localClock(instant: Date, offsetMinutes: number): string {
  const local = new Date(instant.getTime() + offsetMinutes * 60_000);
  return `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/**
 * Minutes from local midnight starting `day` to the instant, at the offset: 23:30 the evening
 * before is -30, 07:15 on the day is 435.
 */
export function minutesFromLocalMidnight(
  instant: Date,
  offsetMinutes: number,
  day: string,
): number {
  return (instant.getTime() + offsetMinutes * 60_000 - dayToUtcMs(day)) / 60_000;
}

/** Offset in minutes of an ISO date-time string (`Z` = 0); null when it has none. */
export function parseOffsetMinutes(iso: string): number | null {
  if (/[zZ]$/.test(iso)) return 0;
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  if (!m) return null;
  const v = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -v : v;
}
