import { perUser } from './memo.ts';
import { rngFor } from './prng.ts';
import { dayString, weekday } from './time.ts';
import type { UserProfile } from './users.ts';

/**
 * Planted effects with known sizes and known days, so tests and benchmarks can measure what the
 * insights find against the truth: illness-like episodes, the weekday/weekend timing shift and
 * periods of short sleep. Like every calendar event (calendar.ts) an episode is anchored on
 * fixed-size blocks of days, so a day looks the same whatever range is generated.
 */

export interface IllnessEpisode {
  readonly startDay: number;
  /** Last ill day (inclusive). */
  readonly endDay: number;
  /** Whether the user switched on Rest Mode for it. */
  readonly restMode: boolean;
  /** Scales the fever curve: 0.6 (mild) to 1.2 (strong). */
  readonly severity: number;
}

/** How one ill night moves the body, against what it would otherwise have been. */
export interface IllnessEffect {
  readonly restingHrBpm: number;
  /** Multiplicative change of HRV, e.g. -0.3 for 30 % lower. */
  readonly hrvFraction: number;
  readonly temperatureC: number;
  readonly breathsPerMin: number;
}

const ILLNESS_BLOCK = 137;
/** Fever by day of the episode: rises into the second day, then fades. */
const FEVER = [0.7, 1.1, 0.8, 0.5, 0.35] as const;
/** Effect of a fever of 1 (the second day of a typical episode). */
const PER_FEVER = { restingHrBpm: 7, hrvFraction: -0.3, temperatureC: 1, breathsPerMin: 1.2 };

export const illnessOn = perUser((p: UserProfile, day: number): IllnessEpisode | undefined => {
  const index = Math.floor((day - 11) / ILLNESS_BLOCK);
  const start = 11 + index * ILLNESS_BLOCK;
  const r = rngFor(p.seed, 'sick', index);
  if (!r.chance(0.6)) return undefined;
  const length = r.int(2, 5);
  const offset = r.int(2, ILLNESS_BLOCK - length - 2);
  const episode = {
    startDay: start + offset,
    endDay: start + offset + length - 1,
    restMode: r.chance(0.8),
    severity: Math.round(r.float(0.6, 1.2) * 100) / 100,
  };
  return day >= episode.startDay && day <= episode.endDay ? episode : undefined;
});

/** Fever level (0 when well) of the night ending on `day`. */
export function feverOn(p: UserProfile, day: number): number {
  const e = illnessOn(p, day);
  return e ? (FEVER[day - e.startDay] ?? 0) * e.severity : 0;
}

export function illnessEffect(p: UserProfile, day: number): IllnessEffect {
  const f = feverOn(p, day);
  return {
    restingHrBpm: PER_FEVER.restingHrBpm * f,
    hrvFraction: PER_FEVER.hrvFraction * f,
    temperatureC: PER_FEVER.temperatureC * f,
    breathsPerMin: PER_FEVER.breathsPerMin * f,
  };
}

/**
 * Weekend nights (waking on Saturday or Sunday) start later and last longer; nights before work
 * days are a little short. Mid-sleep therefore moves later on free days: social jetlag.
 */
export const WEEKEND_SHIFT = {
  bedtimeLaterMin: 45,
  weekendExtraSleepMin: 35,
  workdaySleepChangeMin: -12,
} as const;

export function isWeekendNight(day: number): boolean {
  const wd = weekday(day);
  return wd === 6 || wd === 0;
}

export interface NightShift {
  readonly bedtimeMin: number;
  readonly sleepMin: number;
}

const SHORT_BLOCK = 61;

export interface ShortSleepPeriod {
  readonly startDay: number;
  readonly endDay: number;
  /** Minutes of sleep lost each night (bedtime moves later by as much; wake time stays). */
  readonly minutesShort: number;
}

/** A run of 4-9 short nights (60-120 min less sleep) in some 61-day blocks. */
export const shortSleepOn = perUser((p: UserProfile, day: number): ShortSleepPeriod | undefined => {
  const index = Math.floor((day - 5) / SHORT_BLOCK);
  const start = 5 + index * SHORT_BLOCK;
  const r = rngFor(p.seed, 'short-sleep', index);
  if (!r.chance(0.7)) return undefined;
  const length = r.int(4, 9);
  const offset = r.int(2, SHORT_BLOCK - length - 2);
  const period = {
    startDay: start + offset,
    endDay: start + offset + length - 1,
    minutesShort: r.int(60, 120),
  };
  return day >= period.startDay && day <= period.endDay ? period : undefined;
});

/** How the planted effects move the night ending on `day` (bedtime later, sleep shorter). */
export function plannedShift(p: UserProfile, day: number): NightShift {
  const weekend = isWeekendNight(day);
  const short = shortSleepOn(p, day)?.minutesShort ?? 0;
  return {
    bedtimeMin: (weekend ? WEEKEND_SHIFT.bedtimeLaterMin : 0) + short,
    sleepMin:
      (weekend ? WEEKEND_SHIFT.weekendExtraSleepMin : WEEKEND_SHIFT.workdaySleepChangeMin) - short,
  };
}

/** Typical sleep efficiency of the simulated nights (time asleep / time in bed). */
const EFFICIENCY = 0.905;

export interface PlantedTruth {
  readonly from: string;
  readonly to: string;
  readonly sleepNeedMinutes: number;
  readonly illness: {
    start: string;
    end: string;
    days: number;
    severity: number;
    restMode: boolean;
    /** Per ill night: how far each signal was moved. */
    effects: {
      day: string;
      restingHrBpm: number;
      hrvPercent: number;
      temperatureC: number;
      breathsPerMin: number;
    }[];
  }[];
  readonly shortSleep: { start: string; end: string; nights: number; minutesShort: number }[];
  readonly weekendShift: {
    /** Free days (Saturday and Sunday wake-ups) against work days (Monday-Friday wake-ups). */
    bedtimeLaterMin: number;
    sleepLongerMin: number;
    /** The shift of mid-sleep this plants (bedtime shift + half the extra time in bed). */
    midSleepLaterMin: number;
  };
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** Everything planted for one user over [fromDay, toDay], for the control API. */
export function plantedTruth(p: UserProfile, fromDay: number, toDay: number): PlantedTruth {
  const illness: PlantedTruth['illness'][number][] = [];
  const shortSleep: PlantedTruth['shortSleep'][number][] = [];
  for (let d = fromDay; d <= toDay; d++) {
    const e = illnessOn(p, d);
    if (e && (e.startDay === d || d === fromDay)) {
      const effects: PlantedTruth['illness'][number]['effects'] = [];
      for (let k = e.startDay; k <= e.endDay; k++) {
        const x = illnessEffect(p, k);
        effects.push({
          day: dayString(k),
          restingHrBpm: r2(x.restingHrBpm),
          hrvPercent: r2(x.hrvFraction * 100),
          temperatureC: r2(x.temperatureC),
          breathsPerMin: r2(x.breathsPerMin),
        });
      }
      illness.push({
        start: dayString(e.startDay),
        end: dayString(e.endDay),
        days: e.endDay - e.startDay + 1,
        severity: e.severity,
        restMode: e.restMode,
        effects,
      });
    }
    const s = shortSleepOn(p, d);
    if (s && (s.startDay === d || d === fromDay)) {
      shortSleep.push({
        start: dayString(s.startDay),
        end: dayString(s.endDay),
        nights: s.endDay - s.startDay + 1,
        minutesShort: s.minutesShort,
      });
    }
  }
  const sleepLonger = WEEKEND_SHIFT.weekendExtraSleepMin - WEEKEND_SHIFT.workdaySleepChangeMin;
  return {
    from: dayString(fromDay),
    to: dayString(toDay),
    sleepNeedMinutes: Math.round(p.sleepNeedMin),
    illness,
    shortSleep,
    weekendShift: {
      bedtimeLaterMin: WEEKEND_SHIFT.bedtimeLaterMin,
      sleepLongerMin: sleepLonger,
      midSleepLaterMin: Math.round(WEEKEND_SHIFT.bedtimeLaterMin + sleepLonger / EFFICIENCY / 2),
    },
  };
}
