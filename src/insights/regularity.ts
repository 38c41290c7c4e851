import { circularMeanMinutes, circularSdMinutes } from './stats.ts';

export interface NightTiming {
  readonly day: string;
  /** Bedtime as minutes after the wake day's local midnight (negative: the evening before). */
  readonly bedtimeMinutes: number;
  /** Wake time as minutes after the wake day's local midnight. */
  readonly wakeMinutes: number;
}

export interface Regularity {
  readonly nights: number;
  /** Circular mean bedtime, minutes after local midnight in [0, 1440). */
  readonly meanBedtime: number | null;
  readonly meanWake: number | null;
  /** Standard deviation of bedtime / wake time in minutes. */
  readonly bedtimeSdMinutes: number | null;
  readonly wakeSdMinutes: number | null;
  /** Standard deviation of the sleep midpoint in minutes: one number for timing consistency. */
  readonly midpointSdMinutes: number | null;
}

const wrap = (m: number) => ((m % 1440) + 1440) % 1440;

/** Timing consistency of a run of nights, from each night's own local clock times. */
export function sleepRegularity(nights: readonly NightTiming[]): Regularity {
  const bed = nights.map((n) => wrap(n.bedtimeMinutes));
  const wake = nights.map((n) => wrap(n.wakeMinutes));
  const mid = nights.map((n) => wrap((n.bedtimeMinutes + n.wakeMinutes) / 2));
  return {
    nights: nights.length,
    meanBedtime: circularMeanMinutes(bed),
    meanWake: circularMeanMinutes(wake),
    bedtimeSdMinutes: circularSdMinutes(bed),
    wakeSdMinutes: circularSdMinutes(wake),
    midpointSdMinutes: circularSdMinutes(mid),
  };
}
