/** Calendar-day arithmetic on 'YYYY-MM-DD' strings (a sleep day is a date, never an instant). */

const DAY_MS = 86_400_000;

// Both conversions are hot (every day of a five-year chart, several times): plain arithmetic
// instead of Date parsing and formatting.
export function dayToUtcMs(day: string): number {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const d = Number(day.slice(8, 10));
  return Date.UTC(y, m - 1, d);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Civil date from days since 1970-01-01 (Howard Hinnant's algorithm), valid for years 0-9999. */
export function utcMsToDay(ms: number): string {
  const z = Math.floor(ms / DAY_MS) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

export function addDays(day: string, n: number): string {
  return utcMsToDay(dayToUtcMs(day) + n * DAY_MS);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((dayToUtcMs(b) - dayToUtcMs(a)) / DAY_MS);
}

/** 0 = Monday ... 6 = Sunday (ISO weekday minus one). */
export function weekdayIndex(day: string): number {
  return (new Date(dayToUtcMs(day)).getUTCDay() + 6) % 7;
}

export function isValidDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = dayToUtcMs(value);
  return Number.isFinite(ms) && utcMsToDay(ms) === value;
}
