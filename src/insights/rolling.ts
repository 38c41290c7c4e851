import { dayToUtcMs } from './days.ts';

const DAY_MS = 86_400_000;

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

interface WindowStats {
  count: number;
  sum: number;
  sumSq: number;
}

/**
 * Count, sum and sum of squares of the values in the trailing window `(day - windowDays, day]`
 * for each day of the series, kept as running totals (linear in the series, whatever the
 * window). The window is counted in calendar days, not rows, so missing nights never stretch it.
 */
function trailingWindows(
  series: readonly DayValue[],
  windowDays: number,
  emit: (day: string, stats: WindowStats) => void,
): void {
  const sorted = [...series].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const ms = sorted.map((p) => dayToUtcMs(p.day));
  const stats: WindowStats = { count: 0, sum: 0, sumSq: 0 };
  const usable = (v: number | null | undefined): v is number =>
    typeof v === 'number' && Number.isFinite(v);
  let start = 0;
  for (let i = 0; i < sorted.length; i++) {
    const current = sorted[i];
    if (!current) continue;
    if (usable(current.value)) {
      stats.count += 1;
      stats.sum += current.value;
      stats.sumSq += current.value * current.value;
    }
    const firstMs = (ms[i] ?? 0) - (windowDays - 1) * DAY_MS;
    while (start < i && (ms[start] ?? 0) < firstMs) {
      const v = sorted[start]?.value;
      if (usable(v)) {
        stats.count -= 1;
        stats.sum -= v;
        stats.sumSq -= v * v;
      }
      start++;
    }
    emit(current.day, stats);
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
  trailingWindows(series, windowDays, (day, w) => {
    out.push({ day, value: w.count >= minValues && w.count > 0 ? w.sum / w.count : null });
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
  trailingWindows(series, windowDays, (day, w) => {
    if (w.count < Math.max(1, minValues)) {
      out.push({ day, mean: null, lower: null, upper: null });
      return;
    }
    const m = w.sum / w.count;
    // Sample variance from running sums; clamped at 0 against rounding on constant series.
    const variance = w.count > 1 ? Math.max(0, (w.sumSq - w.count * m * m) / (w.count - 1)) : 0;
    const sd = Math.sqrt(variance);
    out.push({ day, mean: m, lower: m - sds * sd, upper: m + sds * sd });
  });
  return out;
}
