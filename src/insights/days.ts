/** Calendar-day arithmetic on 'YYYY-MM-DD' strings (a sleep day is a date, never an instant). */

const DAY_MS = 86_400_000;

export function dayToUtcMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function utcMsToDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
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
