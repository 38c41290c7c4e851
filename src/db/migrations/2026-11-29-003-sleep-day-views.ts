import { type Kysely, sql } from 'kysely';

/**
 * The sleep-day model, as views over sleep_period.
 *
 * Oura reports sleep as periods (`sleep` documents); several can share a day. What a person
 * calls "last night" is derived here, once, so every query and chart agrees:
 *
 * - A period counts toward its WAKE day, the local calendar date of `bedtime_end` in the
 *   period's own UTC offset (the offset written in the timestamp itself, never the server's or
 *   the viewer's time zone). A night from 23:10 to 07:05 belongs to the day it ended on; a DST
 *   night (+01:00 at bedtime, +02:00 at wake-up) and a travel night (bedtime in one zone, wake in
 *   another) keep the offsets Oura wrote, so no night moves or disappears. This is Oura's own
 *   `day` for such periods (NOTES "Sleep `day` is the wake-up day"); the projection computes it
 *   from bedtime_end (sleep_period.sleep_day) rather than trusting `day` blindly.
 * - `long_sleep` (> 3 h) is the night. If one day has several (a split night), the longest one
 *   by time in bed is "the night"; sleep_night.long_sleep_periods tells how many there were.
 * - `sleep` (15 min - 3 h, user-confirmed) is a nap on its wake day.
 * - `late_nap` ended after 18:00 and counts toward the NEXT day (spec PublicSleepType): its
 *   sleep_day is the day after the local date it started on (a late nap that runs past midnight
 *   still lands on the day after the evening it began).
 * - `rest` (a detection the user rejected) and `deleted` (removed by the user) are NEVER sleep:
 *   their rows stay in sleep_period (flag counts_as_sleep = false, sleep_day null) and in
 *   raw_document, but neither view shows them. A period with no type is treated the same way.
 * - A document deleted upstream (delete webhook or reconciliation) loses its sleep_period row,
 *   so it disappears from both views; its raw copy stays, marked deleted_at.
 *
 * sleep_night: one row per user and day, the main night. sleep_nap: one row per nap.
 * Frozen history: see 001.
 */
const COLUMNS = `p.user_id,
    p.sleep_day AS day,
    p.id,
    p.day AS oura_day,
    p.type,
    p.period,
    p.bedtime_start,
    p.bedtime_end,
    p.utc_offset_minutes,
    p.end_utc_offset_minutes,
    p.time_in_bed,
    p.total_sleep_duration,
    p.deep_sleep_duration,
    p.light_sleep_duration,
    p.rem_sleep_duration,
    p.awake_time,
    p.latency,
    p.efficiency,
    p.restless_periods,
    p.average_breath,
    p.average_heart_rate,
    p.lowest_heart_rate,
    p.average_hrv,
    p.low_battery_alert,
    p.sleep_phase_5_min,
    p.sleep_phase_30_sec,
    p.movement_30_sec,
    p.heart_rate_interval,
    p.heart_rate_start,
    p.heart_rate_items,
    p.hrv_interval,
    p.hrv_start,
    p.hrv_items,
    p.readiness_score,
    p.readiness_temperature_deviation,
    p.readiness_temperature_trend_deviation`;

const UP = [
  `CREATE VIEW sleep_night AS
  SELECT DISTINCT ON (p.user_id, p.sleep_day)
    ${COLUMNS},
    (count(*) OVER (PARTITION BY p.user_id, p.sleep_day))::integer AS long_sleep_periods
  FROM sleep_period p
  WHERE p.type = 'long_sleep' AND p.sleep_day IS NOT NULL
  ORDER BY p.user_id, p.sleep_day, (p.bedtime_end - p.bedtime_start) DESC,
    p.total_sleep_duration DESC NULLS LAST, p.id`,
  `CREATE VIEW sleep_nap AS
  SELECT ${COLUMNS}
  FROM sleep_period p
  WHERE p.type IN ('sleep', 'late_nap') AND p.sleep_day IS NOT NULL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP VIEW sleep_nap').execute(db);
  await sql.raw('DROP VIEW sleep_night').execute(db);
}
