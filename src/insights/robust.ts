import { median } from './stats.ts';

/** Scale factor that makes the MAD estimate the standard deviation of normal data (1/Φ⁻¹(3/4)). */
export const MAD_TO_SD = 1.4826;

/** Median absolute deviation from the median (unscaled); null without values. */
export function medianAbsoluteDeviation(values: readonly number[]): number | null {
  const m = median(values);
  if (m === null) return null;
  return median(values.map((v) => Math.abs(v - m)));
}

export interface RobustBaseline {
  readonly n: number;
  readonly median: number;
  /** MAD × 1.4826, floored at the signal's smallest meaningful spread. */
  readonly scale: number;
}

/**
 * Median and scaled MAD of a baseline: the centre and spread that a few odd nights (an illness,
 * a party) cannot drag, unlike a mean and SD. `minScale` keeps a very steady baseline from
 * turning a measurement's rounding step into a large deviation.
 */
export function robustBaseline(values: readonly number[], minScale = 0): RobustBaseline | null {
  const m = median(values);
  const mad = medianAbsoluteDeviation(values);
  if (m === null || mad === null) return null;
  return { n: values.length, median: m, scale: Math.max(mad * MAD_TO_SD, minScale) };
}

/** (value − median) / scale. */
export function robustZ(value: number, baseline: RobustBaseline): number {
  return (value - baseline.median) / baseline.scale;
}

/**
 * Distribution-free 95 % interval for a median from order statistics (normal approximation to
 * the binomial; Conover 1999: 1-based ranks n/2 − 1.96·√n/2 and 1 + n/2 + 1.96·√n/2, e.g. the
 * 40th and 61st of 100). Null below 6 values, where no such interval reaches 95 %.
 */
export function medianInterval(values: readonly number[]): [number, number] | null {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = xs.length;
  if (n < 6) return null;
  const half = (1.959964 * Math.sqrt(n)) / 2;
  const lo = Math.max(0, Math.floor(n / 2 - half) - 1);
  const hi = Math.min(n - 1, Math.ceil(1 + n / 2 + half) - 1);
  return [xs[lo] ?? Number.NaN, xs[hi] ?? Number.NaN];
}
