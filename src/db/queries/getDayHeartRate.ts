import { sql } from 'kysely';
import { dayToUtcMs } from '../../insights/days.ts';
import type { Db } from '../database.ts';

export interface DayHeartRate {
  day: string;
  utcOffsetMinutes: number;
  samples: { ts: number; bpm: number }[];
  firstDay: string | null;
  lastDay: string | null;
}

/**
 * Heart-rate samples of one local day. The day's offset comes from that day's activity (or
 * sleep) record, since the samples themselves are UTC instants.
 */
export async function getDayHeartRate(db: Db, userId: number, day: string): Promise<DayHeartRate> {
  const offsetRow = await sql<{ offset: number | null }>`
    select coalesce(
      (select utc_offset_minutes from daily_activity where user_id = ${userId} and day = ${day} limit 1),
      (select utc_offset_minutes from sleep_period where user_id = ${userId} and sleep_day = ${day} limit 1),
      0
    )::int as offset`.execute(db);
  const offset = offsetRow.rows[0]?.offset ?? 0;
  const startMs = dayToUtcMs(day) - offset * 60_000;
  const [series, span] = await Promise.all([
    // One JSON value instead of ~288 rows (see jsonRows.ts).
    sql<{ samples: string | null }>`
      select json_agg(json_build_array(
        (extract(epoch from ts) * 1000)::bigint, bpm) order by ts)::text as samples
      from heart_rate_sample
      where user_id = ${userId} and ts >= ${new Date(startMs)} and ts < ${new Date(startMs + 86_400_000)}`.execute(
      db,
    ),
    db
      .selectFrom('heart_rate_sample')
      .select((eb) => [eb.fn.min('ts').as('first'), eb.fn.max('ts').as('last')])
      .where('user_id', '=', userId)
      .executeTakeFirst(),
  ]);
  const rows = JSON.parse(series.rows[0]?.samples ?? '[]') as [number, number][];
  const toDay = (d: Date | null | undefined) =>
    d ? new Date(new Date(d).getTime() + offset * 60_000).toISOString().slice(0, 10) : null;
  return {
    day,
    utcOffsetMinutes: offset,
    samples: rows.map(([ts, bpm]) => ({ ts, bpm })),
    firstDay: toDay(span?.first),
    lastDay: toDay(span?.last),
  };
}
