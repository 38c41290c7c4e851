import { sicknessOn, tripOn, zoneOn } from './calendar.ts';
import type { SleepPeriod } from './periods.ts';
import { clamp, fillUniform, hash32, rngFor, round } from './prng.ts';
import type { Session } from './sessions.ts';
import { localToUtc, MINUTE_MS, offsetMinutes, weekday } from './time.ts';
import type { UserProfile } from './users.ts';
import type { NonWear } from './wear.ts';
import type { Workout } from './workouts.ts';

/**
 * One activity day: "a 24-hour period starting at 4 a.m." local time (spec `PublicDailyActivity`),
 * simulated minute by minute. Sleep counts as rest, the ring off the finger as non-wear.
 */
export interface ActivityDay {
  readonly day: number;
  readonly zone: string;
  readonly startMs: number;
  readonly offset: number;
  /** MET per minute, 1440 values. */
  readonly met: number[];
  /** 288 characters: '0' non-wear, '1' rest, '2' inactive, '3' low, '4' medium, '5' high. */
  readonly class5: string;
  readonly steps: number;
  readonly activeCalories: number;
  readonly totalCalories: number;
  readonly walkingDistance: number;
  readonly highTime: number;
  readonly mediumTime: number;
  readonly lowTime: number;
  readonly sedentaryTime: number;
  readonly restingTime: number;
  readonly nonWearTime: number;
  readonly highMetMinutes: number;
  readonly mediumMetMinutes: number;
  readonly lowMetMinutes: number;
  readonly sedentaryMetMinutes: number;
  readonly averageMet: number;
  readonly inactivityAlerts: number;
  /** Minutes at 5 MET or more: training rather than everyday movement. */
  readonly vigorousMinutes: number;
}

const AWAKE = 0;
const SLEEP = 1;
const OFF = 2;
const WORKOUT = 3;
const SESSION = 4;
const BOUT = 5;

const ascii = new TextDecoder('latin1');

/** Metres of walking equivalent to one active kilocalorie for a 70 kg person. */
export const METERS_PER_KCAL = 16.5;

export function activityDay(
  p: UserProfile,
  day: number,
  wear: NonWear,
  sleeps: readonly SleepPeriod[],
  workouts: readonly Workout[],
  sessions: readonly Session[],
): ActivityDay {
  const r = rngFor(p.seed, 'activity', day);
  const zone = zoneOn(p, day);
  const startMs = localToUtc(zone, day, 4 * 60);
  const endMs = startMs + 1440 * MINUTE_MS;
  const state = new Uint8Array(1440);
  /** Index into `workouts` of the workout going on at each minute. */
  const workoutAt = new Int8Array(1440);
  const mark = (from: number, to: number, value: number, w = 0) => {
    const a = Math.max(0, Math.ceil((from - startMs) / MINUTE_MS));
    const b = Math.min(1440, Math.ceil((to - startMs) / MINUTE_MS));
    if (a < b) {
      state.fill(value, a, b);
      workoutAt.fill(w, a, b);
    }
  };
  for (const s of sleeps)
    if (s.endMs > startMs && s.startMs < endMs) mark(s.startMs, s.endMs, SLEEP);
  workouts.forEach((w, i) => {
    mark(w.startMs, w.endMs, WORKOUT, i);
  });
  for (const s of sessions) mark(s.startMs, s.endMs, SESSION);
  // Non-wear intervals sit on the 5-minute grid, as does 04:00 local in every zone used.
  for (const i of wear.within(startMs, endMs)) {
    mark(i.startMs, i.endMs, OFF);
  }

  const noise = new Float64Array(2 * 1440);
  fillUniform(noise, hash32(p.seed, 'activity-noise', day));
  const met = new Float64Array(1440);
  const steps = new Uint16Array(1440);
  for (let m = 0; m < 1440; m++) {
    const s = state[m];
    const u = noise[2 * m] ?? 0;
    const v = noise[2 * m + 1] ?? 0;
    if (s === OFF) met[m] = 0.1;
    else if (s === SLEEP) met[m] = 0.9 + 0.1 * u;
    else if (s === SESSION) met[m] = 1;
    else if (s === WORKOUT) {
      const w = workouts[workoutAt[m] ?? 0];
      met[m] = (w?.met ?? 5) * (0.9 + 0.2 * u);
      steps[m] = w?.cadence ? Math.round(w.cadence * (0.95 + 0.1 * v)) : 0;
    } else {
      met[m] = 1.15 + 0.25 * u;
      // Now and then a few steps while sitting (fetching coffee).
      if (v < 0.05) steps[m] = 2 + Math.floor(v * 160);
    }
  }

  // Walks and chores go into awake minutes between 07:00 and 22:00.
  const weekend = weekday(day) === 0 || weekday(day) === 6;
  const sick = sicknessOn(p, day) !== undefined;
  const scale = (weekend ? 1.2 : 1) * (tripOn(p, day) ? 1.3 : 1) * (sick ? 0.25 : 1);
  const bouts = (
    total: number,
    min: number,
    max: number,
    metLo: number,
    metHi: number,
    cadence: [number, number],
  ) => {
    let left = total;
    for (let tries = 0; left > 0 && tries < 120; tries++) {
      const len = Math.min(left, r.int(min, max));
      const at = r.int(180, 1080 - len);
      let free = true;
      for (let m = at; m < at + len; m++) if (state[m] !== AWAKE) free = false;
      if (!free) continue;
      const level = r.float(metLo, metHi);
      for (let m = at; m < at + len; m++) {
        state[m] = BOUT;
        met[m] = level * (0.93 + 0.14 * (noise[2 * m] ?? 0));
        steps[m] = cadence[0] + Math.floor((cadence[1] - cadence[0] + 1) * (noise[2 * m + 1] ?? 0));
      }
      left -= len;
    }
  };
  bouts(Math.round(p.walkMinutes * scale * r.float(0.6, 1.4)), 4, 20, 2.9, 4.2, [95, 120]);
  bouts(Math.round(r.int(90, 200) * scale), 2, 8, 1.6, 2.6, [8, 30]);

  // Seconds and MET sums per category: high, medium, low, sedentary, rest, non-wear.
  const HIGH = 0;
  const MEDIUM = 1;
  const LOW = 2;
  const SEDENTARY = 3;
  const REST = 4;
  const NON_WEAR = 5;
  const secs = new Float64Array(6);
  const metSums = new Float64Array(6);
  let stepsTotal = 0;
  let active = 0;
  let metSum = 0;
  let sitting = 0;
  let alerts = 0;
  let vigorous = 0;
  const items: number[] = new Array(1440);
  for (let m = 0; m < 1440; m++) {
    // MET items are reported with one decimal.
    const v = Math.round((met[m] ?? 0) * 10) / 10;
    met[m] = v;
    items[m] = v;
    metSum += v;
    stepsTotal += steps[m] ?? 0;
    const s = state[m];
    const category =
      s === OFF
        ? NON_WEAR
        : s === SLEEP
          ? REST
          : v >= 6
            ? HIGH
            : v >= 3
              ? MEDIUM
              : v >= 1.5
                ? LOW
                : SEDENTARY;
    secs[category] = (secs[category] ?? 0) + 60;
    metSums[category] = (metSums[category] ?? 0) + v;
    if (category < REST && v > 1) active += v - 1;
    if (category === HIGH || (category === MEDIUM && v >= 5)) vigorous++;
    // An inactivity alert after 50 still minutes in the daytime.
    if (category === SEDENTARY && m >= 240 && m < 1080) {
      if (++sitting >= 50) {
        alerts++;
        sitting = 0;
      }
    } else sitting = 0;
  }

  const classes = new Uint8Array(288);
  for (let slot = 0; slot < 288; slot++) {
    if (state[slot * 5] === OFF) {
      classes[slot] = 48;
      continue;
    }
    let sleepN = 0;
    let sum = 0;
    for (let m = slot * 5; m < slot * 5 + 5; m++) {
      if (state[m] === SLEEP) sleepN++;
      sum += met[m] ?? 0;
    }
    const mean = sum / 5;
    classes[slot] = 48 + (sleepN >= 3 ? 1 : mean < 1.5 ? 2 : mean < 3 ? 3 : mean < 6 ? 4 : 5);
  }
  const class5 = ascii.decode(classes);

  const kcalPerMet = (3.5 * p.weightKg) / 200;
  const activeCalories = Math.round(active * kcalPerMet);
  const bmr = 10 * p.weightKg + 625 * p.heightM - 5 * p.age + (p.sex === 'male' ? 5 : -161);
  return {
    day,
    zone,
    startMs,
    offset: offsetMinutes(zone, startMs),
    met: items,
    class5,
    steps: stepsTotal,
    activeCalories,
    totalCalories: Math.round(bmr + activeCalories),
    walkingDistance: Math.round((activeCalories * METERS_PER_KCAL * 70) / p.weightKg),
    highTime: secs[HIGH] ?? 0,
    mediumTime: secs[MEDIUM] ?? 0,
    lowTime: secs[LOW] ?? 0,
    sedentaryTime: secs[SEDENTARY] ?? 0,
    restingTime: secs[REST] ?? 0,
    nonWearTime: secs[NON_WEAR] ?? 0,
    highMetMinutes: Math.round(metSums[HIGH] ?? 0),
    mediumMetMinutes: Math.round(metSums[MEDIUM] ?? 0),
    lowMetMinutes: Math.round(metSums[LOW] ?? 0),
    sedentaryMetMinutes: Math.round(metSums[SEDENTARY] ?? 0),
    averageMet: round(metSum / 1440, 5),
    inactivityAlerts: clamp(alerts, 0, 8),
    vigorousMinutes: vigorous,
  };
}
