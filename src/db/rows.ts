import { sql } from 'kysely';
import type { Db } from './database.ts';

/** PostgreSQL allows 65,535 bind parameters per statement; stay well below. */
const MAX_PARAMETERS = 30_000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Multi-row INSERT of rows that all have the same keys (projection rows do), as few statements
 * as the parameter limit allows. On a key conflict the row is replaced, or kept with 'nothing'.
 * Table and column names come from code, never from input.
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
  const columnList = sql.join(columns.map((c) => sql.ref(c)));
  const keyList = sql.join(key.map((c) => sql.ref(c)));
  const updates = columns.filter((c) => !key.includes(c));
  const conflict =
    onConflict === 'nothing' || updates.length === 0
      ? sql`ON CONFLICT (${keyList}) DO NOTHING`
      : sql`ON CONFLICT (${keyList}) DO UPDATE SET ${sql.join(
          updates.map((c) => sql`${sql.ref(c)} = EXCLUDED.${sql.ref(c)}`),
        )}`;
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (const part of chunk(rows, size)) {
    const values = sql.join(part.map((row) => sql`(${sql.join(columns.map((c) => row[c]))})`));
    await sql`INSERT INTO ${sql.table(table)} (${columnList}) VALUES ${values} ${conflict}`.execute(
      db,
    );
  }
}
