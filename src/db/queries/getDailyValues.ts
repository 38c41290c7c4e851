import { sql } from 'kysely';
import type { DayValue } from '../../insights/rolling.ts';
import type { Db } from '../database.ts';
import type { MetricSource } from './metricCatalog.ts';

/**
 * One value per day of a catalogued metric in [from, to] (inclusive days). Several rows on one
 * day (e.g. two VO2 max estimates) are averaged.
 */
export async function getDailyValues(
  db: Db,
  userId: number,
  metric: MetricSource,
  from: string,
  to: string,
): Promise<DayValue[]> {
  // `source` and `expr` come from the fixed catalogue (metricCatalog.ts), never from input.
  const result = await sql<{ day: string; value: number | null }>`
    select day, avg(${sql.raw(metric.expr)})::float8 as value
    from ${sql.table(metric.source)}
    where user_id = ${userId} and day between ${from} and ${to}
    group by day
    order by day`.execute(db);
  return result.rows;
}
