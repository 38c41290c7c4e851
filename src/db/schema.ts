import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/**
 * Kysely types of every table. Column names are snake_case, as in SQL.
 * Timestamps are `timestamptz` (Date); calendar days are `date` ('YYYY-MM-DD' strings).
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T extends object | null = Record<string, unknown>> = JSONColumnType<T, string, string>;

export interface AppUserTable {
  id: Generated<number>;
  /** Local name of the person ("demo", "alex"); unique. */
  name: string;
  created_at: CreatedAt;
  /** argon2id hash; null until a password is set (users made by `connect`/`demo`). */
  password_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** 'owner' (exactly one at most) | 'member' */
  role: ColumnType<string, string | undefined, string>;
}

/** One Oura grant per user. Tokens are AES-256-GCM envelopes (see crypto/tokenCipher.ts). */
export interface OuraConnectionTable {
  user_id: number;
  /** `personal_info.id`: maps webhook `user_id` values to our users. */
  oura_user_id: string | null;
  access_token_enc: string;
  refresh_token_enc: string | null;
  access_expires_at: Timestamp;
  /** Scopes actually granted (users can untick scopes on the consent page). */
  scopes: ColumnType<string[], string[], string[]>;
  /** 'active' | 'reconnect_needed' (after invalid_grant) */
  status: string;
  /** Incremented on every refresh; lets a process detect that another one refreshed first. */
  token_version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/**
 * Every document exactly as Oura sent it. Typed tables are projections of this one and
 * `snowtorch rebuild` re-derives them from it alone.
 * Time series (heartrate, ring_battery_level) are kept as one document per user and local day
 * (`doc_id` = the day): the samples array as received for that day.
 */
export interface RawDocumentTable {
  user_id: number;
  data_type: string;
  doc_id: string;
  day: string | null;
  /** UTC offset of the document's own local time, in minutes (from its timestamps). */
  utc_offset_minutes: number | null;
  document: Json;
  /** sha256 hex of the canonical JSON; unchanged documents are not rewritten. */
  content_hash: string;
  fetched_at: Timestamp;
  /** Set when the document disappeared upstream (delete webhook or reconciliation). */
  deleted_at: Timestamp | null;
}

export interface SyncRunTable {
  id: Generated<number>;
  user_id: number;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  /** 'running' | 'succeeded' | 'partial' | 'failed' (a run killed mid-way stays 'running'
   * until the next run marks it 'interrupted'). */
  status: string;
  trigger: string;
  /** Per data type: { fetched, inserted, updated, unchanged, deleted, requests, errors }. */
  counts: Json<Record<string, Record<string, number>>>;
  /** [{ dataType, docId?, code, message }] */
  errors: Json<{ dataType: string; docId?: string; code: string; message: string }[]>;
}

/** Per user and data type: how far the history is known to be complete. */
export interface SyncStateTable {
  user_id: number;
  data_type: string;
  /** Oldest day the backfill has to reach (set on the first run). */
  backfill_from: string | null;
  /** Every day before this one (exclusive) has been fetched and committed. */
  complete_until: string | null;
  last_success_at: Timestamp | null;
  last_error: string | null;
}

/** A document that failed validation: kept verbatim, never projected, shown in status. */
export interface SyncErrorDocumentTable {
  id: Generated<number>;
  user_id: number;
  data_type: string;
  doc_id: string | null;
  document: Json;
  message: string;
  seen_at: Timestamp;
}

export interface Database {
  app_user: AppUserTable;
  oura_connection: OuraConnectionTable;
  raw_document: RawDocumentTable;
  sync_run: SyncRunTable;
  sync_state: SyncStateTable;
  sync_error_document: SyncErrorDocumentTable;
  // Typed projections (src/db/projections/), written with their raw document.
  sleep_period: SleepPeriodTable;
  daily_sleep: DailySleepTable;
  daily_readiness: DailyReadinessTable;
  daily_activity: DailyActivityTable;
  daily_spo2: DailySpo2Table;
  daily_stress: DailyStressTable;
  daily_resilience: DailyResilienceTable;
  daily_cardiovascular_age: DailyCardiovascularAgeTable;
  vo2_max: Vo2MaxTable;
  workout: WorkoutTable;
  session: SessionTable;
  sleep_time: SleepTimeTable;
  enhanced_tag: EnhancedTagTable;
  tag: TagTable;
  rest_mode_period: RestModePeriodTable;
  ring_configuration: RingConfigurationTable;
  heart_rate_sample: HeartRateSampleTable;
  battery_sample: BatterySampleTable;
  // Views of the sleep-day model (read only).
  sleep_night: SleepNightView;
  sleep_nap: SleepNapView;
  // Live sync (migrations/2026-11-29-010-jobs.ts).
  sync_job: SyncJobTable;
  webhook_subscription: WebhookSubscriptionTable;
  webhook_event: WebhookEventTable;
  // Accounts (migrations/2026-11-29-020-accounts.ts).
  auth_session: AuthSessionTable;
  auth_token: AuthTokenTable;
  login_failure: LoginFailureTable;
  audit_log: AuditLogTable;
  // Insights (migrations/2026-12-07-010-insight-settings.ts).
  insight_settings: InsightSettingsTable;
}

/** Per-user insight settings; no row means the defaults. */
export interface InsightSettingsTable {
  user_id: number;
  /** Minutes; null: estimated from history. */
  sleep_need_minutes: number | null;
  /** ISO weekdays (1 Monday … 7 Sunday). */
  work_days: ColumnType<number[], number[] | undefined, number[]>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A login session; the cookie holds the id, the table only its sha256. */
export interface AuthSessionTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
}

/** One-time tokens (stored as sha256): login links, invites, OAuth `state`. */
export interface AuthTokenTable {
  token_hash: string;
  /** 'login' | 'invite' | 'oauth_state' */
  purpose: string;
  user_id: number | null;
  /** OAuth state: the session that started the flow. */
  session_hash: string | null;
  created_by: number | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface LoginFailureTable {
  id: Generated<number>;
  account: string;
  ip: string | null;
  at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, Date | string | undefined, never>;
  actor_id: number | null;
  actor_name: string | null;
  /** login, login_failed, logout, setup, connect, disconnect, member_invited, member_joined, ... */
  event: string;
  subject: string | null;
  ip: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
}

/** Queued work for the scheduler's workers (src/sync/jobs.ts). */
export interface SyncJobTable {
  id: Generated<number>;
  user_id: number;
  /** 'sync' | 'backfill' | 'webhook_fetch' | 'webhook_delete' */
  kind: string;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  run_at: ColumnType<Date, Date | string | undefined, Date | string>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  /** 'pending' | 'running' | 'succeeded' | 'failed' | 'superseded' */
  status: ColumnType<string, string | undefined, string>;
  /** Worker holding the job while it runs; the lease ends at locked_until. */
  locked_by: string | null;
  locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_error: string | null;
  /** Unique among pending jobs: the same work enqueued twice is one job. */
  dedupe_key: string | null;
  created_at: CreatedAt;
  started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** An Oura webhook subscription this app created (mirrors Oura's list). */
export interface WebhookSubscriptionTable {
  /** Oura's subscription id (uuid). */
  id: string;
  data_type: string;
  /** create | update | delete */
  event_type: string;
  callback_url: string;
  expiration_time: Timestamp;
  created_at: CreatedAt;
  renewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** One webhook delivery received and accepted as authentic. */
export interface WebhookEventTable {
  id: Generated<number>;
  oura_user_id: string;
  /** Our user, when the Oura user is connected here. */
  user_id: number | null;
  data_type: string;
  event_type: string;
  object_id: string;
  event_time: ColumnType<Date | null, Date | string | null, Date | string | null>;
  received_at: CreatedAt;
  /** `x-oura-timestamp` of the delivery. */
  signature_timestamp: Timestamp;
  /** 'queued' | 'ignored' (unknown user or data type) */
  status: string;
  /** sha256 of the event's identity: a second delivery of the same event is a replay. */
  event_hash: string;
}

/*
 * Typed projections. Each is derived from `raw_document` alone (`snowtorch rebuild`), keyed by
 * (user_id, id) where id is Oura's document id. Every row carries the document's own UTC offset
 * so days render in the time zone the person was in. Fields not projected stay in raw_document.
 * Contributors (1-100 scores) are `contributor_<name>` columns.
 */

type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
type NullableJson<T> = ColumnType<T | null, string | null, string | null>;
/** Oura's sample series `{interval, items, timestamp}`: item i is at start + i * interval s. */
type SampleItems = NullableJson<(number | null)[]>;

/**
 * One row per Oura `sleep` document (a sleep period). See the sleep-day model in
 * migrations/2026-11-29-003-sleep-day-views.ts: `sleep_day` is the day the period counts toward
 * (null for `rest` / `deleted` / unknown types, which are never counted as sleep).
 */
export interface SleepPeriodTable {
  user_id: number;
  id: string;
  /** Oura's `day` as sent. */
  day: string;
  sleep_day: string | null;
  /** long_sleep | sleep | late_nap | rest | deleted (null when Oura sent none) */
  type: string | null;
  period: number | null;
  /** type is `sleep` or `late_nap`. */
  is_nap: boolean;
  /** type is `long_sleep`, `sleep` or `late_nap`. */
  counts_as_sleep: boolean;
  bedtime_start: Timestamp;
  bedtime_end: Timestamp;
  /** Offset of bedtime_start; bedtime_end's may differ on a DST night. */
  utc_offset_minutes: number | null;
  end_utc_offset_minutes: number | null;
  time_in_bed: number | null;
  total_sleep_duration: number | null;
  deep_sleep_duration: number | null;
  light_sleep_duration: number | null;
  rem_sleep_duration: number | null;
  awake_time: number | null;
  latency: number | null;
  efficiency: number | null;
  restless_periods: number | null;
  average_breath: number | null;
  average_heart_rate: number | null;
  lowest_heart_rate: number | null;
  /** RMSSD, ms. */
  average_hrv: number | null;
  low_battery_alert: boolean | null;
  sleep_score_delta: number | null;
  readiness_score_delta: number | null;
  sleep_algorithm_version: string | null;
  sleep_analysis_reason: string | null;
  ring_id: string | null;
  /** '1' deep, '2' light, '3' REM, '4' awake per character. */
  sleep_phase_5_min: string | null;
  sleep_phase_30_sec: string | null;
  app_sleep_phase_5_min: string | null;
  /** '1' no motion ... '4' active per character. */
  movement_30_sec: string | null;
  heart_rate_interval: number | null;
  heart_rate_start: NullableTimestamp;
  heart_rate_items: SampleItems;
  hrv_interval: number | null;
  hrv_start: NullableTimestamp;
  hrv_items: SampleItems;
  readiness_score: number | null;
  readiness_temperature_deviation: number | null;
  readiness_temperature_trend_deviation: number | null;
  readiness_contributor_activity_balance: number | null;
  readiness_contributor_body_temperature: number | null;
  readiness_contributor_hrv_balance: number | null;
  readiness_contributor_previous_day_activity: number | null;
  readiness_contributor_previous_night: number | null;
  readiness_contributor_recovery_index: number | null;
  readiness_contributor_resting_heart_rate: number | null;
  readiness_contributor_sleep_balance: number | null;
  readiness_contributor_sleep_regularity: number | null;
}

/** Columns of the sleep views: a sleep_period row whose `day` is the day it counts toward. */
export interface SleepDayViewColumns {
  user_id: number;
  /** The day this period counts toward (sleep_period.sleep_day). */
  day: string;
  id: string;
  /** Oura's own `day` for the period. */
  oura_day: string;
  type: string;
  period: number | null;
  bedtime_start: Date;
  bedtime_end: Date;
  utc_offset_minutes: number | null;
  end_utc_offset_minutes: number | null;
  time_in_bed: number | null;
  total_sleep_duration: number | null;
  deep_sleep_duration: number | null;
  light_sleep_duration: number | null;
  rem_sleep_duration: number | null;
  awake_time: number | null;
  latency: number | null;
  efficiency: number | null;
  restless_periods: number | null;
  average_breath: number | null;
  average_heart_rate: number | null;
  lowest_heart_rate: number | null;
  average_hrv: number | null;
  low_battery_alert: boolean | null;
  sleep_phase_5_min: string | null;
  sleep_phase_30_sec: string | null;
  movement_30_sec: string | null;
  heart_rate_interval: number | null;
  heart_rate_start: Date | null;
  heart_rate_items: (number | null)[] | null;
  hrv_interval: number | null;
  hrv_start: Date | null;
  hrv_items: (number | null)[] | null;
  readiness_score: number | null;
  readiness_temperature_deviation: number | null;
  readiness_temperature_trend_deviation: number | null;
}

/** The main night per user and day: that day's `long_sleep` period (the longest if several). */
export interface SleepNightView extends SleepDayViewColumns {
  /** How many long_sleep periods share this day (more than 1: the night was split). */
  long_sleep_periods: number;
}

/** Naps (`sleep`, and `late_nap` counted toward the next day), one row per period. */
export type SleepNapView = SleepDayViewColumns;

export interface DailySleepTable {
  user_id: number;
  id: string;
  day: string;
  score: number | null;
  timestamp: NullableTimestamp;
  utc_offset_minutes: number | null;
  contributor_deep_sleep: number | null;
  contributor_efficiency: number | null;
  contributor_latency: number | null;
  contributor_rem_sleep: number | null;
  contributor_restfulness: number | null;
  contributor_timing: number | null;
  contributor_total_sleep: number | null;
}

export interface DailyReadinessTable {
  user_id: number;
  id: string;
  day: string;
  score: number | null;
  temperature_deviation: number | null;
  temperature_trend_deviation: number | null;
  timestamp: NullableTimestamp;
  utc_offset_minutes: number | null;
  contributor_activity_balance: number | null;
  contributor_body_temperature: number | null;
  contributor_hrv_balance: number | null;
  contributor_previous_day_activity: number | null;
  contributor_previous_night: number | null;
  contributor_recovery_index: number | null;
  contributor_resting_heart_rate: number | null;
  contributor_sleep_balance: number | null;
  contributor_sleep_regularity: number | null;
}

export interface DailyActivityTable {
  user_id: number;
  id: string;
  day: string;
  score: number | null;
  timestamp: NullableTimestamp;
  utc_offset_minutes: number | null;
  steps: number | null;
  active_calories: number | null;
  total_calories: number | null;
  target_calories: number | null;
  target_meters: number | null;
  meters_to_target: number | null;
  equivalent_walking_distance: number | null;
  high_activity_time: number | null;
  medium_activity_time: number | null;
  low_activity_time: number | null;
  sedentary_time: number | null;
  resting_time: number | null;
  non_wear_time: number | null;
  high_activity_met_minutes: number | null;
  medium_activity_met_minutes: number | null;
  low_activity_met_minutes: number | null;
  sedentary_met_minutes: number | null;
  average_met_minutes: number | null;
  inactivity_alerts: number | null;
  /** One character per 5 minutes: '0' non-wear, '1' rest, '2' inactive, '3' low, '4' medium, '5' high. */
  class_5_min: string | null;
  met_interval: number | null;
  met_start: NullableTimestamp;
  met_items: SampleItems;
  contributor_meet_daily_targets: number | null;
  contributor_move_every_hour: number | null;
  contributor_recovery_time: number | null;
  contributor_stay_active: number | null;
  contributor_training_frequency: number | null;
  contributor_training_volume: number | null;
}

export interface DailySpo2Table {
  user_id: number;
  id: string;
  day: string;
  spo2_percentage_average: number | null;
  breathing_disturbance_index: number | null;
}

export interface DailyStressTable {
  user_id: number;
  id: string;
  day: string;
  /** Seconds. */
  stress_high: number | null;
  recovery_high: number | null;
  /** restored | normal | stressful */
  day_summary: string | null;
}

export interface DailyResilienceTable {
  user_id: number;
  id: string;
  day: string;
  /** limited | adequate | solid | strong | exceptional */
  level: string | null;
  contributor_sleep_recovery: number | null;
  contributor_daytime_recovery: number | null;
  contributor_stress: number | null;
}

export interface DailyCardiovascularAgeTable {
  user_id: number;
  id: string;
  day: string;
  vascular_age: number | null;
  pulse_wave_velocity: number | null;
}

export interface Vo2MaxTable {
  user_id: number;
  id: string;
  day: string;
  timestamp: NullableTimestamp;
  utc_offset_minutes: number | null;
  vo2_max: number | null;
}

export interface WorkoutTable {
  user_id: number;
  id: string;
  day: string;
  activity: string | null;
  intensity: string | null;
  source: string | null;
  label: string | null;
  calories: number | null;
  distance: number | null;
  start_datetime: Timestamp;
  end_datetime: Timestamp;
  utc_offset_minutes: number | null;
}

export interface SessionTable {
  user_id: number;
  id: string;
  day: string;
  /** breathing | meditation | nap | relaxation | rest | body_status */
  type: string | null;
  mood: string | null;
  start_datetime: Timestamp;
  end_datetime: Timestamp;
  utc_offset_minutes: number | null;
  heart_rate_interval: number | null;
  heart_rate_start: NullableTimestamp;
  heart_rate_items: SampleItems;
  heart_rate_variability_interval: number | null;
  heart_rate_variability_start: NullableTimestamp;
  heart_rate_variability_items: SampleItems;
  motion_count_interval: number | null;
  motion_count_start: NullableTimestamp;
  motion_count_items: SampleItems;
}

export interface SleepTimeTable {
  user_id: number;
  id: string;
  day: string;
  /** optimal_bedtime.day_tz converted from seconds. */
  utc_offset_minutes: number | null;
  /** Seconds from local midnight (negative: the evening before). */
  optimal_bedtime_start_offset: number | null;
  optimal_bedtime_end_offset: number | null;
  recommendation: string | null;
  status: string | null;
}

/**
 * Tags carry Oura's LocalDateTime strings; when a string has no UTC offset the instant is read
 * as UTC and utc_offset_minutes is null.
 */
export interface EnhancedTagTable {
  user_id: number;
  id: string;
  start_day: string;
  end_day: string | null;
  start_time: Timestamp;
  end_time: NullableTimestamp;
  utc_offset_minutes: number | null;
  tag_type_code: string | null;
  custom_name: string | null;
  comment: string | null;
}

/** Deprecated upstream in favour of enhanced_tag; kept for older history. */
export interface TagTable {
  user_id: number;
  id: string;
  day: string;
  timestamp: NullableTimestamp;
  utc_offset_minutes: number | null;
  text: string | null;
  tags: ColumnType<string[], string[], string[]>;
}

export interface RestModePeriodTable {
  user_id: number;
  id: string;
  start_day: string;
  end_day: string | null;
  start_time: NullableTimestamp;
  end_time: NullableTimestamp;
  utc_offset_minutes: number | null;
  /** [{tags, timestamp}] as sent. */
  episodes: NullableJson<{ tags?: string[]; timestamp?: string }[]>;
}

export interface RingConfigurationTable {
  user_id: number;
  id: string;
  color: string | null;
  design: string | null;
  firmware_version: string | null;
  hardware_type: string | null;
  set_up_at: NullableTimestamp;
  size: number | null;
}

/** Heart rate rows (`heartrate`); raw copies live in raw_document, one document per UTC day. */
export interface HeartRateSampleTable {
  user_id: number;
  ts: Timestamp;
  bpm: number;
  /** awake | workout | rest | sleep | live | session ('unknown' when Oura sent none) */
  source: string;
}

/** Ring battery rows (`ring_battery_level`); raw copies as for heart rate. */
export interface BatterySampleTable {
  user_id: number;
  ts: Timestamp;
  level: number;
  charging: boolean | null;
  in_charger: boolean | null;
}
