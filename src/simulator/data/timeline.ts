import { type ActivityDay, activityDay } from './activity.ts';
import { dayPeriods, nightPeriods } from './nights.ts';
import type { SleepPeriod } from './periods.ts';
import { type NightPhysiology, physiology } from './physiology.ts';
import { type Session, sessionsOn } from './sessions.ts';
import type { UserProfile } from './users.ts';
import { buildNonWear, type NonWear } from './wear.ts';
import { type Workout, workoutsOn } from './workouts.ts';

/** Everything that happened to one user over a range of days, before it becomes documents. */
export interface Timeline {
  readonly profile: UserProfile;
  /** First day with documents, last day (inclusive; the last night ends that morning). */
  readonly startDay: number;
  readonly endDay: number;
  /** Days before startDay simulated only so that rolling baselines are already warm. */
  readonly warmDay: number;
  readonly wear: NonWear;
  /** All sleep periods, ordered by start. */
  readonly sleeps: readonly SleepPeriod[];
  readonly sleepsByDay: ReadonlyMap<number, readonly SleepPeriod[]>;
  readonly workouts: readonly Workout[];
  readonly sessions: readonly Session[];
  readonly activity: ReadonlyMap<number, ActivityDay>;
  readonly physiology: ReadonlyMap<number, NightPhysiology>;
}

export const WARM_UP_DAYS = 15;

export function buildTimeline(p: UserProfile, startDay: number, endDay: number): Timeline {
  const warmDay = startDay - WARM_UP_DAYS;
  const wear = buildNonWear(p, warmDay - 2, endDay + 2);
  const sleeps: SleepPeriod[] = [];
  for (let d = warmDay - 1; d <= endDay; d++) {
    sleeps.push(...nightPeriods(p, d, wear));
    // Daytime periods of the last day would lie after the data horizon (the last wake-up),
    // except the evening before it, whose late nap belongs to the last day.
    if (d < endDay) sleeps.push(...dayPeriods(p, d, wear));
  }
  sleeps.sort((a, b) => a.startMs - b.startMs);
  const sleepsByDay = new Map<number, SleepPeriod[]>();
  for (const s of sleeps) {
    const list = sleepsByDay.get(s.day);
    if (list) list.push(s);
    else sleepsByDay.set(s.day, [s]);
  }
  const near = (d: number): SleepPeriod[] => {
    const out: SleepPeriod[] = [];
    for (let k = d - 1; k <= d + 2; k++) out.push(...(sleepsByDay.get(k) ?? []));
    return out;
  };

  const workouts: Workout[] = [];
  const sessions: Session[] = [];
  const activity = new Map<number, ActivityDay>();
  const phys = new Map<number, NightPhysiology>();
  for (let d = warmDay - 1; d <= endDay; d++) {
    phys.set(d, physiology(p, d));
    if (d >= endDay) continue;
    const around = near(d);
    const w = workoutsOn(p, d, wear, around);
    const s = sessionsOn(p, d, wear, around, w);
    const a = activityDay(p, d, wear, around, w, s);
    workouts.push(...w);
    sessions.push(...s);
    // A day the ring spent entirely off the finger has no activity document.
    if (a.nonWearTime < 86_400) activity.set(d, a);
  }
  return {
    profile: p,
    startDay,
    endDay,
    warmDay,
    wear,
    sleeps,
    sleepsByDay,
    workouts,
    sessions,
    activity,
    physiology: phys,
  };
}

/** The night of a day: its longest long_sleep period (spec: several periods can share a day). */
export function mainNight(t: Timeline, day: number): SleepPeriod | undefined {
  let best: SleepPeriod | undefined;
  for (const s of t.sleepsByDay.get(day) ?? []) {
    if (s.type === 'long_sleep' && (!best || s.timeInBed > best.timeInBed)) best = s;
  }
  return best;
}
