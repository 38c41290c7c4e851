import type { ChronotypeResult } from '../api/types.ts';
import { weekdayIndex } from './days.ts';
import { circularMeanMinutes, circularSdMinutes } from './stats.ts';

/** Sleep onset and wake of one main night, minutes after the wake day's local midnight. */
export interface OnsetNight {
  readonly day: string;
  /** Sleep onset (bedtime + latency); negative: the evening before. */
  readonly onsetMinutes: number;
  readonly wakeMinutes: number;
}

export const DEFAULT_WORK_DAYS: readonly number[] = [1, 2, 3, 4, 5];
const MIN_WORK_NIGHTS = 5;
const MIN_FREE_NIGHTS = 3;

const wrap = (m: number) => ((m % 1440) + 1440) % 1440;
/** Signed difference of two clock times in (−720, 720]. */
export function clockDifference(a: number, b: number): number {
  const d = wrap(a - b);
  return d > 720 ? d - 1440 : d;
}

/** ISO weekday (1 Monday … 7 Sunday) of a day. */
export function isoWeekday(day: string): number {
  return weekdayIndex(day) + 1;
}

/**
 * Mid-sleep on work and free days, social jetlag and the sleep-corrected chronotype MSFsc
 * (Roenneberg et al. 2004, 2012; Munich ChronoType Questionnaire). A night is a work night when
 * the day it ends on is a work day (its sleep comes before work).
 *   MSW, MSF: circular mean of onset + duration/2 on work / free nights;
 *   social jetlag: MSF − MSW (positive: later on free days);
 *   MSFsc = MSF − (SDf − SDweek)/2 when free-day sleep is longer (SDf > SDw), with
 *   SDweek = (SDw·W + SDf·(7 − W))/7 for W work days a week; else MSFsc = MSF.
 * The interval is ±1.96 standard errors of the difference of the two means.
 */
export function chronotype(
  nights: readonly OnsetNight[],
  workDays: readonly number[] = DEFAULT_WORK_DAYS,
): ChronotypeResult {
  const work = new Set(workDays);
  const mid = { work: [] as number[], free: [] as number[] };
  const dur = { work: [] as number[], free: [] as number[] };
  for (const n of nights) {
    const duration = n.wakeMinutes - n.onsetMinutes;
    if (!(duration > 0 && duration < 1440)) continue;
    const group = work.has(isoWeekday(n.day)) ? 'work' : 'free';
    mid[group].push(wrap(n.onsetMinutes + duration / 2));
    dur[group].push(duration);
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const msw = circularMeanMinutes(mid.work);
  const msf = circularMeanMinutes(mid.free);
  const sdw = mean(dur.work);
  const sdf = mean(dur.free);
  const base = {
    workDays: [...workDays].sort(),
    nWork: mid.work.length,
    nFree: mid.free.length,
    midSleepWork: msw === null ? null : Math.round(msw),
    midSleepFree: msf === null ? null : Math.round(msf),
    durationWork: sdw === null ? null : Math.round(sdw),
    durationFree: sdf === null ? null : Math.round(sdf),
  };
  if (
    msw === null ||
    msf === null ||
    sdw === null ||
    sdf === null ||
    mid.work.length < MIN_WORK_NIGHTS ||
    mid.free.length < MIN_FREE_NIGHTS
  ) {
    return {
      ...base,
      socialJetlag: null,
      socialJetlagInterval: null,
      msfsc: null,
      message:
        `Not enough nights to compare: ${mid.work.length} work and ${mid.free.length} free ` +
        `(at least ${MIN_WORK_NIGHTS} and ${MIN_FREE_NIGHTS} needed).`,
    };
  }
  const sjl = clockDifference(msf, msw);
  const spreadW = circularSdMinutes(mid.work) ?? 0;
  const spreadF = circularSdMinutes(mid.free) ?? 0;
  const se = Math.sqrt(spreadW ** 2 / mid.work.length + spreadF ** 2 / mid.free.length);
  const w = Math.min(7, work.size);
  const sdWeek = (sdw * w + sdf * (7 - w)) / 7;
  const msfsc = sdf > sdw ? wrap(msf - (sdf - sdWeek) / 2) : msf;
  const lo = sjl - 1.96 * se;
  const hi = sjl + 1.96 * se;
  const spans0 = lo <= 0 && hi >= 0;
  const abs = Math.round(Math.abs(sjl));
  const message = spans0
    ? `No clear difference between work and free days (${Math.round(sjl)} min, 95 % interval ${Math.round(lo)} to ${Math.round(hi)}).`
    : `Mid-sleep is ${abs} min ${sjl > 0 ? 'later' : 'earlier'} on free days (95 % interval ${Math.round(lo)} to ${Math.round(hi)} min): social jetlag of ${(abs / 60).toFixed(1)} h.`;
  return {
    ...base,
    socialJetlag: Math.round(sjl),
    socialJetlagInterval: [Math.round(lo), Math.round(hi)],
    msfsc: Math.round(msfsc),
    message,
  };
}
