import { z } from 'zod';
import type { DataType } from './routes.ts';

/**
 * Tolerant schemas for the documents Oura returns (spec 1.37 component schemas).
 *
 * Oura adds, removes and renames fields between spec versions, and real responses lack fields the
 * spec calls required (NOTES "Versions", "Schema drift"). So:
 * - unknown fields pass through (loose objects), and the raw document is what we store;
 * - a field we use may be missing or null, but when present it must have the right type;
 * - only the identity of a document is required: `id`, its day, and the timestamps that place it.
 * A document failing these checks is reported in `Page.invalid`, never thrown.
 */

const isRealDay = (v: string) => {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
};

const id = z.string().min(1, 'expected a non-empty id');
export const daySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a 'YYYY-MM-DD' day")
  .refine(isRealDay, 'not a calendar day');
/** Oura's LocalizedDateTime / UtcDateTime / LocalDateTime strings: anything Date.parse reads. */
export const instantSchema = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'expected a parseable date-time');

const num = z.number().nullish();
const str = z.string().nullish();
const bool = z.boolean().nullish();

/**
 * Numbers or nulls, checked in place: a sample array holds up to 1,440 items (a day of minutes)
 * and z.array would build a copy of each one only to throw it away (the raw document is what
 * is stored).
 */
const sampleItems = z.custom<(number | null)[]>(
  (v) => Array.isArray(v) && v.every((x) => x === null || typeof x === 'number'),
  'expected an array of numbers or nulls',
);

/** `{interval, items, timestamp}`: items[i] is at timestamp + i * interval seconds. */
const sample = z
  .looseObject({
    interval: z.number(),
    items: sampleItems,
    timestamp: instantSchema,
  })
  .nullish();

const contributors = <K extends string>(keys: readonly K[]) =>
  z.looseObject(Object.fromEntries(keys.map((k) => [k, num])) as Record<K, typeof num>).nullish();

const readinessContributorKeys = [
  'activity_balance',
  'body_temperature',
  'hrv_balance',
  'previous_day_activity',
  'previous_night',
  'recovery_index',
  'resting_heart_rate',
  'sleep_balance',
  'sleep_regularity',
] as const;

export const sleepSchema = z.looseObject({
  id,
  day: daySchema,
  bedtime_start: instantSchema,
  bedtime_end: instantSchema,
  /** long_sleep | sleep (nap) | late_nap | rest (rejected) | deleted */
  type: str,
  period: num,
  time_in_bed: num,
  total_sleep_duration: num,
  deep_sleep_duration: num,
  light_sleep_duration: num,
  rem_sleep_duration: num,
  awake_time: num,
  latency: num,
  efficiency: num,
  restless_periods: num,
  average_breath: num,
  average_heart_rate: num,
  lowest_heart_rate: num,
  average_hrv: num,
  low_battery_alert: bool,
  sleep_algorithm_version: str,
  heart_rate: sample,
  hrv: sample,
  sleep_phase_5_min: str,
  movement_30_sec: str,
  readiness: z
    .looseObject({
      score: num,
      temperature_deviation: num,
      temperature_trend_deviation: num,
      contributors: contributors(readinessContributorKeys),
    })
    .nullish(),
});

export const dailySleepSchema = z.looseObject({
  id,
  day: daySchema,
  timestamp: instantSchema,
  score: num,
  contributors: contributors([
    'deep_sleep',
    'efficiency',
    'latency',
    'rem_sleep',
    'restfulness',
    'timing',
    'total_sleep',
  ]),
});

export const dailyReadinessSchema = z.looseObject({
  id,
  day: daySchema,
  timestamp: instantSchema,
  score: num,
  temperature_deviation: num,
  temperature_trend_deviation: num,
  contributors: contributors(readinessContributorKeys),
});

export const dailyActivitySchema = z.looseObject({
  id,
  day: daySchema,
  timestamp: instantSchema,
  score: num,
  steps: num,
  active_calories: num,
  total_calories: num,
  target_calories: num,
  equivalent_walking_distance: num,
  high_activity_time: num,
  medium_activity_time: num,
  low_activity_time: num,
  sedentary_time: num,
  resting_time: num,
  non_wear_time: num,
  average_met_minutes: num,
  inactivity_alerts: num,
  met: sample,
  class_5_min: str,
  contributors: contributors([
    'meet_daily_targets',
    'move_every_hour',
    'recovery_time',
    'stay_active',
    'training_frequency',
    'training_volume',
  ]),
});

export const dailySpo2Schema = z.looseObject({
  id,
  day: daySchema,
  spo2_percentage: z.looseObject({ average: num }).nullish(),
  breathing_disturbance_index: num,
});

export const dailyStressSchema = z.looseObject({
  id,
  day: daySchema,
  stress_high: num,
  recovery_high: num,
  day_summary: str,
});

export const dailyResilienceSchema = z.looseObject({
  id,
  day: daySchema,
  level: str,
  contributors: contributors(['sleep_recovery', 'daytime_recovery', 'stress']),
});

export const dailyCardiovascularAgeSchema = z.looseObject({
  id,
  day: daySchema,
  vascular_age: num,
  pulse_wave_velocity: num,
});

export const vo2MaxSchema = z.looseObject({
  id,
  day: daySchema,
  timestamp: instantSchema,
  vo2_max: num,
});

export const workoutSchema = z.looseObject({
  id,
  day: daySchema,
  start_datetime: instantSchema,
  end_datetime: instantSchema,
  activity: str,
  intensity: str,
  source: str,
  calories: num,
  distance: num,
  label: str,
});

export const sessionSchema = z.looseObject({
  id,
  day: daySchema,
  start_datetime: instantSchema,
  end_datetime: instantSchema,
  type: str,
  mood: str,
  heart_rate: sample,
  heart_rate_variability: sample,
  motion_count: sample,
});

export const sleepTimeSchema = z.looseObject({
  id,
  day: daySchema,
  optimal_bedtime: z.looseObject({ day_tz: num, start_offset: num, end_offset: num }).nullish(),
  recommendation: str,
  status: str,
});

export const enhancedTagSchema = z.looseObject({
  id,
  start_day: daySchema,
  start_time: instantSchema,
  end_day: daySchema.nullish(),
  end_time: instantSchema.nullish(),
  tag_type_code: str,
  custom_name: str,
  comment: str,
});

export const tagSchema = z.looseObject({
  id,
  day: daySchema,
  timestamp: instantSchema,
  text: str,
  tags: z.array(z.string()).nullish(),
});

export const restModePeriodSchema = z.looseObject({
  id,
  start_day: daySchema,
  end_day: daySchema.nullish(),
  start_time: instantSchema.nullish(),
  end_time: instantSchema.nullish(),
  episodes: z
    .array(z.looseObject({ tags: z.array(z.string()).nullish(), timestamp: instantSchema }))
    .nullish(),
});

export const ringConfigurationSchema = z.looseObject({
  id,
  color: str,
  design: str,
  hardware_type: str,
  firmware_version: str,
  size: num,
  set_up_at: instantSchema.nullish(),
});

export const heartRateRowSchema = z.looseObject({
  timestamp: instantSchema,
  bpm: z.number(),
  /** awake | workout | rest | sleep | live | session */
  source: str,
  timestamp_unix: num,
});

export const ringBatteryLevelRowSchema = z.looseObject({
  timestamp: instantSchema,
  level: z.number(),
  charging: bool,
  in_charger: bool,
  timestamp_unix: num,
});

export const personalInfoSchema = z.looseObject({
  id,
  age: num,
  weight: num,
  height: num,
  biological_sex: str,
  email: str,
});

/** `{data, next_token}`; time-series responses may omit next_token [S]. */
export const listEnvelopeSchema = z.looseObject({
  data: z.array(z.unknown()),
  next_token: z.string().nullish(),
});

export const DOCUMENT_SCHEMAS = {
  sleep: sleepSchema,
  daily_sleep: dailySleepSchema,
  daily_readiness: dailyReadinessSchema,
  daily_activity: dailyActivitySchema,
  daily_spo2: dailySpo2Schema,
  daily_stress: dailyStressSchema,
  daily_resilience: dailyResilienceSchema,
  daily_cardiovascular_age: dailyCardiovascularAgeSchema,
  vo2_max: vo2MaxSchema,
  workout: workoutSchema,
  session: sessionSchema,
  sleep_time: sleepTimeSchema,
  enhanced_tag: enhancedTagSchema,
  tag: tagSchema,
  rest_mode_period: restModePeriodSchema,
  ring_configuration: ringConfigurationSchema,
  heartrate: heartRateRowSchema,
  ring_battery_level: ringBatteryLevelRowSchema,
} as const satisfies Record<DataType, z.ZodType>;

export type SleepDocument = z.infer<typeof sleepSchema>;
export type DailySleepDocument = z.infer<typeof dailySleepSchema>;
export type DailyReadinessDocument = z.infer<typeof dailyReadinessSchema>;
export type DailyActivityDocument = z.infer<typeof dailyActivitySchema>;
export type DailySpo2Document = z.infer<typeof dailySpo2Schema>;
export type DailyStressDocument = z.infer<typeof dailyStressSchema>;
export type DailyResilienceDocument = z.infer<typeof dailyResilienceSchema>;
export type DailyCardiovascularAgeDocument = z.infer<typeof dailyCardiovascularAgeSchema>;
export type Vo2MaxDocument = z.infer<typeof vo2MaxSchema>;
export type WorkoutDocument = z.infer<typeof workoutSchema>;
export type SessionDocument = z.infer<typeof sessionSchema>;
export type SleepTimeDocument = z.infer<typeof sleepTimeSchema>;
export type EnhancedTagDocument = z.infer<typeof enhancedTagSchema>;
export type TagDocument = z.infer<typeof tagSchema>;
export type RestModePeriodDocument = z.infer<typeof restModePeriodSchema>;
export type RingConfigurationDocument = z.infer<typeof ringConfigurationSchema>;
export type HeartRateRow = z.infer<typeof heartRateRowSchema>;
export type RingBatteryLevelRow = z.infer<typeof ringBatteryLevelRowSchema>;
export type PersonalInfo = z.infer<typeof personalInfoSchema>;
export type SampleSeries = NonNullable<z.infer<typeof sample>>;

/** Typed view of each data type's document (the fields Snowtorch reads; the rest pass through). */
export type DocumentOf<T extends DataType> = z.infer<(typeof DOCUMENT_SCHEMAS)[T]>;

export type DocumentCheck =
  | { ok: true; document: Record<string, unknown> }
  | { ok: false; message: string };

/** One line per issue: `day: expected 'YYYY-MM-DD' day; bpm: Invalid input: expected number…`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(document)'}: ${i.message}`)
    .join('; ');
}

function label(type: DataType, doc: unknown): string {
  const docId =
    typeof doc === 'object' && doc !== null && 'id' in doc && typeof doc.id === 'string'
      ? ` '${doc.id}'`
      : '';
  return `${type} document${docId}`;
}

/**
 * Check one document against its type's schema. On success the document returned is the raw
 * object as received (not the parsed copy), so what is stored is exactly what Oura sent.
 */
export function checkDocument(type: DataType, doc: unknown): DocumentCheck {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, message: `${label(type, doc)}: (document): expected a JSON object` };
  }
  const result = DOCUMENT_SCHEMAS[type].safeParse(doc);
  if (result.success) return { ok: true, document: doc as Record<string, unknown> };
  return { ok: false, message: `${label(type, doc)}: ${describeIssues(result.error)}` };
}
