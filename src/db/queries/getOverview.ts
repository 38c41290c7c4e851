import { sql } from 'kysely';
import type { Db } from '../database.ts';

export interface Overview {
  connection: { status: string; scopes: string[] };
  firstNight: string | null;
  lastNight: string | null;
  /** Latest day with any daily data (sleep, activity or readiness): where "now" is for charts. */
  lastDay: string | null;
  firstDay: string | null;
}

/** The user's connection state and the span of stored days. */
export async function getOverview(db: Db, userId: number): Promise<Overview> {
  const [conn, span] = await Promise.all([
    db
      .selectFrom('oura_connection')
      .select(['status', 'scopes'])
      .where('user_id', '=', userId)
      .executeTakeFirst(),
    sql<{
      first_night: string | null;
      last_night: string | null;
      first_day: string | null;
      last_day: string | null;
    }>`
      select
        (select min(sleep_day) from sleep_period where user_id = ${userId} and type = 'long_sleep') as first_night,
        (select max(sleep_day) from sleep_period where user_id = ${userId} and type = 'long_sleep') as last_night,
        least(
          (select min(day) from daily_sleep where user_id = ${userId}),
          (select min(day) from daily_activity where user_id = ${userId}),
          (select min(sleep_day) from sleep_period where user_id = ${userId})
        ) as first_day,
        greatest(
          (select max(day) from daily_sleep where user_id = ${userId}),
          (select max(day) from daily_activity where user_id = ${userId}),
          (select max(sleep_day) from sleep_period where user_id = ${userId})
        ) as last_day`.execute(db),
  ]);
  const s = span.rows[0];
  return {
    connection: conn
      ? { status: conn.status, scopes: conn.scopes }
      : { status: 'none', scopes: [] },
    firstNight: s?.first_night ?? null,
    lastNight: s?.last_night ?? null,
    firstDay: s?.first_day ?? null,
    lastDay: s?.last_day ?? null,
  };
}
