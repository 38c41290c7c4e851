/**
 * Parsing of the date and date-time query parameters. The spec types `start_date`/`end_date` as
 * `date | date-time` and `start_datetime`/`end_datetime` as `date-time`; a `+` in an offset must
 * be sent as `%2B` (spec code samples), an unescaped one arrives as a space and is rejected.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

const DAY_MS = 86_400_000;

export interface DateParam {
  /** Local calendar day written in the parameter ('YYYY-MM-DD'). */
  day: string;
  /** Whether a time of day was given. */
  hasTime: boolean;
  /** Whether the time, if any, is exactly midnight. */
  atMidnight: boolean;
  /** Sortable 'YYYY-MM-DDTHH:MM:SS.fffffffff' in the parameter's own local time. */
  localKey: string;
}

function validDay(y: string, m: string, d: string): boolean {
  const month = Number(m);
  const dayOfMonth = Number(d);
  if (month < 1 || month > 12 || dayOfMonth < 1) return false;
  const daysInMonth = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  return dayOfMonth <= daysInMonth;
}

function validTime(h: string, min: string, s: string | undefined): boolean {
  return Number(h) < 24 && Number(min) < 60 && Number(s ?? '0') < 60;
}

/** A `date` or `date-time` value, or undefined when it is neither. */
export function parseDateParam(raw: string): DateParam | undefined {
  const date = DATE.exec(raw);
  if (date) {
    const [, y = '', m = '', d = ''] = date;
    if (!validDay(y, m, d)) return undefined;
    return { day: raw, hasTime: false, atMidnight: true, localKey: `${raw}T00:00:00.000000000` };
  }
  const dt = DATE_TIME.exec(raw);
  if (!dt) return undefined;
  const [, y = '', m = '', d = '', h = '', min = '', s, frac] = dt;
  if (!validDay(y, m, d) || !validTime(h, min, s)) return undefined;
  const fraction = (frac ?? '').padEnd(9, '0');
  const day = `${y}-${m}-${d}`;
  return {
    day,
    hasTime: true,
    atMidnight: h === '00' && min === '00' && (s ?? '00') === '00' && /^0*$/.test(fraction),
    localKey: `${day}T${h}:${min}:${s ?? '00'}.${fraction}`,
  };
}

/**
 * An instant in epoch ms for a date-time parameter. A value without an offset is read as UTC; a
 * bare date is read as its UTC midnight (lenient, as pydantic accepts it for datetimes).
 */
export function parseInstant(raw: string): number | undefined {
  const p = parseDateParam(raw);
  if (!p) return undefined;
  if (!p.hasTime) return Date.parse(`${raw}T00:00:00Z`);
  const dt = DATE_TIME.exec(raw);
  const offset = dt?.[8];
  const base = raw.replace(' ', 'T').replace(/(Z|z|[+-]\d{2}:?\d{2})$/, '');
  let iso = base;
  if (offset === undefined || offset === 'Z' || offset === 'z') iso += 'Z';
  else iso += offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export { DAY_MS };
