import {
  type DocumentDataType,
  type DocumentPlace,
  type DocumentTable,
  defineProjection,
  type ProjectionRow,
} from './types.ts';
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

/**
 * Daily documents: one per day, identified by `id`, placed by `day` (and `timestamp`, whose
 * offset is the day's UTC offset). Each type is a table of columns: the reader that checks the
 * value and the path it is read from.
 */

type Reader = (doc: Doc, ...path: string[]) => unknown;
type Column = readonly [Reader, ...string[]];
type Identity = 'user_id' | 'id' | 'day';

interface DailySpec<T extends DocumentTable> {
  dataType: DocumentDataType;
  table: T;
  place: (doc: Doc) => DocumentPlace;
  /** Every other column: [reader, ...path]. Names are checked against the table's type. */
  columns: { readonly [K in Exclude<keyof ProjectionRow<T>, Identity>]?: Column };
  /** Columns read together from one value (a sample object's three columns). */
  more?: (doc: Doc) => Partial<ProjectionRow<T>>;
}

const theDay = (doc: Doc) => required(day(doc, 'day'), 'day');
/** Types with no timestamp of their own carry no offset. */
const placeByDay = (doc: Doc) => ({ day: theDay(doc), utcOffsetMinutes: null });
const placeByTimestamp = (doc: Doc) => ({
  day: theDay(doc),
  utcOffsetMinutes: offsetOf(doc, 'timestamp'),
});
/** `optimal_bedtime.day_tz` is the day's UTC offset in seconds (spec PublicSleepTimeWindow). */
const placeBySleepTime = (doc: Doc) => ({
  day: theDay(doc),
  utcOffsetMinutes: offsetFromSeconds(doc, 'optimal_bedtime', 'day_tz'),
});

const stamped = {
  timestamp: [instant, 'timestamp'],
  utc_offset_minutes: [offsetOf, 'timestamp'],
} as const;
/** Integer score contributors, `contributor_<key>` from `contributors.<key>`. */
const contributors = (keys: readonly string[]) =>
  Object.fromEntries(keys.map((k) => [`contributor_${k}`, [int, 'contributors', k] as const]));

function daily<T extends DocumentTable>(spec: DailySpec<T>) {
  const columns = Object.entries(spec.columns) as [string, Column][];
  return defineProjection<T>({
    dataType: spec.dataType,
    table: spec.table,
    place: spec.place,
    toRow(userId, doc) {
      const row: Record<string, unknown> = {
        user_id: userId,
        id: required(text(doc, 'id'), 'id'),
        day: theDay(doc),
      };
      for (const [name, [read, ...path]] of columns) row[name] = read(doc, ...path);
      if (spec.more) Object.assign(row, spec.more(doc));
      return row as ProjectionRow<T>;
    },
  });
}

export const dailySleep = daily({
  dataType: 'daily_sleep',
  table: 'daily_sleep',
  place: placeByTimestamp,
  columns: {
    score: [int, 'score'],
    ...stamped,
    ...contributors([
      'deep_sleep',
      'efficiency',
      'latency',
      'rem_sleep',
      'restfulness',
      'timing',
      'total_sleep',
    ]),
  },
});

export const dailyReadiness = daily({
  dataType: 'daily_readiness',
  table: 'daily_readiness',
  place: placeByTimestamp,
  columns: {
    score: [int, 'score'],
    temperature_deviation: [num, 'temperature_deviation'],
    temperature_trend_deviation: [num, 'temperature_trend_deviation'],
    ...stamped,
    ...contributors([
      'activity_balance',
      'body_temperature',
      'hrv_balance',
      'previous_day_activity',
      'previous_night',
      'recovery_index',
      'resting_heart_rate',
      'sleep_balance',
      'sleep_regularity',
    ]),
  },
});

const INT_ACTIVITY_FIELDS = [
  'score',
  'steps',
  'active_calories',
  'total_calories',
  'target_calories',
  'target_meters',
  'meters_to_target',
  'equivalent_walking_distance',
  'high_activity_time',
  'medium_activity_time',
  'low_activity_time',
  'sedentary_time',
  'resting_time',
  'non_wear_time',
  'inactivity_alerts',
] as const;
const NUM_ACTIVITY_FIELDS = [
  'high_activity_met_minutes',
  'medium_activity_met_minutes',
  'low_activity_met_minutes',
  'sedentary_met_minutes',
  'average_met_minutes',
] as const;

export const dailyActivity = daily({
  dataType: 'daily_activity',
  table: 'daily_activity',
  place: placeByTimestamp,
  columns: {
    ...stamped,
    ...Object.fromEntries(INT_ACTIVITY_FIELDS.map((f) => [f, [int, f] as const])),
    ...Object.fromEntries(NUM_ACTIVITY_FIELDS.map((f) => [f, [num, f] as const])),
    class_5_min: [text, 'class_5_min'],
    ...contributors([
      'meet_daily_targets',
      'move_every_hour',
      'recovery_time',
      'stay_active',
      'training_frequency',
      'training_volume',
    ]),
  },
  more(doc) {
    const met = sample(doc, 'met');
    return { met_interval: met.interval, met_start: met.start, met_items: met.items };
  },
});

export const dailySpo2 = daily({
  dataType: 'daily_spo2',
  table: 'daily_spo2',
  place: placeByDay,
  columns: {
    spo2_percentage_average: [num, 'spo2_percentage', 'average'],
    breathing_disturbance_index: [int, 'breathing_disturbance_index'],
  },
});

export const dailyStress = daily({
  dataType: 'daily_stress',
  table: 'daily_stress',
  place: placeByDay,
  columns: {
    stress_high: [int, 'stress_high'],
    recovery_high: [int, 'recovery_high'],
    day_summary: [text, 'day_summary'],
  },
});

export const dailyResilience = daily({
  dataType: 'daily_resilience',
  table: 'daily_resilience',
  place: placeByDay,
  columns: {
    level: [text, 'level'],
    // Resilience contributors are numbers, not integer scores (spec ResilienceContributors).
    contributor_sleep_recovery: [num, 'contributors', 'sleep_recovery'],
    contributor_daytime_recovery: [num, 'contributors', 'daytime_recovery'],
    contributor_stress: [num, 'contributors', 'stress'],
  },
});

export const dailyCardiovascularAge = daily({
  dataType: 'daily_cardiovascular_age',
  table: 'daily_cardiovascular_age',
  place: placeByDay,
  columns: {
    vascular_age: [int, 'vascular_age'],
    pulse_wave_velocity: [num, 'pulse_wave_velocity'],
  },
});

export const vo2Max = daily({
  dataType: 'vo2_max',
  table: 'vo2_max',
  place: placeByTimestamp,
  columns: { ...stamped, vo2_max: [num, 'vo2_max'] },
});

export const sleepTime = daily({
  dataType: 'sleep_time',
  table: 'sleep_time',
  place: placeBySleepTime,
  columns: {
    utc_offset_minutes: [offsetFromSeconds, 'optimal_bedtime', 'day_tz'],
    optimal_bedtime_start_offset: [int, 'optimal_bedtime', 'start_offset'],
    optimal_bedtime_end_offset: [int, 'optimal_bedtime', 'end_offset'],
    recommendation: [text, 'recommendation'],
    status: [text, 'status'],
  },
});
