import type { MetricInfo } from '../../api/types.ts';

/**
 * Every daily metric the dashboard can chart, and where it lives. `source` and `expr` are fixed
 * SQL fragments chosen here, never built from request input: a request names a metric `key`,
 * which is checked against this list first.
 */
export interface MetricSource extends MetricInfo {
  /** Table or view with `user_id` and `day` columns. */
  readonly source:
    | 'sleep_night'
    | 'daily_sleep'
    | 'daily_readiness'
    | 'daily_activity'
    | 'daily_spo2'
    | 'daily_stress'
    | 'daily_resilience'
    | 'daily_cardiovascular_age'
    | 'vo2_max';
  /** Numeric SQL expression over the source's columns. */
  readonly expr: string;
}

const m = (
  key: string,
  label: string,
  unit: MetricInfo['unit'],
  group: MetricInfo['group'],
  source: MetricSource['source'],
  expr: string,
  higherIsBetter: boolean | null,
): MetricSource => ({ key, label, unit, group, source, expr, higherIsBetter });

export const METRICS: readonly MetricSource[] = [
  m('sleep_score', 'Sleep score', 'score', 'sleep', 'daily_sleep', 'score', true),
  m('total_sleep', 'Total sleep', 'seconds', 'sleep', 'sleep_night', 'total_sleep_duration', true),
  m('rem_sleep', 'REM sleep', 'seconds', 'sleep', 'sleep_night', 'rem_sleep_duration', true),
  m('deep_sleep', 'Deep sleep', 'seconds', 'sleep', 'sleep_night', 'deep_sleep_duration', true),
  m('light_sleep', 'Light sleep', 'seconds', 'sleep', 'sleep_night', 'light_sleep_duration', null),
  m('awake_time', 'Awake time', 'seconds', 'sleep', 'sleep_night', 'awake_time', false),
  m('time_in_bed', 'Time in bed', 'seconds', 'sleep', 'sleep_night', 'time_in_bed', null),
  m('efficiency', 'Sleep efficiency', 'percent', 'sleep', 'sleep_night', 'efficiency', true),
  m('latency', 'Sleep latency', 'seconds', 'sleep', 'sleep_night', 'latency', false),
  m(
    'lowest_heart_rate',
    'Lowest heart rate',
    'bpm',
    'heart',
    'sleep_night',
    'lowest_heart_rate',
    false,
  ),
  m(
    'average_heart_rate',
    'Average sleeping heart rate',
    'bpm',
    'heart',
    'sleep_night',
    'average_heart_rate',
    false,
  ),
  m('average_hrv', 'Average HRV', 'ms', 'heart', 'sleep_night', 'average_hrv', true),
  m(
    'average_breath',
    'Breathing rate',
    'breaths_per_min',
    'breathing',
    'sleep_night',
    'average_breath',
    null,
  ),
  m('readiness_score', 'Readiness score', 'score', 'readiness', 'daily_readiness', 'score', true),
  m(
    'temperature_deviation',
    'Temperature deviation',
    'celsius_delta',
    'readiness',
    'daily_readiness',
    'temperature_deviation',
    null,
  ),
  m(
    'temperature_trend_deviation',
    'Temperature trend',
    'celsius_delta',
    'readiness',
    'daily_readiness',
    'temperature_trend_deviation',
    null,
  ),
  m(
    'hrv_balance',
    'HRV balance',
    'score',
    'readiness',
    'daily_readiness',
    'contributor_hrv_balance',
    true,
  ),
  m(
    'resting_heart_rate',
    'Resting heart rate (contributor)',
    'score',
    'readiness',
    'daily_readiness',
    'contributor_resting_heart_rate',
    true,
  ),
  m(
    'recovery_index',
    'Recovery index',
    'score',
    'readiness',
    'daily_readiness',
    'contributor_recovery_index',
    true,
  ),
  m(
    'sleep_balance',
    'Sleep balance',
    'score',
    'readiness',
    'daily_readiness',
    'contributor_sleep_balance',
    true,
  ),
  m('activity_score', 'Activity score', 'score', 'activity', 'daily_activity', 'score', true),
  m('steps', 'Steps', 'steps', 'activity', 'daily_activity', 'steps', true),
  m(
    'active_calories',
    'Active calories',
    'kcal',
    'activity',
    'daily_activity',
    'active_calories',
    true,
  ),
  m(
    'total_calories',
    'Total calories',
    'kcal',
    'activity',
    'daily_activity',
    'total_calories',
    null,
  ),
  m(
    'equivalent_walking_distance',
    'Walking distance',
    'meters',
    'activity',
    'daily_activity',
    'equivalent_walking_distance',
    true,
  ),
  m(
    'high_activity_time',
    'High activity',
    'seconds',
    'activity',
    'daily_activity',
    'high_activity_time',
    true,
  ),
  m(
    'medium_activity_time',
    'Medium activity',
    'seconds',
    'activity',
    'daily_activity',
    'medium_activity_time',
    true,
  ),
  m(
    'sedentary_time',
    'Sedentary time',
    'seconds',
    'activity',
    'daily_activity',
    'sedentary_time',
    false,
  ),
  m(
    'non_wear_time',
    'Ring not worn',
    'seconds',
    'activity',
    'daily_activity',
    'non_wear_time',
    false,
  ),
  m(
    'spo2_average',
    'SpO₂ average',
    'percent',
    'breathing',
    'daily_spo2',
    'spo2_percentage_average',
    true,
  ),
  m(
    'breathing_disturbance_index',
    'Breathing disturbance index',
    'index',
    'breathing',
    'daily_spo2',
    'breathing_disturbance_index',
    false,
  ),
  m('stress_high', 'High stress time', 'seconds', 'stress', 'daily_stress', 'stress_high', false),
  m(
    'recovery_high',
    'High recovery time',
    'seconds',
    'stress',
    'daily_stress',
    'recovery_high',
    true,
  ),
  m(
    'resilience_level',
    'Resilience level (1 limited – 5 exceptional)',
    'level',
    'stress',
    'daily_resilience',
    "CASE level WHEN 'limited' THEN 1 WHEN 'adequate' THEN 2 WHEN 'solid' THEN 3 WHEN 'strong' THEN 4 WHEN 'exceptional' THEN 5 END",
    true,
  ),
  m(
    'vascular_age',
    'Cardiovascular age',
    'years',
    'heart',
    'daily_cardiovascular_age',
    'vascular_age',
    false,
  ),
  m(
    'pulse_wave_velocity',
    'Pulse wave velocity',
    'meters_per_second',
    'heart',
    'daily_cardiovascular_age',
    'pulse_wave_velocity',
    false,
  ),
  m('vo2_max', 'VO₂ max', 'vo2', 'heart', 'vo2_max', 'vo2_max', true),
];

export const METRIC_KEYS = METRICS.map((x) => x.key);

export function metricByKey(key: string): MetricSource | undefined {
  return METRICS.find((x) => x.key === key);
}

export function metricInfo(source: MetricSource): MetricInfo {
  return {
    key: source.key,
    label: source.label,
    unit: source.unit,
    group: source.group,
    higherIsBetter: source.higherIsBetter,
  };
}
