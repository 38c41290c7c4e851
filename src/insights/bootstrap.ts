import { seededRandom } from './random.ts';

/**
 * Bootstrap percentile intervals (Efron & Tibshirani, 1993, ch. 13) for a difference between two
 * groups, resampling each group (and each stratum within it) with replacement.
 */

/** Resamples are bounded before any work starts: 2,000 gives stable 2.5 % / 97.5 % percentiles. */
export const MAX_RESAMPLES = 10_000;

export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/** The q-quantile (0..1) of sorted values, linear between order statistics (R type 7). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? a;
  return a + (b - a) * (pos - lo);
}

/**
 * Percentile interval of `statistic` over `resamples` bootstrap replicates. `groups` are arrays
 * resampled independently (same sizes); `statistic` sees the resampled groups in the same order.
 */
export function bootstrapInterval(
  groups: readonly (readonly number[])[],
  statistic: (groups: readonly (readonly number[])[]) => number,
  options: { resamples: number; seed: number; level?: number },
): Interval {
  const resamples = Math.min(MAX_RESAMPLES, Math.max(1, Math.floor(options.resamples)));
  const level = options.level ?? 0.95;
  const random = seededRandom(options.seed);
  const buffers = groups.map((g) => new Array<number>(g.length));
  const stats: number[] = [];
  for (let b = 0; b < resamples; b++) {
    groups.forEach((g, gi) => {
      const buf = buffers[gi] ?? [];
      for (let i = 0; i < g.length; i++) buf[i] = g[Math.floor(random() * g.length)] ?? 0;
    });
    const s = statistic(buffers);
    if (Number.isFinite(s)) stats.push(s);
  }
  stats.sort((x, y) => x - y);
  const alpha = (1 - level) / 2;
  return { lower: quantileSorted(stats, alpha), upper: quantileSorted(stats, 1 - alpha) };
}
