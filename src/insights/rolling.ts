import { addDays, dayToUtcMs } from './days.ts';
import { mean, standardDeviation } from './stats.ts';

export interface DayValue {
  readonly day: string;
  readonly value: number | null;
}

export interface RollingPoint {
  readonly day: string;
  readonly value: number | null;
}

export interface BandPoint {
  readonly day: string;
  readonly mean: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

/**
 * Values per calendar day inside the trailing window `(day - windowDays, day]`. The window is
 * counted in calendar days, not in rows, so a gap of missing nights never stretches it.
 */
function trailingWindows(
  series: readonly DayValue[],
  windowDays: number,
  emit: (day: string, values: number[]) => void,
): void {
  const sorted = [...series].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  let start = 0;
  const window: { ms: number; value: number | null }[] = sorted.map((p) => ({
    ms: dayToUtcMs(p.day),
    value: p.value,
  }));
  for (let i = 0; i < sorted.length; i++) {
    const current = sorted[i];
    const here = window[i];
    if (!current || !here) continue;
    const firstMs = dayToUtcMs(addDays(current.day, -(windowDays - 1)));
    while (start < i && (window[start]?.ms ?? 0) < firstMs) start++;
    const values: number[] = [];
    for (let j = start; j <= i; j++) {
      const v = window[j]?.value;
      if (typeof v === 'number' && Number.isFinite(v)) values.push(v);
    }
    emit(current.day, values);
  }
}

/**
 * Trailing rolling mean over `windowDays` calendar days, ending on each day of the series.
 * A day gets a value once its window holds at least `minValues` values (default: more than half
 * the window), so the first days of a history or the days after a long gap stay empty.
 */
export function rollingMean(
  series: readonly DayValue[],
  windowDays = 7,
  minValues = Math.floor(windowDays / 2) + 1,
): RollingPoint[] {
  const out: RollingPoint[] = [];
  trailingWindows(series, windowDays, (day, values) => {
    out.push({ day, value: values.length >= minValues ? mean(values) : null });
  });
  return out;
}

/**
 * Personal baseline band: trailing mean +/- `sds` standard deviations over `windowDays` calendar
 * days (default 60 days, +/- 1 SD), from at least `minValues` values.
 */
export function baselineBand(
  series: readonly DayValue[],
  windowDays = 60,
  sds = 1,
  minValues = 14,
): BandPoint[] {
  const out: BandPoint[] = [];
  trailingWindows(series, windowDays, (day, values) => {
    if (values.length < minValues) {
      out.push({ day, mean: null, lower: null, upper: null });
      return;
    }
    const m = mean(values);
    const sd = standardDeviation(values) ?? 0;
    out.push({
      day,
      mean: m,
      lower: m === null ? null : m - sds * sd,
      upper: m === null ? null : m + sds * sd,
    });
  });
  return out;
}
