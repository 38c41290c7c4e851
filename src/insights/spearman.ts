import { twoSidedP, Z95 } from './normal.ts';

/** Ranks 1..n, ties sharing the mean of their positions (as Spearman's rho needs). */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const out = new Array<number>(values.length);
  let k = 0;
  while (k < order.length) {
    let end = k;
    while (end + 1 < order.length && order[end + 1]?.v === order[k]?.v) end++;
    const rank = (k + end) / 2 + 1;
    for (let j = k; j <= end; j++) {
      const item = order[j];
      if (item) out[item.i] = rank;
    }
    k = end + 1;
  }
  return out;
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] ?? 0;
    my += y[i] ?? 0;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] ?? 0) - mx;
    const dy = (y[i] ?? 0) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

export interface SpearmanResult {
  readonly rho: number;
  readonly n: number;
  /** 95 % interval: Fisher z with the Bonett & Wright (2000) standard error. */
  readonly lower: number;
  readonly upper: number;
  /** Two-sided p-value of rho = 0 from the same z statistic. */
  readonly p: number;
}

/** Fewest pairs for which an interval is given (the Bonett–Wright SE needs n > 3). */
export const MIN_PAIRS = 10;

/**
 * Spearman's rank correlation (Pearson's r of the ranks, ties averaged). The interval transforms
 * rho with Fisher's z = atanh(rho) and uses SE = sqrt((1 + rho²/2) / (n - 3)) (Bonett & Wright,
 * 2000), which keeps coverage near 95 % where the plain 1/sqrt(n - 3) is too narrow.
 * Null with fewer than MIN_PAIRS pairs or when either side never varies.
 */
export function spearman(x: readonly number[], y: readonly number[]): SpearmanResult | null {
  const n = Math.min(x.length, y.length);
  if (n < MIN_PAIRS) return null;
  const rho = pearson(ranks(x.slice(0, n)), ranks(y.slice(0, n)));
  if (!Number.isFinite(rho)) return null;
  const se = Math.sqrt((1 + (rho * rho) / 2) / (n - 3));
  // atanh(±1) is infinite; a perfect rank agreement keeps its end of the interval at ±1.
  const clipped = Math.max(-0.999999, Math.min(0.999999, rho));
  const z = Math.atanh(clipped);
  return {
    rho,
    n,
    lower: Math.tanh(z - Z95 * se),
    upper: Math.tanh(z + Z95 * se),
    p: twoSidedP(z / se),
  };
}

/**
 * Theil–Sen line (median of pairwise slopes; Sen, 1968): a trend line a few outliers cannot
 * tilt. Pairs are capped by taking every k-th point first (at most `maxPoints`).
 */
export function theilSen(
  x: readonly number[],
  y: readonly number[],
  maxPoints = 800,
): { slope: number; intercept: number } | null {
  const step = Math.max(1, Math.ceil(x.length / maxPoints));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i += step) {
    xs.push(x[i] ?? 0);
    ys.push(y[i] ?? 0);
  }
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const dx = (xs[j] ?? 0) - (xs[i] ?? 0);
      if (dx !== 0) slopes.push(((ys[j] ?? 0) - (ys[i] ?? 0)) / dx);
    }
  }
  if (slopes.length === 0) return null;
  slopes.sort((a, b) => a - b);
  const mid = slopes.length >> 1;
  const slope =
    slopes.length % 2 ? (slopes[mid] ?? 0) : ((slopes[mid - 1] ?? 0) + (slopes[mid] ?? 0)) / 2;
  const intercepts = xs.map((xi, i) => (ys[i] ?? 0) - slope * xi).sort((a, b) => a - b);
  const m = intercepts.length >> 1;
  const intercept =
    intercepts.length % 2
      ? (intercepts[m] ?? 0)
      : ((intercepts[m - 1] ?? 0) + (intercepts[m] ?? 0)) / 2;
  return { slope, intercept };
}
