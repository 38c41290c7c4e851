import type { WeekMetric } from '../api/types.ts';
import { addDays, weekdayIndex } from './days.ts';
import type { DayValue } from './rolling.ts';
import { mean, standardDeviation } from './stats.ts';

/** Monday of the ISO week holding `day`. */
export function isoWeekStart(day: string): string {
  return addDays(day, -weekdayIndex(day));
}

/** Two-sided 97.5 % quantiles of Student's t for 1…10 degrees of freedom. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

export function tQuantile975(df: number): number {
  if (df < 1) return Number.NaN;
  return T975[Math.floor(df) - 1] ?? (df <= 30 ? 2.042 + (10 / df) * 0.19 : 1.96);
}

const MIN_WEEK_NIGHTS = 3;
const MIN_BASELINE_NIGHTS = 14;

/**
 * A week's mean against the mean of the 60 nights before it, with a 95 % interval for the
 * difference (Welch's standard error; Student's t on the week's n − 1 degrees of freedom,
 * conservative next to the Welch–Satterthwaite df because the baseline is much longer).
 * With fewer than 3 nights in the week or 14 in the baseline the difference is left out.
 */
export function weekMetric(
  info: Pick<WeekMetric, 'key' | 'label' | 'unit' | 'higherIsBetter'>,
  week: readonly DayValue[],
  baseline: readonly DayValue[],
): WeekMetric {
  const w = week.map((v) => v.value).filter((v): v is number => v !== null);
  const b = baseline.map((v) => v.value).filter((v): v is number => v !== null);
  const wm = mean(w);
  const bm = mean(b);
  const wsd = standardDeviation(w);
  const bsd = standardDeviation(b);
  let delta: number | null = null;
  let interval: [number, number] | null = null;
  if (
    wm !== null &&
    bm !== null &&
    wsd !== null &&
    bsd !== null &&
    w.length >= MIN_WEEK_NIGHTS &&
    b.length >= MIN_BASELINE_NIGHTS
  ) {
    delta = wm - bm;
    const se = Math.sqrt(wsd ** 2 / w.length + bsd ** 2 / b.length);
    const t = tQuantile975(w.length - 1);
    interval = [delta - t * se, delta + t * se];
  }
  return {
    ...info,
    mean: wm,
    n: w.length,
    baseline: bm,
    baselineSd: bsd,
    baselineN: b.length,
    delta,
    deltaInterval: interval,
  };
}

/** Best and worst night of the week by a score (ties: the earlier day). */
export function bestAndWorst(scores: readonly DayValue[]): {
  best: { day: string; score: number } | null;
  worst: { day: string; score: number } | null;
} {
  let best: { day: string; score: number } | null = null;
  let worst: { day: string; score: number } | null = null;
  for (const s of scores) {
    if (s.value === null) continue;
    if (!best || s.value > best.score) best = { day: s.day, score: s.value };
    if (!worst || s.value < worst.score) worst = { day: s.day, score: s.value };
  }
  return { best, worst };
}
