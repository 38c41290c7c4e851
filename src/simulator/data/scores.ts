import { clamp } from './prng.ts';

/**
 * Score formulas: plausible shapes, not Oura's proprietary ones. Every contributor is in [1, 100]
 * as the spec states (`PublicSleepContributors`, `PublicReadinessContributors`,
 * `PublicActivityContributors`).
 */

const c100 = (value: number): number => Math.round(clamp(value, 1, 100));

export interface SleepInput {
  readonly total: number;
  readonly efficiency: number;
  readonly latency: number;
  readonly deep: number;
  readonly rem: number;
  readonly restless: number;
  readonly sleepEpochs: number;
  /** Sleep midpoint in local hours relative to midnight (-12..12). */
  readonly midpointHours: number;
}

export interface SleepContributors {
  deep_sleep: number;
  efficiency: number;
  latency: number;
  rem_sleep: number;
  restfulness: number;
  timing: number;
  total_sleep: number;
}

export function sleepContributors(s: SleepInput): SleepContributors {
  const hours = s.total / 3600;
  const latencyMin = s.latency / 60;
  const restlessRatio = s.sleepEpochs ? s.restless / s.sleepEpochs : 0;
  const mid = s.midpointHours;
  return {
    deep_sleep: c100(100 * Math.min(1, s.deep / 60 / 95) ** 1.2),
    efficiency: c100(100 - (97 - s.efficiency) * 3),
    latency: c100(latencyMin < 10 ? 80 + latencyMin * 2 : 100 - Math.max(0, latencyMin - 20) * 2),
    rem_sleep: c100(100 * Math.min(1, s.rem / 60 / 105) ** 1.2),
    restfulness: c100(100 - (restlessRatio - 0.04) * 250),
    timing: c100(100 - Math.max(0, Math.abs(mid - 3) - 1) * 25),
    total_sleep: c100(100 - Math.max(0, 8.25 - hours) * 18 - Math.max(0, hours - 9.5) * 10),
  };
}

export function sleepScore(c: SleepContributors): number {
  return c100(
    -3 +
      0.35 * c.total_sleep +
      0.1 * c.efficiency +
      0.15 * c.restfulness +
      0.1 * c.rem_sleep +
      0.1 * c.deep_sleep +
      0.1 * c.latency +
      0.1 * c.timing,
  );
}

export interface ReadinessInput {
  readonly sleepScore: number;
  readonly lowestHr: number;
  /** Mean lowest heart rate of the previous two weeks. */
  readonly restingHrBaseline: number;
  /** Mean nightly HRV of the last two weeks, weighted to recent nights. */
  readonly hrvRecent: number;
  readonly hrvBaseline: number;
  readonly temperature: number;
  /** Where in the night the lowest heart rate came, 0..1 (early is good). */
  readonly lowestAtFraction: number;
  /** Two-week mean total sleep over the person's need. */
  readonly sleepBalance: number;
  /** Yesterday's active calories over target, or null with no activity data. */
  readonly previousDayActivity: number | null;
  readonly activityBalance: number | null;
  /** Standard deviation of sleep midpoints over two weeks, hours. */
  readonly regularitySd: number | null;
}

export interface ReadinessContributors {
  activity_balance: number | null;
  body_temperature: number;
  hrv_balance: number;
  previous_day_activity: number | null;
  previous_night: number;
  recovery_index: number;
  resting_heart_rate: number;
  sleep_balance: number;
  sleep_regularity: number | null;
}

const activityFit = (ratio: number): number =>
  ratio < 1 ? 100 - (1 - ratio) * 80 : ratio > 1.8 ? 100 - (ratio - 1.8) * 40 : 100;

export function readinessContributors(x: ReadinessInput): ReadinessContributors {
  const rhrDiff = x.lowestHr - x.restingHrBaseline;
  return {
    activity_balance: x.activityBalance === null ? null : c100(activityFit(x.activityBalance)),
    body_temperature: c100(100 - Math.max(0, Math.abs(x.temperature) - 0.25) * 85),
    hrv_balance: c100(88 + (x.hrvRecent / x.hrvBaseline - 1) * 150),
    previous_day_activity:
      x.previousDayActivity === null ? null : c100(activityFit(x.previousDayActivity)),
    previous_night: c100(x.sleepScore + 5),
    recovery_index: c100(100 - Math.max(0, x.lowestAtFraction - 0.35) * 150),
    resting_heart_rate: c100(92 - rhrDiff * 6 - Math.max(0, -rhrDiff - 6) * 8),
    sleep_balance: c100(95 + (x.sleepBalance - 1) * 200),
    sleep_regularity:
      x.regularitySd === null ? null : c100(100 - Math.max(0, x.regularitySd - 0.5) * 45),
  };
}

const READINESS_WEIGHTS: Record<keyof ReadinessContributors, number> = {
  activity_balance: 0.08,
  body_temperature: 0.12,
  hrv_balance: 0.12,
  previous_day_activity: 0.08,
  previous_night: 0.2,
  recovery_index: 0.08,
  resting_heart_rate: 0.14,
  sleep_balance: 0.1,
  sleep_regularity: 0.08,
};

export function readinessScore(c: ReadinessContributors): number {
  let sum = 0;
  let weight = 0;
  for (const [key, w] of Object.entries(READINESS_WEIGHTS)) {
    const v = c[key as keyof ReadinessContributors];
    if (v === null) continue;
    sum += v * w;
    weight += w;
  }
  // Weak contributors pull harder than strong ones lift.
  const mean = sum / weight;
  const worst = Math.min(c.body_temperature, c.resting_heart_rate, c.hrv_balance, c.previous_night);
  return c100(mean - 7 - Math.max(0, 70 - worst) * 0.35);
}

export interface ActivityHistoryDay {
  readonly activeCalories: number;
  readonly target: number;
  /** Medium and high activity MET minutes. */
  readonly trainingMetMinutes: number;
  /** Minutes at 5 MET or more (workouts, not walks). */
  readonly trainingMinutes: number;
}

export interface ActivityContributors {
  meet_daily_targets: number;
  move_every_hour: number;
  recovery_time: number;
  stay_active: number;
  training_frequency: number;
  training_volume: number;
}

/** `week` is the last seven days ending with today. */
export function activityContributors(
  week: readonly ActivityHistoryDay[],
  sedentarySeconds: number,
  alerts: number,
): ActivityContributors {
  const met = week.filter((d) => d.activeCalories >= d.target).length;
  const trained = week.filter((d) => d.trainingMinutes >= 30).length;
  const volume = week.reduce((s, d) => s + d.trainingMetMinutes, 0);
  const easy = week.filter((d) => d.trainingMinutes < 20).length;
  return {
    meet_daily_targets: c100(100 - (7 - met) * 11),
    move_every_hour: c100(100 - alerts * 15),
    recovery_time: c100([45, 70, 90][easy] ?? 100),
    stay_active: c100(100 - Math.max(0, sedentarySeconds / 3600 - 9) * 10),
    training_frequency: c100(trained >= 4 ? 100 : 35 + trained * 20),
    training_volume: c100(100 * Math.min(1, volume / 2500) ** 0.8),
  };
}

export function activityScore(c: ActivityContributors): number {
  return c100(
    -6 +
      0.15 * c.stay_active +
      0.1 * c.move_every_hour +
      0.25 * c.meet_daily_targets +
      0.1 * c.training_frequency +
      0.15 * c.training_volume +
      0.25 * c.recovery_time,
  );
}
