import { type ActivityDay, METERS_PER_KCAL } from './activity.ts';
import { trend } from './physiology.ts';
import { clamp, rngFor, round, uuidFrom } from './prng.ts';
import type { DaySummary } from './summaries.ts';
import { dayString, formatInZone, formatLocal, localToUtc } from './time.ts';
import type { Timeline } from './timeline.ts';

type Doc = Record<string, unknown>;

/** `PublicDailyActivity` */
export function dailyActivityDocument(t: Timeline, a: ActivityDay, s: DaySummary): Doc {
  const p = t.profile;
  const target = s.activity?.restMode ? Math.round(p.targetCalories / 2) : p.targetCalories;
  const targetMeters = Math.round((target * METERS_PER_KCAL * 70) / p.weightKg / 100) * 100;
  const c = s.activity?.contributors;
  return {
    id: uuidFrom(p.seed, 'daily_activity', a.day),
    active_calories: a.activeCalories,
    average_met_minutes: a.averageMet,
    class_5_min: a.class5,
    contributors: {
      meet_daily_targets: c?.meet_daily_targets ?? null,
      move_every_hour: c?.move_every_hour ?? null,
      recovery_time: c?.recovery_time ?? null,
      stay_active: c?.stay_active ?? null,
      training_frequency: c?.training_frequency ?? null,
      training_volume: c?.training_volume ?? null,
    },
    day: dayString(a.day),
    equivalent_walking_distance: a.walkingDistance,
    high_activity_met_minutes: a.highMetMinutes,
    high_activity_time: a.highTime,
    inactivity_alerts: a.inactivityAlerts,
    low_activity_met_minutes: a.lowMetMinutes,
    low_activity_time: a.lowTime,
    medium_activity_met_minutes: a.mediumMetMinutes,
    medium_activity_time: a.mediumTime,
    met: { interval: 60, items: a.met, timestamp: formatLocal(a.startMs, a.offset, true) },
    meters_to_target: Math.round((targetMeters - a.walkingDistance) / 100) * 100,
    non_wear_time: a.nonWearTime,
    resting_time: a.restingTime,
    score: s.activity?.score ?? null,
    sedentary_met_minutes: a.sedentaryMetMinutes,
    sedentary_time: a.sedentaryTime,
    steps: a.steps,
    target_calories: target,
    target_meters: targetMeters,
    timestamp: formatLocal(a.startMs, a.offset, false),
    total_calories: a.totalCalories,
  };
}

/** `PublicDailyStress` */
export function dailyStressDocument(t: Timeline, s: DaySummary): Doc | undefined {
  if (!s.stress) return undefined;
  return {
    id: uuidFrom(t.profile.seed, 'daily_stress', s.day),
    day: dayString(s.day),
    day_summary: s.stress.day_summary,
    recovery_high: s.stress.recovery_high,
    stress_high: s.stress.stress_high,
  };
}

const LEVELS = ['limited', 'adequate', 'solid', 'strong', 'exceptional'] as const;

/** `DailyResilienceModel`: two weeks of recovery against stress. */
export function dailyResilienceDocument(
  t: Timeline,
  s: DaySummary,
  history: readonly DaySummary[],
): Doc | undefined {
  if (!s.readiness) return undefined;
  const days = [...history, s];
  const avg = (xs: number[], fallback: number) =>
    xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : fallback;
  const sleepRecovery = avg(
    days.flatMap((d) =>
      d.readiness
        ? [(d.readiness.contributors.hrv_balance + d.readiness.contributors.resting_heart_rate) / 2]
        : [],
    ),
    70,
  );
  const daytimeRecovery = avg(
    days.flatMap((d) =>
      d.stress?.recovery_high != null ? [clamp((d.stress.recovery_high / 3600) * 30, 0, 100)] : [],
    ),
    40,
  );
  const stress = avg(
    days.flatMap((d) =>
      d.stress?.stress_high != null
        ? [clamp(100 - (d.stress.stress_high / 3600) * 18, 0, 100)]
        : [],
    ),
    60,
  );
  const combined = 0.5 * sleepRecovery + 0.25 * daytimeRecovery + 0.25 * stress;
  const level = LEVELS[clamp(Math.floor((combined - 50) / 9), 0, 4)] ?? 'solid';
  return {
    id: uuidFrom(t.profile.seed, 'daily_resilience', s.day),
    day: dayString(s.day),
    contributors: {
      sleep_recovery: round(sleepRecovery, 1),
      daytime_recovery: round(daytimeRecovery, 1),
      stress: round(stress, 1),
    },
    level,
  };
}

/** `PublicDailyCardiovascularAge`: from the night's pulse wave. */
export function cardiovascularAgeDocument(t: Timeline, s: DaySummary): Doc | undefined {
  if (!s.night) return undefined;
  const p = t.profile;
  const r = rngFor(p.seed, 'cv-age', s.day);
  const age = clamp(
    Math.round(p.age + p.vascularOffset + 1.5 * trend(p, 41, s.day) + r.normal(0, 0.4)),
    18,
    100,
  );
  return {
    id: uuidFrom(p.seed, 'daily_cardiovascular_age', s.day),
    day: dayString(s.day),
    pulse_wave_velocity: r.chance(0.05) ? null : round(4.3 + 0.062 * age + r.normal(0, 0.12), 2),
    vascular_age: age,
  };
}

/** `PublicVO2Max`: estimated now and then (about weekly) from a worn, active day. */
export function vo2MaxDocument(t: Timeline, a: ActivityDay): Doc | undefined {
  const p = t.profile;
  const r = rngFor(p.seed, 'vo2', a.day);
  if (!r.chance(0.16) || a.nonWearTime > 6 * 3600 || a.steps < 3000) return undefined;
  const at = localToUtc(a.zone, a.day, r.int(10 * 60, 18 * 60)) + r.int(0, 59) * 1000;
  return {
    id: uuidFrom(p.seed, 'vo2_max', a.day),
    day: dayString(a.day),
    timestamp: formatInZone(at, a.zone, true),
    vo2_max: clamp(Math.round(p.vo2 + 1.5 * trend(p, 51, a.day) + r.normal(0, 0.6)), 15, 80),
  };
}
