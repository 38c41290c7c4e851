import { bootstrapInterval } from './bootstrap.ts';
import { weekdayIndex } from './days.ts';
import { hedgesG } from './effectSize.ts';
import { normalCdf, tQuantile } from './normal.ts';

/**
 * A tag experiment: the nights after days with something (a tag, a workout type, or every night
 * from a date on) against all other nights. The difference is stratified by weekday and weekend
 * nights, because people tag more on Friday and Saturday and sleep differently after them: each
 * stratum compares like with like, and the strata are weighted by how many exposed nights each
 * holds. A percentile bootstrap (resampling every group and stratum on its own, seeded) gives the
 * interval (95 % unless the caller asks for a simultaneous level).
 */

/** Fewest nights in each group before a difference is reported as evidence. */
export const MIN_GROUP_NIGHTS = 5;
export const DEFAULT_RESAMPLES = 2000;

export interface NightValue {
  /** Wake-up day of the night. */
  readonly day: string;
  readonly value: number;
}

export type Verdict = 'higher' | 'lower' | 'no_evidence' | 'too_few';

export interface ExperimentStats {
  readonly nExposed: number;
  readonly nOther: number;
  readonly meanExposed: number | null;
  readonly meanOther: number | null;
  /** Weekday/weekend-stratified difference, exposed minus other; null when not estimable. */
  readonly difference: number | null;
  /** difference / meanOther. */
  readonly relative: number | null;
  /** Hedges' g of the two groups as they are (not stratified). */
  readonly hedgesG: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly verdict: Verdict;
}

/** Saturday and Sunday wake-ups: the nights after the usual days off. */
const weekendNight = (day: string) => weekdayIndex(day) >= 5;

const avg = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Stratified difference over [exposedWeekday, exposedWeekend, otherWeekday, otherWeekend]. */
function stratifiedDifference(groups: readonly (readonly number[])[]): number {
  let weighted = 0;
  let weight = 0;
  for (let s = 0; s < 2; s++) {
    const e = groups[s] ?? [];
    const o = groups[s + 2] ?? [];
    if (e.length === 0 || o.length === 0) continue;
    weighted += e.length * (avg(e) - avg(o));
    weight += e.length;
  }
  return weight === 0 ? Number.NaN : weighted / weight;
}

/**
 * The percentile bootstrap is too narrow for small groups. Hesterberg's (2015) expanded
 * percentile interval widens it: it takes the percentiles at the level whose normal quantile is
 * sqrt(n / (n - 1)) · t(0.975, n - 1), with n the smaller group. Near 95 % for large groups.
 */
export function expandedLevel(n: number, level = 0.95): number {
  const k = Math.sqrt(n / (n - 1)) * tQuantile(1 - (1 - level) / 2, n - 1);
  return 2 * normalCdf(k) - 1;
}

/**
 * Per-outcome level when several outcomes are read at once (Bonferroni): the intervals then hold
 * their 95 % together, so six outcomes do not give six chances of a false finding.
 */
export function simultaneousLevel(outcomes: number, level = 0.95): number {
  return 1 - (1 - level) / Math.max(1, outcomes);
}

const sd = (xs: readonly number[]) => {
  if (xs.length < 2) return 0;
  const m = avg(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};

/**
 * t interval of the stratified difference: each stratum's variance from its group's overall SD,
 * weighted as the estimate is, with n - 1 degrees of freedom of the smaller group (conservative).
 */
function tInterval(
  groups: readonly (readonly number[])[],
  estimate: number,
  n: number,
  level: number,
): { lower: number; upper: number } {
  const se = sd([...(groups[0] ?? []), ...(groups[1] ?? [])]);
  const so = sd([...(groups[2] ?? []), ...(groups[3] ?? [])]);
  let total = 0;
  for (let s = 0; s < 2; s++) {
    const ne = groups[s]?.length ?? 0;
    const no = groups[s + 2]?.length ?? 0;
    if (ne > 0 && no > 0) total += ne;
  }
  let variance = 0;
  for (let s = 0; s < 2; s++) {
    const ne = groups[s]?.length ?? 0;
    const no = groups[s + 2]?.length ?? 0;
    if (ne === 0 || no === 0) continue;
    const w = ne / total;
    variance += w * w * ((se * se) / ne + (so * so) / no);
  }
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(variance);
  return { lower: estimate - half, upper: estimate + half };
}

/** A stable 32-bit seed from text, so one question always gets the same resamples. */
export function seedFrom(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function compareNights(
  nights: readonly NightValue[],
  exposed: (day: string) => boolean,
  options: { resamples?: number; seed: number; level?: number },
): ExperimentStats {
  const groups: number[][] = [[], [], [], []];
  for (const n of nights) {
    if (!Number.isFinite(n.value)) continue;
    const index = (exposed(n.day) ? 0 : 2) + (weekendNight(n.day) ? 1 : 0);
    groups[index]?.push(n.value);
  }
  const [ewd = [], ewe = [], owd = [], owe = []] = groups;
  const e = [...ewd, ...ewe];
  const o = [...owd, ...owe];
  const meanExposed = e.length ? avg(e) : null;
  const meanOther = o.length ? avg(o) : null;
  const diff = stratifiedDifference(groups);
  const difference = Number.isFinite(diff) ? diff : null;
  const base = {
    nExposed: e.length,
    nOther: o.length,
    meanExposed,
    meanOther,
    difference,
    relative: difference !== null && meanOther ? difference / meanOther : null,
    hedgesG: hedgesG(e, o),
  };
  if (e.length < MIN_GROUP_NIGHTS || o.length < MIN_GROUP_NIGHTS || difference === null) {
    return { ...base, lower: null, upper: null, verdict: 'too_few' };
  }
  const ci = {
    ...bootstrapInterval(groups, stratifiedDifference, {
      resamples: options.resamples ?? DEFAULT_RESAMPLES,
      seed: options.seed,
      level: expandedLevel(Math.min(e.length, o.length), options.level),
    }),
  };
  // The bootstrap cannot reach beyond the data: with a handful of nights its interval is too
  // narrow. The Welch-style t interval of the same estimator bounds it from outside.
  const t = tInterval(groups, difference, Math.min(e.length, o.length), options.level ?? 0.95);
  ci.lower = Math.min(ci.lower, t.lower);
  ci.upper = Math.max(ci.upper, t.upper);
  const verdict: Verdict = ci.lower > 0 ? 'higher' : ci.upper < 0 ? 'lower' : 'no_evidence';
  return { ...base, lower: ci.lower, upper: ci.upper, verdict };
}
