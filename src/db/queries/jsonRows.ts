import { type Expression, sql } from 'kysely';
import type { Db } from '../database.ts';

/**
 * Runs a select and returns its rows, aggregated by the database into one JSON value: the
 * driver pays a per-row cost for every row it hands back (parsing, one object per row), so long
 * series (1,800 days of a metric) travel as a single row.
 * JSON has no dates: `date` columns come back as 'YYYY-MM-DD', `timestamptz` as ISO strings.
 */
export async function selectJsonRows<T>(db: Db, query: Expression<unknown>): Promise<T[]> {
  const result = await sql<{ rows: string }>`
    select coalesce(json_agg(t), '[]'::json)::text as rows from (${query}) as t`.execute(db);
  return JSON.parse(result.rows[0]?.rows ?? '[]') as T[];
}
