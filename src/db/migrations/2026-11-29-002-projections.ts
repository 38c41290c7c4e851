import { type Kysely, sql } from 'kysely';

/**
 * Typed projections of raw_document, one table per Oura data type (plus the two time series).
 * Every row is re-derivable from raw_document (`snowtorch rebuild`), so a projection can change
 * shape in a later migration without re-downloading anything. Frozen history: see 001.
 *
 * Keys are (user_id, id) with Oura's document id; days are `date`, instants `timestamptz`, and
 * each row keeps its document's own UTC offset in minutes. Oura's sample series
 * `{interval, items, timestamp}` become <name>_interval (s), <name>_start and <name>_items (jsonb
 * array, nulls are gaps). Contributors (1-100 scores) are columns, because the dashboard charts
 * them; everything else stays reachable in raw_document.
 */
const user = 'user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE';
const series = (name: string) =>
  `${name}_interval double precision, ${name}_start timestamptz, ${name}_items jsonb`;

const UP = [
  `CREATE TABLE sleep_period (
    ${user},
    id text NOT NULL,
    day date NOT NULL,
    sleep_day date,
    type text,
    period integer,
    is_nap boolean NOT NULL,
    counts_as_sleep boolean NOT NULL,
    bedtime_start timestamptz NOT NULL,
    bedtime_end timestamptz NOT NULL,
    utc_offset_minutes smallint,
    end_utc_offset_minutes smallint,
    time_in_bed integer,
    total_sleep_duration integer,
    deep_sleep_duration integer,
    light_sleep_duration integer,
    rem_sleep_duration integer,
    awake_time integer,
    latency integer,
    efficiency integer,
    restless_periods integer,
    average_breath double precision,
    average_heart_rate double precision,
    lowest_heart_rate integer,
    average_hrv integer,
    low_battery_alert boolean,
    sleep_score_delta integer,
    readiness_score_delta integer,
    sleep_algorithm_version text,
    sleep_analysis_reason text,
    ring_id text,
    sleep_phase_5_min text,
    sleep_phase_30_sec text,
    app_sleep_phase_5_min text,
    movement_30_sec text,
    ${series('heart_rate')},
    ${series('hrv')},
    readiness_score integer,
    readiness_temperature_deviation double precision,
    readiness_temperature_trend_deviation double precision,
    readiness_contributor_activity_balance integer,
    readiness_contributor_body_temperature integer,
    readiness_contributor_hrv_balance integer,
    readiness_contributor_previous_day_activity integer,
    readiness_contributor_previous_night integer,
    readiness_contributor_recovery_index integer,
    readiness_contributor_resting_heart_rate integer,
    readiness_contributor_sleep_balance integer,
    readiness_contributor_sleep_regularity integer,
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX sleep_period_sleep_day_idx ON sleep_period (user_id, sleep_day)',
  'CREATE INDEX sleep_period_day_idx ON sleep_period (user_id, day)',
  `CREATE TABLE daily_sleep (
    ${user},
    id text NOT NULL,
    day date NOT NULL,
    score integer,
    timestamp timestamptz,
    utc_offset_minutes smallint,
    contributor_deep_sleep integer,
    contributor_efficiency integer,
    contributor_latency integer,
    contributor_rem_sleep integer,
    contributor_restfulness integer,
    contributor_timing integer,
    contributor_total_sleep integer,
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX daily_sleep_day_idx ON daily_sleep (user_id, day)',
  `CREATE TABLE daily_readiness (
    ${user},
    id text NOT NULL,
    day date NOT NULL,
    score integer,
    temperature_deviation double precision,
    temperature_trend_deviation double precision,
    timestamp timestamptz,
    utc_offset_minutes smallint,
    contributor_activity_balance integer,
    contributor_body_temperature integer,
    contributor_hrv_balance integer,
    contributor_previous_day_activity integer,
    contributor_previous_night integer,
    contributor_recovery_index integer,
    contributor_resting_heart_rate integer,
    contributor_sleep_balance integer,
    contributor_sleep_regularity integer,
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX daily_readiness_day_idx ON daily_readiness (user_id, day)',
  `CREATE TABLE daily_activity (
    ${user},
    id text NOT NULL,
    day date NOT NULL,
    score integer,
    timestamp timestamptz,
    utc_offset_minutes smallint,
    steps integer,
    active_calories integer,
    total_calories integer,
    target_calories integer,
    target_meters integer,
    meters_to_target integer,
    equivalent_walking_distance integer,
    high_activity_time integer,
    medium_activity_time integer,
    low_activity_time integer,
    sedentary_time integer,
    resting_time integer,
    non_wear_time integer,
    high_activity_met_minutes double precision,
    medium_activity_met_minutes double precision,
    low_activity_met_minutes double precision,
    sedentary_met_minutes double precision,
    average_met_minutes double precision,
    inactivity_alerts integer,
    class_5_min text,
    ${series('met')},
    contributor_meet_daily_targets integer,
    contributor_move_every_hour integer,
    contributor_recovery_time integer,
    contributor_stay_active integer,
    contributor_training_frequency integer,
    contributor_training_volume integer,
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX daily_activity_day_idx ON daily_activity (user_id, day)',
  `CREATE TABLE daily_spo2 (
    ${user},
    id text NOT NULL,
    day date NOT NULL,
    spo2_percentage_average double precision,
    breathing_disturbance_index integer,
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX daily_spo2_day_idx ON daily_spo2 (user_id, day)',
  `CREATE TABLE daily_stress (
    ${user},
    id text NOT NULL,
    day date NOT NULL,
    stress_high integer,
    recovery_high integer,
    day_summary text,
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX daily_stress_day_idx ON daily_stress (user_id, day)',
  `CREATE TABLE daily_resilience (
    ${user},
    id text NOT NULL,
    day date NOT NULL,
    level text,
    contributor_sleep_recovery double precision,
    contributor_daytime_recovery double precision,
    contributor_stress double precision,
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX daily_resilience_day_idx ON daily_resilience (user_id, day)',
  `CREATE TABLE daily_cardiovascular_age (
    ${user},
    id text NOT NULL,
    day date NOT NULL,
    vascular_age integer,
    pulse_wave_velocity double precision,
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX daily_cardiovascular_age_day_idx ON daily_cardiovascular_age (user_id, day)',
  `CREATE TABLE vo2_max (
    ${user},
    id text NOT NULL,
    day date NOT NULL,
    timestamp timestamptz,
    utc_offset_minutes smallint,
    vo2_max double precision,
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX vo2_max_day_idx ON vo2_max (user_id, day)',
  `CREATE TABLE workout (
    ${user},
    id text NOT NULL,
    day date NOT NULL,
    activity text,
    intensity text,
    source text,
    label text,
    calories double precision,
    distance double precision,
    start_datetime timestamptz NOT NULL,
    end_datetime timestamptz NOT NULL,
    utc_offset_minutes smallint,
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX workout_day_idx ON workout (user_id, day)',
  `CREATE TABLE session (
    ${user},
    id text NOT NULL,
    day date NOT NULL,
    type text,
    mood text,
    start_datetime timestamptz NOT NULL,
    end_datetime timestamptz NOT NULL,
    utc_offset_minutes smallint,
    ${series('heart_rate')},
    ${series('heart_rate_variability')},
    ${series('motion_count')},
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX session_day_idx ON session (user_id, day)',
  `CREATE TABLE sleep_time (
    ${user},
    id text NOT NULL,
    day date NOT NULL,
    utc_offset_minutes smallint,
    optimal_bedtime_start_offset integer,
    optimal_bedtime_end_offset integer,
    recommendation text,
    status text,
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX sleep_time_day_idx ON sleep_time (user_id, day)',
  `CREATE TABLE enhanced_tag (
    ${user},
    id text NOT NULL,
    start_day date NOT NULL,
    end_day date,
    start_time timestamptz NOT NULL,
    end_time timestamptz,
    utc_offset_minutes smallint,
    tag_type_code text,
    custom_name text,
    comment text,
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX enhanced_tag_day_idx ON enhanced_tag (user_id, start_day)',
  `CREATE TABLE tag (
    ${user},
    id text NOT NULL,
    day date NOT NULL,
    timestamp timestamptz,
    utc_offset_minutes smallint,
    text text,
    tags text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX tag_day_idx ON tag (user_id, day)',
  `CREATE TABLE rest_mode_period (
    ${user},
    id text NOT NULL,
    start_day date NOT NULL,
    end_day date,
    start_time timestamptz,
    end_time timestamptz,
    utc_offset_minutes smallint,
    episodes jsonb,
    PRIMARY KEY (user_id, id)
  )`,
  'CREATE INDEX rest_mode_period_day_idx ON rest_mode_period (user_id, start_day)',
  `CREATE TABLE ring_configuration (
    ${user},
    id text NOT NULL,
    color text,
    design text,
    firmware_version text,
    hardware_type text,
    set_up_at timestamptz,
    size integer,
    PRIMARY KEY (user_id, id)
  )`,
  // Time series: the primary key is the dashboard's range index as well.
  `CREATE TABLE heart_rate_sample (
    ${user},
    ts timestamptz NOT NULL,
    bpm smallint NOT NULL,
    source text NOT NULL,
    PRIMARY KEY (user_id, ts, source)
  )`,
  `CREATE TABLE battery_sample (
    ${user},
    ts timestamptz NOT NULL,
    level smallint NOT NULL,
    charging boolean,
    in_charger boolean,
    PRIMARY KEY (user_id, ts)
  )`,
];

const TABLES = [
  'battery_sample',
  'heart_rate_sample',
  'ring_configuration',
  'rest_mode_period',
  'tag',
  'enhanced_tag',
  'sleep_time',
  'session',
  'workout',
  'vo2_max',
  'daily_cardiovascular_age',
  'daily_resilience',
  'daily_stress',
  'daily_spo2',
  'daily_activity',
  'daily_readiness',
  'daily_sleep',
  'sleep_period',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) await sql.raw(`DROP TABLE ${table}`).execute(db);
}
