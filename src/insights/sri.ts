import type { SriWindow } from '../api/types.ts';
import { addDays, daysBetween, dayToUtcMs } from './days.ts';

/** A sleep period as recorded: its local start and its 5-minute stage string. */
export interface HypnogramPeriod {
  /** Wake-up day of the night or nap. */
  readonly day: string;
  /** bedtime_start in local wall-clock ms (UTC ms + the period's offset). */
  readonly localStartMs: number;
  /** '1' deep, '2' light, '3' REM, '4' awake per 5 minutes. */
  readonly stages: string;
  /** The night (long_sleep) rather than a nap: a day counts as recorded only with its night. */
  readonly main: boolean;
}

export const EPOCH_MINUTES = 5;
export const EPOCHS_PER_DAY = 1440 / EPOCH_MINUTES;
const EPOCH_MS = EPOCH_MINUTES * 60_000;
const DAY_MS = 86_400_000;
const NOON_MS = 12 * 3_600_000;

/** 1 asleep, 0 awake, null not recorded. */
export type Epoch = 0 | 1 | null;

/**
 * Sleep/wake per 5-minute epoch for each wake day in [from, to], in local clock time: the row for
 * day D runs from noon on D−1 to noon on D, so its night sits in the middle. A day without its
 * night is not recorded (all null): time off the finger must not count as wake.
 */
export function sleepWakeMatrix(
  periods: readonly HypnogramPeriod[],
  from: string,
  to: string,
): Epoch[][] {
  const n = daysBetween(from, to) + 1;
  const firstMs = dayToUtcMs(from) - DAY_MS + NOON_MS;
  const rows: Epoch[][] = [];
  const recorded = new Set(periods.filter((p) => p.main).map((p) => p.day));
  for (let i = 0; i < n; i++) {
    const fill: Epoch = recorded.has(addDays(from, i)) ? 0 : null;
    rows.push(new Array<Epoch>(EPOCHS_PER_DAY).fill(fill));
  }
  for (const p of periods) {
    for (let k = 0; k < p.stages.length; k++) {
      const t = p.localStartMs + k * EPOCH_MS - firstMs;
      const row = rows[Math.floor(t / DAY_MS)];
      if (!row || row[0] === null) continue;
      const idx = Math.floor((t % DAY_MS) / EPOCH_MS);
      row[idx] = p.stages[k] === '4' ? 0 : 1;
    }
  }
  return rows;
}

/** Agreements and comparable epochs between consecutive days (one entry per day pair). */
export function dayPairs(rows: readonly Epoch[][]): { agree: number; valid: number }[] {
  const out: { agree: number; valid: number }[] = [];
  for (let j = 0; j + 1 < rows.length; j++) {
    const a = rows[j] as Epoch[];
    const b = rows[j + 1] as Epoch[];
    let agree = 0;
    let valid = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      if (x === null || x === undefined || y === null || y === undefined) continue;
      valid++;
      if (x === y) agree++;
    }
    out.push({ agree, valid });
  }
  return out;
}

/**
 * Sleep Regularity Index (Phillips et al. 2017): the probability of being in the same state
 * (asleep or awake) at two moments 24 h apart, scaled to −100..100:
 * SRI = −100 + 200 · (agreeing epoch pairs / comparable epoch pairs). 100: the same schedule
 * every day; 0: no relation between one day and the next.
 */
export function sriFromPairs(pairs: readonly { agree: number; valid: number }[]): number | null {
  let agree = 0;
  let valid = 0;
  for (const p of pairs) {
    agree += p.agree;
    valid += p.valid;
  }
  return valid === 0 ? null : -100 + (200 * agree) / valid;
}

export function sleepRegularityIndex(rows: readonly Epoch[][]): number | null {
  return sriFromPairs(dayPairs(rows));
}

/** Small deterministic generator (mulberry32) so a bootstrap gives the same interval each time. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Percentile bootstrap 95 % interval of the SRI, resampling day pairs. */
export function sriInterval(
  pairs: readonly { agree: number; valid: number }[],
  resamples = 1000,
): [number, number] | null {
  const usable = pairs.filter((p) => p.valid > 0);
  if (usable.length < 2) return null;
  const rand = mulberry32(usable.length * 7919 + 17);
  const stats: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let agree = 0;
    let valid = 0;
    for (let i = 0; i < usable.length; i++) {
      const p = usable[Math.floor(rand() * usable.length)] as { agree: number; valid: number };
      agree += p.agree;
      valid += p.valid;
    }
    stats.push(-100 + (200 * agree) / valid);
  }
  stats.sort((a, b) => a - b);
  return [stats[Math.floor(0.025 * resamples)] ?? 0, stats[Math.ceil(0.975 * resamples) - 1] ?? 0];
}

/** Comparable day pairs a window needs before it reports an SRI (5 of 6 in a week). */
export function minPairs(days: number): number {
  return Math.max(5, Math.ceil((days - 1) * 0.6));
}

/** SRI over the last `days` wake days ending on `to`. */
export function sriWindow(
  periods: readonly HypnogramPeriod[],
  to: string,
  days: number,
): SriWindow {
  const rows = sleepWakeMatrix(periods, addDays(to, 1 - days), to);
  const pairs = dayPairs(rows).filter((p) => p.valid > EPOCHS_PER_DAY / 2);
  const enough = pairs.length >= minPairs(days);
  const sri = enough ? sriFromPairs(pairs) : null;
  const round1 = (x: number) => Math.round(x * 10) / 10;
  const interval = enough ? sriInterval(pairs) : null;
  return {
    days,
    sri: sri === null ? null : round1(sri),
    pairs: pairs.length,
    interval: interval ? [round1(interval[0]), round1(interval[1])] : null,
  };
}

/** Trailing 7-day SRI for each day of [from, to] (null where too few pairs). */
export function dailySri(
  periods: readonly HypnogramPeriod[],
  from: string,
  to: string,
): { day: string; sri: number | null }[] {
  const start = addDays(from, -6);
  const pairs = dayPairs(sleepWakeMatrix(periods, start, to));
  const out: { day: string; sri: number | null }[] = [];
  const n = daysBetween(from, to) + 1;
  for (let i = 0; i < n; i++) {
    // Pairs i..i+5 join the 7 days ending on from+i.
    const window = pairs.slice(i, i + 6).filter((p) => p.valid > EPOCHS_PER_DAY / 2);
    const sri = window.length >= minPairs(7) ? sriFromPairs(window) : null;
    out.push({ day: addDays(from, i), sri: sri === null ? null : Math.round(sri * 10) / 10 });
  }
  return out;
}
