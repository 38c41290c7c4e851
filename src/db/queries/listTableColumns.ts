import { sql } from 'kysely';
import type { Db } from '../database.ts';

export interface TableColumn {
  name: string;
  /** PostgreSQL type as `format_type` spells it (`timestamp with time zone`, `smallint[]`...). */
  type: string;
}

/** The columns of one table in the public schema, in their declared order. */
export async function listTableColumns(db: Db, table: string): Promise<TableColumn[]> {
  const { rows } = await sql<TableColumn>`
    SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
    FROM pg_attribute a
    WHERE a.attrelid = to_regclass(${`public.${table}`}) AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attnum`.execute(db);
  return rows;
}
