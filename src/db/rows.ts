import { type RawBuilder, sql } from 'kysely';
import type { Db } from './database.ts';

/** Rows per statement: bounds the JSON text built for one statement, not a parameter count. */
const ROWS_PER_STATEMENT = 2_000;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A PostgreSQL text[] literal, passed as ONE parameter (`= ANY(...::text[])`). */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/** `column = ANY(ids)` with the ids as one array parameter, whatever their number. */
export function anyOf(ids: readonly string[]): RawBuilder<string[]> {
  return sql<string[]>`${textArrayLiteral(ids)}::text[]`;
}

const columnTypes = new Map<string, Promise<Map<string, string>>>();

/** Column name -> SQL type of a table (read once per process: the schema is the code's). */
function typesOf(db: Db, table: string): Promise<Map<string, string>> {
  let types = columnTypes.get(table);
  if (!types) {
    types = sql<{ name: string; type: string }>`SELECT attname AS name,
        format_type(atttypid, atttypmod) AS type
      FROM pg_attribute
      WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped`
      .execute(db)
      .then((r) => new Map(r.rows.map((c) => [c.name, c.type])));
    types.catch(() => columnTypes.delete(table));
    columnTypes.set(table, types);
  }
  return types;
}

/**
 * Upsert rows that all have the same keys (projection rows do) with one statement per 2,000
 * rows: the rows travel as ONE JSON parameter that PostgreSQL expands with jsonb_to_recordset,
 * so neither side builds or parses tens of thousands of bind parameters. A jsonb column's value
 * is the JSON value itself (an array, an object), written once inside the row's JSON and taken
 * out by jsonb_to_recordset as jsonb: never serialised to text and parsed again. On a key
 * conflict the row is replaced, or kept with 'nothing'. Table and column names come from code,
 * never from input.
 */
export async function upsertRows(
  db: Db,
  table: string,
  key: readonly string[],
  rows: readonly Record<string, unknown>[],
  onConflict: 'update' | 'nothing' = 'update',
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const types = await typesOf(db, table);
  for (const c of columns) {
    if (!IDENTIFIER.test(c) || !types.has(c)) throw new TypeError(`${table} has no column "${c}"`);
  }
  const definitions = sql.raw(columns.map((c) => `${c} ${types.get(c)}`).join(', '));
  const selected = sql.raw(columns.map((c) => `t.${c}`).join(', '));
  const columnList = sql.join(columns.map((c) => sql.ref(c)));
  const keyList = sql.join(key.map((c) => sql.ref(c)));
  const updates = columns.filter((c) => !key.includes(c));
  const conflict =
    onConflict === 'nothing' || updates.length === 0
      ? sql`ON CONFLICT (${keyList}) DO NOTHING`
      : sql`ON CONFLICT (${keyList}) DO UPDATE SET ${sql.join(
          updates.map((c) => sql`${sql.ref(c)} = EXCLUDED.${sql.ref(c)}`),
        )}`;
  for (const part of chunk(rows, ROWS_PER_STATEMENT)) {
    await sql`INSERT INTO ${sql.table(table)} (${columnList})
      SELECT ${selected} FROM jsonb_to_recordset(${JSON.stringify(part)}::jsonb) AS t (${definitions})
      ${conflict}`.execute(db);
  }
}
