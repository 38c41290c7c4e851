import { sql } from 'kysely';
import type { SignalNight } from '../../insights/signals.ts';
import type { Db } from '../database.ts';

/**
 * Body signals per day in [from, to]: the main night's lowest heart rate, HRV and breathing rate,
 * the readiness temperature deviation and the day's SpO₂ average. A day with any of them is a row.
 */
export async function getSignalNights(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<SignalNight[]> {
  const result = await sql<{ rows: string | null }>`
    select json_agg(json_build_array(d.day, n.lowest_heart_rate, n.average_hrv,
      r.temperature_deviation, n.average_breath, s.spo2_percentage_average) order by d.day)::text as rows
    from (
      select day from sleep_night where user_id = ${userId} and day between ${from} and ${to}
      union
      select day from daily_readiness where user_id = ${userId} and day between ${from} and ${to}
    ) d
    left join sleep_night n on n.user_id = ${userId} and n.day = d.day
    left join lateral (
      select avg(temperature_deviation)::float8 as temperature_deviation from daily_readiness
      where user_id = ${userId} and day = d.day
    ) r on true
    left join lateral (
      select avg(spo2_percentage_average)::float8 as spo2_percentage_average from daily_spo2
      where user_id = ${userId} and day = d.day
    ) s on true`.execute(db);
  const rows = JSON.parse(result.rows[0]?.rows ?? '[]') as [
    string,
    number | null,
    number | null,
    number | null,
    number | null,
    number | null,
  ][];
  return rows.map(([day, restingHr, hrv, temperature, breath, spo2]) => ({
    day,
    restingHr,
    hrv,
    temperature,
    breath,
    spo2,
  }));
}
