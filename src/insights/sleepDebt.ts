import type { SleepDebtResult, SleepNeedEstimate } from '../api/types.ts';
import { addDays, daysBetween } from './days.ts';
import { medianInterval } from './robust.ts';
import { circularMeanMinutes, median } from './stats.ts';

/** One main night, for the debt and the bedtime window. */
export interface DebtNight {
  readonly day: string;
  /** Seconds asleep. */
  readonly totalSleep: number | null;
  readonly timeInBed: number | null;
  /** Wake time, minutes after the wake day's local midnight. */
  readonly wakeMinutes: number;
}

export const DEBT_WINDOW_NIGHTS = 14;
/** A night's weight halves every 7 nights back: last night counts 1, a week ago 0.5. */
export const DEBT_HALF_LIFE_NIGHTS = 7;
const NEED_HISTORY_DAYS = 90;
const MIN_NEED_NIGHTS = 14;
const MIN_DEBT_NIGHTS = 7;
const DEFAULT_NEED_MINUTES = 480;
/** Repay over about a week, at most an hour a night (longer extensions rarely hold). */
const REPAY_NIGHTS = 7;
const MAX_REPAY_MINUTES = 60;
const WINDOW_HALF_MINUTES = 15;

/** Weight of the night `age` nights before the last one (0 = last night). */
export function debtWeight(age: number): number {
  return 0.5 ** (age / DEBT_HALF_LIFE_NIGHTS);
}

/**
 * Sleep need from the person's own history: the median time asleep over the last 90 nights, with
 * a distribution-free 95 % interval. The median, unlike the mean, is not pulled down by runs of
 * short nights nor up by the odd recovery sleep. A set value in settings wins.
 */
export function estimateSleepNeed(
  nights: readonly DebtNight[],
  day: string,
  override: number | null,
): SleepNeedEstimate {
  const minutes = nights
    .filter((n) => n.day <= day && daysBetween(n.day, day) < NEED_HISTORY_DAYS)
    .map((n) => (n.totalSleep === null ? null : n.totalSleep / 60))
    .filter((v): v is number => v !== null && v > 0);
  if (override !== null) return { minutes: override, source: 'settings', interval: null, n: 0 };
  if (minutes.length < MIN_NEED_NIGHTS) {
    return { minutes: DEFAULT_NEED_MINUTES, source: 'default', interval: null, n: minutes.length };
  }
  return {
    minutes: Math.round(median(minutes) ?? DEFAULT_NEED_MINUTES),
    source: 'history',
    interval: medianInterval(minutes),
    n: minutes.length,
  };
}

/**
 * Weighted shortfall over the last 14 nights: Σ wᵢ·(need − sleepᵢ) scaled to 14 nights
 * (× 14 / Σ wᵢ over recorded nights), so a steady hour short a night is 14 h of debt whatever the
 * weights, and a recent short night counts more than one two weeks ago. Long nights repay;
 * the debt never goes below zero.
 */
export function weightedDebt(
  shortfalls: readonly { age: number; minutes: number }[],
): number | null {
  if (shortfalls.length === 0) return null;
  let sum = 0;
  let weights = 0;
  for (const s of shortfalls) {
    const w = debtWeight(s.age);
    sum += w * s.minutes;
    weights += w;
  }
  return Math.max(0, (sum * DEBT_WINDOW_NIGHTS) / weights);
}

const wrap = (m: number) => ((m % 1440) + 1440) % 1440;

function clock(m: number): string {
  const w = Math.round(wrap(m));
  return `${String(Math.floor(w / 60) % 24).padStart(2, '0')}:${String(w % 60).padStart(2, '0')}`;
}

function hm(minutes: number): string {
  const m = Math.round(minutes);
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`;
}

/** Debt, need and tonight's bedtime window for the night ending on `day`. */
export function sleepDebt(
  nights: readonly DebtNight[],
  day: string,
  needOverride: number | null = null,
): SleepDebtResult {
  const need = estimateSleepNeed(nights, day, needOverride);
  const byDay = new Map(nights.map((n) => [n.day, n]));
  const rows: SleepDebtResult['nights'] = [];
  const shortfalls: { age: number; minutes: number }[] = [];
  for (let age = DEBT_WINDOW_NIGHTS - 1; age >= 0; age--) {
    const d = addDays(day, -age);
    const n = byDay.get(d);
    const sleep = n?.totalSleep != null ? n.totalSleep / 60 : null;
    const shortfall = sleep === null ? null : need.minutes - sleep;
    if (shortfall !== null) shortfalls.push({ age, minutes: shortfall });
    rows.push({
      day: d,
      sleepMinutes: sleep === null ? null : Math.round(sleep),
      weight: Math.round(debtWeight(age) * 1000) / 1000,
      shortfallMinutes: shortfall === null ? null : Math.round(shortfall),
    });
  }
  const enough = shortfalls.length >= MIN_DEBT_NIGHTS;
  const debt = enough ? weightedDebt(shortfalls) : null;

  const recent = nights.filter((n) => n.day <= day && daysBetween(n.day, day) < 28);
  const wake = circularMeanMinutes(recent.map((n) => wrap(n.wakeMinutes)));
  const efficiency = median(
    recent.map((n) => (n.totalSleep !== null && n.timeInBed ? n.totalSleep / n.timeInBed : null)),
  );
  let bedtime: SleepDebtResult['bedtime'] = null;
  if (wake !== null && efficiency !== null && efficiency > 0 && recent.length >= MIN_DEBT_NIGHTS) {
    const repay = Math.min(MAX_REPAY_MINUTES, (debt ?? 0) / REPAY_NIGHTS);
    const target = need.minutes + repay;
    const centre = wake - target / efficiency;
    bedtime = {
      earliest: Math.round(wrap(centre - WINDOW_HALF_MINUTES)),
      latest: Math.round(wrap(centre + WINDOW_HALF_MINUTES)),
      usualWake: Math.round(wake),
      targetSleepMinutes: Math.round(target),
      repayMinutes: Math.round(repay),
      efficiency: Math.round(efficiency * 1000) / 1000,
      n: recent.length,
    };
  }
  const needText =
    need.source === 'settings'
      ? `your set need of ${hm(need.minutes)}`
      : need.source === 'history'
        ? `your usual ${hm(need.minutes)} (median of ${need.n} nights)`
        : `a default of ${hm(need.minutes)} (only ${need.n} nights of history)`;
  const message =
    debt === null
      ? `Not enough nights to judge sleep debt: ${shortfalls.length} of the last ${DEBT_WINDOW_NIGHTS} recorded, ${MIN_DEBT_NIGHTS} needed.`
      : `${debt < 1 ? 'No sleep debt' : `Sleep debt ${hm(debt)}`} over the last ${DEBT_WINDOW_NIGHTS} nights against ${needText}, ${shortfalls.length} nights recorded.` +
        (bedtime
          ? ` Bed between ${clock(bedtime.earliest)} and ${clock(bedtime.latest)} gives ${hm(bedtime.targetSleepMinutes)} of sleep before your usual ${clock(bedtime.usualWake)} wake-up.`
          : '');
  return {
    day,
    need,
    debtMinutes: debt === null ? null : Math.round(debt),
    n: shortfalls.length,
    windowNights: DEBT_WINDOW_NIGHTS,
    nights: rows,
    bedtime,
    message,
  };
}
