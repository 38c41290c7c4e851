import { SLEEP_V2_FROM, zoneOn } from './calendar.ts';
import type { SleepPeriod } from './periods.ts';
import { clamp, hash32, rngFor, round, uuidFrom } from './prng.ts';
import type { DaySummary } from './summaries.ts';
import { dayString, formatInZone, localMinuteOfDay, offsetMinutes } from './time.ts';
import type { Timeline } from './timeline.ts';

type Doc = Record<string, unknown>;

/** Opaque per-ring identifier, as the spec's "encrypted identifier of the ring". */
export function ringIdOf(seed: number, ringIndex: number): string {
  return [0, 1, 2, 3]
    .map((i) => hash32(seed, 'ring-id', ringIndex, i).toString(16).padStart(8, '0'))
    .join('');
}

const ANALYSIS_REASONS = [
  'foreground_sleep_analysis',
  'background_sleep_analysis',
  'background_created_foreground_updated',
  'bedtime_edit',
] as const;

/** One `PublicModifiedSleepModel` document. */
export function sleepDocument(
  t: Timeline,
  s: SleepPeriod,
  period: number,
  summary: DaySummary | undefined,
): Doc {
  const r = rngFor(t.profile.seed, 'sleep-doc', s.id);
  const isMain = summary?.night === s;
  const readiness = isMain && summary?.readiness ? summary.readiness : null;
  const nap = s.type === 'sleep' || s.type === 'late_nap';
  const sample = (items: readonly (number | null)[]) => ({
    interval: 300,
    items: [...items],
    timestamp: formatInZone(s.startMs, s.zone, true),
  });
  return {
    id: s.id,
    average_breath: s.breath,
    average_heart_rate: s.averageHr,
    average_hrv: s.averageHrv,
    awake_time: s.awake,
    bedtime_end: formatInZone(s.endMs, s.zone, true),
    bedtime_start: formatInZone(s.startMs, s.zone, true),
    day: dayString(s.day),
    deep_sleep_duration: s.deep,
    efficiency: s.efficiency,
    heart_rate: sample(s.hr),
    hrv: sample(s.hrv),
    latency: s.latency,
    light_sleep_duration: s.light,
    low_battery_alert: s.lowBattery,
    lowest_heart_rate: s.lowestHr,
    movement_30_sec: s.movement30,
    period,
    readiness: readiness
      ? {
          contributors: { ...readiness.contributors },
          score: readiness.score,
          temperature_deviation: readiness.temperature_deviation,
          temperature_trend_deviation: readiness.temperature_trend_deviation,
        }
      : null,
    readiness_score_delta: nap ? r.int(0, 3) : null,
    rem_sleep_duration: s.rem,
    restless_periods: s.restless,
    sleep_algorithm_version: s.day >= SLEEP_V2_FROM ? 'v2' : 'v1',
    sleep_analysis_reason: r.weighted(ANALYSIS_REASONS, [60, 15, 22, 3]),
    sleep_phase_30_sec: s.stages30,
    sleep_phase_5_min: s.stages5,
    sleep_score_delta: nap ? r.int(0, 4) : null,
    time_in_bed: s.timeInBed,
    total_sleep_duration: s.total,
    type: s.type,
    ring_id: ringIdOf(t.profile.seed, s.ringIndex),
    app_sleep_phase_5_min: s.stages5,
  };
}

/** `sleep` documents of a day: `period` numbers the day's periods in start order. */
export function sleepDocuments(t: Timeline, day: number, summary: DaySummary | undefined): Doc[] {
  const periods = t.sleepsByDay.get(day) ?? [];
  return periods.map((s, i) => sleepDocument(t, s, i, summary));
}

const midnightUtc = (day: number): string => `${dayString(day)}T00:00:00+00:00`;

/** `PublicDailySleep` */
export function dailySleepDocument(t: Timeline, s: DaySummary): Doc | undefined {
  if (!s.sleep) return undefined;
  return {
    id: uuidFrom(t.profile.seed, 'daily_sleep', s.day),
    contributors: { ...s.sleep.contributors },
    day: dayString(s.day),
    score: s.sleep.score,
    timestamp: midnightUtc(s.day),
  };
}

/** `PublicDailyReadiness` */
export function dailyReadinessDocument(t: Timeline, s: DaySummary): Doc | undefined {
  if (!s.readiness) return undefined;
  return {
    id: uuidFrom(t.profile.seed, 'daily_readiness', s.day),
    contributors: { ...s.readiness.contributors },
    day: dayString(s.day),
    score: s.readiness.score,
    temperature_deviation: s.readiness.temperature_deviation,
    temperature_trend_deviation: s.readiness.temperature_trend_deviation,
    timestamp: midnightUtc(s.day),
  };
}

/** `PublicDailySpO2`: from the night's oxygen saturation; short or noisy nights give nulls. */
export function dailySpo2Document(t: Timeline, s: DaySummary): Doc | undefined {
  if (!s.night) return undefined;
  const r = rngFor(t.profile.seed, 'spo2', s.day);
  const phys = t.physiology.get(s.day);
  const unusable = s.night.total < 3 * 3600 || r.chance(0.04);
  return {
    id: uuidFrom(t.profile.seed, 'daily_spo2', s.day),
    breathing_disturbance_index: unusable
      ? null
      : clamp(Math.round(Math.abs(r.normal(4, 5))), 0, 40),
    day: dayString(s.day),
    spo2_percentage: unusable
      ? null
      : { average: round(clamp(r.normal(96.9, 0.7) - (phys?.sick ? 1.2 : 0), 90, 99.6), 3) },
  };
}

/** `PublicSleepTime`: a suggested bedtime window from the last two weeks of nights. */
export function sleepTimeDocument(
  t: Timeline,
  day: number,
  history: readonly DaySummary[],
): Doc | undefined {
  const nights = history.flatMap((h) => (h.night ? [h.night] : []));
  if (!nights.length) return undefined;
  const zone = zoneOn(t.profile, day);
  const noon = (day * 24 + 12) * 3_600_000;
  const bed = nights.map((n) => {
    const m = localMinuteOfDay(n.zone, n.startMs);
    return m > 720 ? m - 1440 : m;
  });
  const meanBed = bed.reduce((a, b) => a + b, 0) / bed.length;
  const sd = Math.sqrt(bed.reduce((a, b) => a + (b - meanBed) ** 2, 0) / bed.length);
  const efficiency = nights.reduce((a, n) => a + n.efficiency, 0) / nights.length;
  const base = {
    id: uuidFrom(t.profile.seed, 'sleep_time', day),
    day: dayString(day),
  };
  if (nights.length < 5) {
    return { ...base, optimal_bedtime: null, recommendation: null, status: 'not_enough_nights' };
  }
  const start = Math.round((meanBed - 15) / 15) * 15 * 60;
  const window = {
    day_tz: offsetMinutes(zone, noon) * 60,
    end_offset: start + 3600,
    start_offset: start,
  };
  if (efficiency < 82) {
    return {
      ...base,
      optimal_bedtime: null,
      recommendation: 'improve_efficiency',
      status: 'bad_sleep_quality',
    };
  }
  if (sd > 60) {
    return {
      ...base,
      optimal_bedtime: window,
      recommendation: 'follow_optimal_bedtime',
      status: 'only_recommended_found',
    };
  }
  const last = bed[bed.length - 1] ?? meanBed;
  const recommendation =
    last * 60 > window.end_offset
      ? 'earlier_bedtime'
      : last * 60 < window.start_offset
        ? 'later_bedtime'
        : 'follow_optimal_bedtime';
  return { ...base, optimal_bedtime: window, recommendation, status: 'optimal_found' };
}
