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
  const [rows, span] = await Promise.all([
    db
      .selectFrom('heart_rate_sample')
      .select(['ts', 'bpm'])
      .where('user_id', '=', userId)
      .where('ts', '>=', new Date(startMs))
      .where('ts', '<', new Date(startMs + 86_400_000))
      .orderBy('ts')
      .execute(),
    db
      .selectFrom('heart_rate_sample')
      .select((eb) => [eb.fn.min('ts').as('first'), eb.fn.max('ts').as('last')])
      .where('user_id', '=', userId)
      .executeTakeFirst(),
  ]);
  const toDay = (d: Date | null | undefined) =>
    d ? new Date(new Date(d).getTime() + offset * 60_000).toISOString().slice(0, 10) : null;
  return {
    day,
    utcOffsetMinutes: offset,
    samples: rows.map((r) => ({ ts: r.ts.getTime(), bpm: r.bpm })),
    firstDay: toDay(span?.first),
    lastDay: toDay(span?.last),
  };
}
