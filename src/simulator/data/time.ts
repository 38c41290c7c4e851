/**
 * Calendar days and time zones. Days are integers (days since 1970-01-01); instants are epoch
 * milliseconds. UTC offsets come from the runtime's IANA database (Intl), so DST switches happen on
 * the real dates of each zone.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const SLOT_MS = 300_000;

export function dayNumber(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dayString(ms / DAY_MS) === day ? ms / DAY_MS : Number.NaN;
}

const dayStrings = new Map<number, string>();

export function dayString(day: number): string {
  let s = dayStrings.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayStrings.set(day, s);
  }
  return s;
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The offset straight from the IANA database (slow: one formatToParts call). */
function rawOffset(zone: string, ms: number): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formatters.set(zone, f);
  }
  const name = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

interface SpanOffsets {
  readonly before: number;
  readonly after: number;
  /** Instant the offset switches from `before` to `after` (Infinity when it does not). */
  readonly switchMs: number;
}

const WEEK_MS = 7 * DAY_MS;
const spanOffsets = new Map<string, Map<number, SpanOffsets>>();

/**
 * UTC offset of `zone` at instant `ms`, in minutes. The IANA database is asked once per week of
 * UTC time; in a week whose two ends differ, the switch instant is found by bisection (zones
 * switch at most once a week, on a whole minute).
 */
export function offsetMinutes(zone: string, ms: number): number {
  let cache = spanOffsets.get(zone);
  if (!cache) {
    cache = new Map();
    spanOffsets.set(zone, cache);
  }
  const week = Math.floor(ms / WEEK_MS);
  let info = cache.get(week);
  if (!info) {
    const prev = cache.get(week - 1);
    const next = cache.get(week + 1);
    const before = prev ? prev.after : rawOffset(zone, week * WEEK_MS);
    const after = next ? next.before : rawOffset(zone, (week + 1) * WEEK_MS);
    let switchMs = Number.POSITIVE_INFINITY;
    if (before !== after) {
      let lo = week * WEEK_MS;
      let hi = (week + 1) * WEEK_MS;
      while (hi - lo > MINUTE_MS) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
        if (rawOffset(zone, mid) === before) lo = mid;
        else hi = mid;
      }
      switchMs = hi;
    }
    info = { before, after, switchMs };
    cache.set(week, info);
  }
  return ms < info.switchMs ? info.before : info.after;
}

/**
 * The instant of a local wall-clock time: `minute` minutes after local midnight of `day` (may be
 * negative or exceed a day). Times skipped by a spring-forward switch land an hour later.
 */
export function localToUtc(zone: string, day: number, minute: number): number {
  const wall = day * DAY_MS + minute * MINUTE_MS;
  const guess = wall - offsetMinutes(zone, wall) * MINUTE_MS;
  return wall - offsetMinutes(zone, guess) * MINUTE_MS;
}

/** The local calendar day of an instant. */
export function localDay(zone: string, ms: number): number {
  return Math.floor((ms + offsetMinutes(zone, ms) * MINUTE_MS) / DAY_MS);
}

/** Minutes since local midnight of an instant. */
export function localMinuteOfDay(zone: string, ms: number): number {
  const local = ms + offsetMinutes(zone, ms) * MINUTE_MS;
  return (local - Math.floor(local / DAY_MS) * DAY_MS) / MINUTE_MS;
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** `2025-03-30T23:12:00.000+02:00` (millis) or `2025-03-30T23:12:00+02:00`: local time with offset. */
export function formatLocal(ms: number, offset: number, millis: boolean): string {
  const local = ms + offset * MINUTE_MS;
  const day = Math.floor(local / DAY_MS);
  let rest = local - day * DAY_MS;
  const h = Math.floor(rest / HOUR_MS);
  rest -= h * HOUR_MS;
  const m = Math.floor(rest / MINUTE_MS);
  rest -= m * MINUTE_MS;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  const fraction = millis ? `.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}` : '';
  return `${dayString(day)}T${pad2(h)}:${pad2(m)}:${pad2(s)}${fraction}${formatOffset(offset)}`;
}

/** Local time in `zone` with that zone's offset at the instant. */
export function formatInZone(ms: number, zone: string, millis: boolean): string {
  return formatLocal(ms, offsetMinutes(zone, ms), millis);
}

/** `2024-11-11T08:30:00+00:00`: the UTC form Oura uses for time-series rows. */
export function formatUtc(ms: number): string {
  return formatLocal(ms, 0, false);
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
