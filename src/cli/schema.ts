import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { MIGRATIONS } from '../db/migrations/index.ts';

/** PostgreSQL's undefined_table: a database no Snowtorch has migrated yet. */
const UNDEFINED_TABLE = '42P01';

/**
 * True when the database has applied exactly the migrations this code knows, asked in one
 * query. Any other answer (none applied, some missing, some unknown to this code) is for
 * migrateToLatest to handle or report.
 */
async function schemaIsCurrent(db: Db): Promise<boolean> {
  let applied: string[];
  try {
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
    applied = rows.map((r) => r.name);
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return false;
    throw error;
  }
  const known = Object.keys(MIGRATIONS);
  return applied.length === known.length && known.every((name) => applied.includes(name));
}

/**
 * Brings the schema up to date like migrateToLatest, but first checks in one query whether
 * there is anything to do, which is nearly always not: migrateToLatest itself sends a dozen
 * statements (its lock, two scans of the catalog for its own tables, a transaction) even then,
 * a fifth of what `snowtorch status` took before its first answer.
 */
export async function migrateIfBehind(db: Db): Promise<void> {
  if (await schemaIsCurrent(db)) return;
  const { migrateToLatest } = await import('../db/migrate.ts');
  await migrateToLatest(db);
}
