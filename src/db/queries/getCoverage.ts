import { sql } from 'kysely';
import type { Db } from '../database.ts';

export interface CoverageRow {
  day: string;
  sleep: boolean;
  readiness: boolean;
  activity: boolean;
  /** Heart-rate samples stored for the day (its raw day document exists). */
  heartRate: boolean;
  nonWearSeconds: number | null;
  lowBattery: boolean;
}

/** Battery level (%) at or under which a day counts as "low battery". */
export const LOW_BATTERY_LEVEL = 10;

/**
 * Per day in [from, to]: which daily records exist, whether heart rate was stored (its raw day
 * document, one per UTC day: cheaper than counting a year of 5-minute samples), the ring's
 * non-wear time, and whether the battery ran low (the ring's own alert on a sleep period, or a
 * battery sample at or under 10%).
 */
export async function getCoverage(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<CoverageRow[]> {
  const result = await sql<{ rows: string | null }>`
    with days as (
      select d::date as day from generate_series(${from}::date, ${to}::date, interval '1 day') d
    ),
    hr as (
      select day from raw_document
      where user_id = ${userId} and data_type = 'heartrate' and day between ${from} and ${to}
        and deleted_at is null
    ),
    battery as (
      select (ts at time zone 'UTC')::date as day, min(level) as low
      from battery_sample
      where user_id = ${userId} and ts >= ${from}::date and ts < ${to}::date + 1
      group by 1
    ),
    sleep as (
      select sleep_day as day, bool_or(coalesce(low_battery_alert, false)) as alert
      from sleep_period
      where user_id = ${userId} and sleep_day between ${from} and ${to} and type = 'long_sleep'
      group by 1
    ),
    readiness as (
      select distinct day from daily_readiness where user_id = ${userId} and day between ${from} and ${to}
    ),
    activity as (
      select day, max(non_wear_time) as non_wear from daily_activity
      where user_id = ${userId} and day between ${from} and ${to} group by day
    )
    select json_agg(json_build_object(
      'day', days.day::text,
      'sleep', sleep.day is not null,
      'readiness', readiness.day is not null,
      'activity', activity.day is not null,
      'hr', hr.day is not null,
      'non_wear', activity.non_wear::float8,
      'low_battery', coalesce(sleep.alert, false) or coalesce(battery.low <= ${LOW_BATTERY_LEVEL}, false)
    ) order by days.day)::text as rows
    from days
    left join hr on hr.day = days.day
    left join battery on battery.day = days.day
    left join sleep on sleep.day = days.day
    left join readiness on readiness.day = days.day
    left join activity on activity.day = days.day`.execute(db);
  const rows = JSON.parse(result.rows[0]?.rows ?? '[]') as {
    day: string;
    sleep: boolean;
    readiness: boolean;
    activity: boolean;
    hr: boolean;
    non_wear: number | null;
    low_battery: boolean;
  }[];
  return rows.map((r) => ({
    day: r.day,
    sleep: r.sleep,
    readiness: r.readiness,
    activity: r.activity,
    heartRate: r.hr,
    nonWearSeconds: r.non_wear,
    lowBattery: r.low_battery,
  }));
}
