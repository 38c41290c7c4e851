import { addDays } from './days.ts';
import { benjaminiHochberg } from './fdr.ts';
import { type SpearmanResult, spearman } from './spearman.ts';

/**
 * Lagged rank correlations between daily series, and the "strongest associations" across many
 * pairs with Benjamini–Hochberg control. Associations only: nothing here says what causes what.
 */

export const MAX_LAG = 3;
/** Tests in one strongest-associations run, decided before any work starts. */
export const MAX_TESTS = 3000;

/** One daily series: value per day ('YYYY-MM-DD'). */
export type DailyMap = ReadonlyMap<string, number>;

/** Pairs (x on day d, y on day d + lag) where both have a value. */
export function laggedPairs(
  x: DailyMap,
  y: DailyMap,
  lag: number,
): { days: string[]; x: number[]; y: number[] } {
  const days: string[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [day, xv] of [...x].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const yv = y.get(lag === 0 ? day : addDays(day, lag));
    if (yv === undefined || !Number.isFinite(xv) || !Number.isFinite(yv)) continue;
    days.push(day);
    xs.push(xv);
    ys.push(yv);
  }
  return { days, x: xs, y: ys };
}

export interface AssociationTest {
  readonly x: string;
  readonly y: string;
  readonly lag: number;
}

export interface Association extends AssociationTest, SpearmanResult {
  /** Benjamini–Hochberg adjusted p-value over every test of the run. */
  readonly q: number;
}

/**
 * Every candidate test (at most MAX_TESTS, in the given order), each a Spearman correlation,
 * then BH over all that could be computed. Returns those with q ≤ fdr, strongest |rho| first,
 * and how many tests were run.
 */
export function strongestAssociations(
  series: ReadonlyMap<string, DailyMap>,
  tests: readonly AssociationTest[],
  fdr = 0.05,
): { tested: number; kept: Association[] } {
  const results: (AssociationTest & SpearmanResult)[] = [];
  for (const t of tests.slice(0, MAX_TESTS)) {
    const x = series.get(t.x);
    const y = series.get(t.y);
    if (!x || !y) continue;
    const pairs = laggedPairs(x, y, t.lag);
    const r = spearman(pairs.x, pairs.y);
    if (r) results.push({ ...t, ...r });
  }
  const q = benjaminiHochberg(results.map((r) => r.p));
  const kept = results
    .map((r, i) => ({ ...r, q: q[i] ?? 1 }))
    .filter((r) => r.q <= fdr)
    .sort((a, b) => Math.abs(b.rho) - Math.abs(a.rho));
  return { tested: results.length, kept };
}

/**
 * The candidate tests: every pair of metrics at lag 0 (once per pair), every ordered pair at
 * lags 1..MAX_LAG, and every tag (as a 0/1 day series) against every metric at lags 0..MAX_LAG.
 */
export function candidateTests(
  metrics: readonly string[],
  tags: readonly string[],
): AssociationTest[] {
  const out: AssociationTest[] = [];
  metrics.forEach((x, i) => {
    for (const y of metrics.slice(i + 1)) out.push({ x, y, lag: 0 });
  });
  for (let lag = 1; lag <= MAX_LAG; lag++) {
    for (const x of metrics) for (const y of metrics) if (x !== y) out.push({ x, y, lag });
  }
  for (const x of tags) {
    for (let lag = 0; lag <= MAX_LAG; lag++) for (const y of metrics) out.push({ x, y, lag });
  }
  return out;
}
