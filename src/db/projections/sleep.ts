import { defineProjection } from './types.ts';
import {
  addDays,
  bool,
  type Doc,
  day,
  instantOf,
  int,
  num,
  type ParsedInstant,
  required,
  sample,
  text,
} from './values.ts';

/**
 * The day a sleep period counts toward (the sleep-day model, documented with the views in
 * migrations/2026-11-29-003-sleep-day-views.ts); null for types that are never sleep.
 */
export function sleepDayOf(
  type: string | null,
  start: ParsedInstant,
  end: ParsedInstant,
): string | null {
  switch (type) {
    case 'long_sleep':
    case 'sleep':
      return end.localDay;
    case 'late_nap':
      return addDays(start.localDay, 1);
    default:
      return null;
  }
}

const readiness = (doc: Doc, key: string) => int(doc, 'readiness', 'contributors', key);

export const sleepPeriod = defineProjection({
  dataType: 'sleep',
  table: 'sleep_period',
  place: (doc) => ({
    day: required(day(doc, 'day'), 'day'),
    utcOffsetMinutes: instantOf(doc, 'bedtime_start')?.offsetMinutes ?? null,
  }),
  toRow(userId, doc) {
    const start = required(instantOf(doc, 'bedtime_start'), 'bedtime_start');
    const end = required(instantOf(doc, 'bedtime_end'), 'bedtime_end');
    const type = text(doc, 'type');
    const hr = sample(doc, 'heart_rate');
    const hrv = sample(doc, 'hrv');
    return {
      user_id: userId,
      id: required(text(doc, 'id'), 'id'),
      day: required(day(doc, 'day'), 'day'),
      sleep_day: sleepDayOf(type, start, end),
      type,
      period: int(doc, 'period'),
      is_nap: type === 'sleep' || type === 'late_nap',
      counts_as_sleep: type === 'long_sleep' || type === 'sleep' || type === 'late_nap',
      bedtime_start: start.iso,
      bedtime_end: end.iso,
      utc_offset_minutes: start.offsetMinutes,
      end_utc_offset_minutes: end.offsetMinutes,
      time_in_bed: int(doc, 'time_in_bed'),
      total_sleep_duration: int(doc, 'total_sleep_duration'),
      deep_sleep_duration: int(doc, 'deep_sleep_duration'),
      light_sleep_duration: int(doc, 'light_sleep_duration'),
      rem_sleep_duration: int(doc, 'rem_sleep_duration'),
      awake_time: int(doc, 'awake_time'),
      latency: int(doc, 'latency'),
      efficiency: int(doc, 'efficiency'),
      restless_periods: int(doc, 'restless_periods'),
      average_breath: num(doc, 'average_breath'),
      average_heart_rate: num(doc, 'average_heart_rate'),
      lowest_heart_rate: int(doc, 'lowest_heart_rate'),
      average_hrv: int(doc, 'average_hrv'),
      low_battery_alert: bool(doc, 'low_battery_alert'),
      sleep_score_delta: int(doc, 'sleep_score_delta'),
      readiness_score_delta: int(doc, 'readiness_score_delta'),
      sleep_algorithm_version: text(doc, 'sleep_algorithm_version'),
      sleep_analysis_reason: text(doc, 'sleep_analysis_reason'),
      ring_id: text(doc, 'ring_id'),
      sleep_phase_5_min: text(doc, 'sleep_phase_5_min'),
      sleep_phase_30_sec: text(doc, 'sleep_phase_30_sec'),
      app_sleep_phase_5_min: text(doc, 'app_sleep_phase_5_min'),
      movement_30_sec: text(doc, 'movement_30_sec'),
      heart_rate_interval: hr.interval,
      heart_rate_start: hr.start,
      heart_rate_items: hr.items,
      hrv_interval: hrv.interval,
      hrv_start: hrv.start,
      hrv_items: hrv.items,
      readiness_score: int(doc, 'readiness', 'score'),
      readiness_temperature_deviation: num(doc, 'readiness', 'temperature_deviation'),
      readiness_temperature_trend_deviation: num(doc, 'readiness', 'temperature_trend_deviation'),
      readiness_contributor_activity_balance: readiness(doc, 'activity_balance'),
      readiness_contributor_body_temperature: readiness(doc, 'body_temperature'),
      readiness_contributor_hrv_balance: readiness(doc, 'hrv_balance'),
      readiness_contributor_previous_day_activity: readiness(doc, 'previous_day_activity'),
      readiness_contributor_previous_night: readiness(doc, 'previous_night'),
      readiness_contributor_recovery_index: readiness(doc, 'recovery_index'),
      readiness_contributor_resting_heart_rate: readiness(doc, 'resting_heart_rate'),
      readiness_contributor_sleep_balance: readiness(doc, 'sleep_balance'),
      readiness_contributor_sleep_regularity: readiness(doc, 'sleep_regularity'),
    };
  },
});
