import { defineProjection } from './types.ts';
import {
  type Doc,
  day,
  instant,
  int,
  num,
  offsetFromSeconds,
  offsetOf,
  required,
  sample,
  text,
} from './values.ts';

/** Daily documents: one per day, identified by `id`, placed by `day` and `timestamp`. */

const id = (doc: Doc) => required(text(doc, 'id'), 'id');
const theDay = (doc: Doc) => required(day(doc, 'day'), 'day');
const placeByTimestamp = (doc: Doc) => ({
  day: theDay(doc),
  utcOffsetMinutes: offsetOf(doc, 'timestamp'),
});
/** Types with no timestamp of their own carry no offset. */
const placeByDay = (doc: Doc) => ({ day: theDay(doc), utcOffsetMinutes: null });
const contributor = (doc: Doc, key: string) => int(doc, 'contributors', key);

export const dailySleep = defineProjection({
  dataType: 'daily_sleep',
  table: 'daily_sleep',
  place: placeByTimestamp,
  toRow: (userId, doc) => ({
    user_id: userId,
    id: id(doc),
    day: theDay(doc),
    score: int(doc, 'score'),
    timestamp: instant(doc, 'timestamp'),
    utc_offset_minutes: offsetOf(doc, 'timestamp'),
    contributor_deep_sleep: contributor(doc, 'deep_sleep'),
    contributor_efficiency: contributor(doc, 'efficiency'),
    contributor_latency: contributor(doc, 'latency'),
    contributor_rem_sleep: contributor(doc, 'rem_sleep'),
    contributor_restfulness: contributor(doc, 'restfulness'),
    contributor_timing: contributor(doc, 'timing'),
    contributor_total_sleep: contributor(doc, 'total_sleep'),
  }),
});

export const dailyReadiness = defineProjection({
  dataType: 'daily_readiness',
  table: 'daily_readiness',
  place: placeByTimestamp,
  toRow: (userId, doc) => ({
    user_id: userId,
    id: id(doc),
    day: theDay(doc),
    score: int(doc, 'score'),
    temperature_deviation: num(doc, 'temperature_deviation'),
    temperature_trend_deviation: num(doc, 'temperature_trend_deviation'),
    timestamp: instant(doc, 'timestamp'),
    utc_offset_minutes: offsetOf(doc, 'timestamp'),
    contributor_activity_balance: contributor(doc, 'activity_balance'),
    contributor_body_temperature: contributor(doc, 'body_temperature'),
    contributor_hrv_balance: contributor(doc, 'hrv_balance'),
    contributor_previous_day_activity: contributor(doc, 'previous_day_activity'),
    contributor_previous_night: contributor(doc, 'previous_night'),
    contributor_recovery_index: contributor(doc, 'recovery_index'),
    contributor_resting_heart_rate: contributor(doc, 'resting_heart_rate'),
    contributor_sleep_balance: contributor(doc, 'sleep_balance'),
    contributor_sleep_regularity: contributor(doc, 'sleep_regularity'),
  }),
});

export const dailyActivity = defineProjection({
  dataType: 'daily_activity',
  table: 'daily_activity',
  place: placeByTimestamp,
  toRow(userId, doc) {
    const met = sample(doc, 'met');
    return {
      user_id: userId,
      id: id(doc),
      day: theDay(doc),
      score: int(doc, 'score'),
      timestamp: instant(doc, 'timestamp'),
      utc_offset_minutes: offsetOf(doc, 'timestamp'),
      steps: int(doc, 'steps'),
      active_calories: int(doc, 'active_calories'),
      total_calories: int(doc, 'total_calories'),
      target_calories: int(doc, 'target_calories'),
      target_meters: int(doc, 'target_meters'),
      meters_to_target: int(doc, 'meters_to_target'),
      equivalent_walking_distance: int(doc, 'equivalent_walking_distance'),
      high_activity_time: int(doc, 'high_activity_time'),
      medium_activity_time: int(doc, 'medium_activity_time'),
      low_activity_time: int(doc, 'low_activity_time'),
      sedentary_time: int(doc, 'sedentary_time'),
      resting_time: int(doc, 'resting_time'),
      non_wear_time: int(doc, 'non_wear_time'),
      high_activity_met_minutes: num(doc, 'high_activity_met_minutes'),
      medium_activity_met_minutes: num(doc, 'medium_activity_met_minutes'),
      low_activity_met_minutes: num(doc, 'low_activity_met_minutes'),
      sedentary_met_minutes: num(doc, 'sedentary_met_minutes'),
      average_met_minutes: num(doc, 'average_met_minutes'),
      inactivity_alerts: int(doc, 'inactivity_alerts'),
      class_5_min: text(doc, 'class_5_min'),
      met_interval: met.interval,
      met_start: met.start,
      met_items: met.items,
      contributor_meet_daily_targets: contributor(doc, 'meet_daily_targets'),
      contributor_move_every_hour: contributor(doc, 'move_every_hour'),
      contributor_recovery_time: contributor(doc, 'recovery_time'),
      contributor_stay_active: contributor(doc, 'stay_active'),
      contributor_training_frequency: contributor(doc, 'training_frequency'),
      contributor_training_volume: contributor(doc, 'training_volume'),
    };
  },
});

export const dailySpo2 = defineProjection({
  dataType: 'daily_spo2',
  table: 'daily_spo2',
  place: placeByDay,
  toRow: (userId, doc) => ({
    user_id: userId,
    id: id(doc),
    day: theDay(doc),
    spo2_percentage_average: num(doc, 'spo2_percentage', 'average'),
    breathing_disturbance_index: int(doc, 'breathing_disturbance_index'),
  }),
});

export const dailyStress = defineProjection({
  dataType: 'daily_stress',
  table: 'daily_stress',
  place: placeByDay,
  toRow: (userId, doc) => ({
    user_id: userId,
    id: id(doc),
    day: theDay(doc),
    stress_high: int(doc, 'stress_high'),
    recovery_high: int(doc, 'recovery_high'),
    day_summary: text(doc, 'day_summary'),
  }),
});

export const dailyResilience = defineProjection({
  dataType: 'daily_resilience',
  table: 'daily_resilience',
  place: placeByDay,
  toRow: (userId, doc) => ({
    user_id: userId,
    id: id(doc),
    day: theDay(doc),
    level: text(doc, 'level'),
    // Resilience contributors are numbers, not integer scores (spec ResilienceContributors).
    contributor_sleep_recovery: num(doc, 'contributors', 'sleep_recovery'),
    contributor_daytime_recovery: num(doc, 'contributors', 'daytime_recovery'),
    contributor_stress: num(doc, 'contributors', 'stress'),
  }),
});

export const dailyCardiovascularAge = defineProjection({
  dataType: 'daily_cardiovascular_age',
  table: 'daily_cardiovascular_age',
  place: placeByDay,
  toRow: (userId, doc) => ({
    user_id: userId,
    id: id(doc),
    day: theDay(doc),
    vascular_age: int(doc, 'vascular_age'),
    pulse_wave_velocity: num(doc, 'pulse_wave_velocity'),
  }),
});

export const vo2Max = defineProjection({
  dataType: 'vo2_max',
  table: 'vo2_max',
  place: placeByTimestamp,
  toRow: (userId, doc) => ({
    user_id: userId,
    id: id(doc),
    day: theDay(doc),
    timestamp: instant(doc, 'timestamp'),
    utc_offset_minutes: offsetOf(doc, 'timestamp'),
    vo2_max: num(doc, 'vo2_max'),
  }),
});

/** `optimal_bedtime.day_tz` is the day's UTC offset in seconds (spec PublicSleepTimeWindow). */
const sleepTimeOffset = (doc: Doc) => offsetFromSeconds(doc, 'optimal_bedtime', 'day_tz');

export const sleepTime = defineProjection({
  dataType: 'sleep_time',
  table: 'sleep_time',
  place: (doc) => ({ day: theDay(doc), utcOffsetMinutes: sleepTimeOffset(doc) }),
  toRow: (userId, doc) => ({
    user_id: userId,
    id: id(doc),
    day: theDay(doc),
    utc_offset_minutes: sleepTimeOffset(doc),
    optimal_bedtime_start_offset: int(doc, 'optimal_bedtime', 'start_offset'),
    optimal_bedtime_end_offset: int(doc, 'optimal_bedtime', 'end_offset'),
    recommendation: text(doc, 'recommendation'),
    status: text(doc, 'status'),
  }),
});
