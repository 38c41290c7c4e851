import { sql } from 'kysely';
import type { DayValue } from '../../insights/rolling.ts';
import type { Db } from '../database.ts';
import type { MetricSource } from './metricCatalog.ts';

/**
 * One value per day of a catalogued metric in [from, to] (inclusive days). Several rows on one
 * day (e.g. two VO2 max estimates) are averaged. The series comes back as one JSON value
 * (see jsonRows.ts: one row instead of thousands).
 */
export async function getDailyValues(
  db: Db,
  userId: number,
  metric: MetricSource,
  from: string,
  to: string,
): Promise<DayValue[]> {
  // `source` and `expr` come from the fixed catalogue (metricCatalog.ts), never from input.
  const result = await sql<{ series: string | null }>`
    select json_agg(json_build_array(day, value) order by day)::text as series from (
      select day, avg(${sql.raw(metric.expr)})::float8 as value
      from ${sql.table(metric.source)}
      where user_id = ${userId} and day between ${from} and ${to}
      group by day
    ) as per_day`.execute(db);
  const pairs = JSON.parse(result.rows[0]?.series ?? '[]') as [string, number | null][];
  return pairs.map(([day, value]) => ({ day, value }));
}
