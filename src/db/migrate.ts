import { sql } from 'kysely';
import { type MigrationProvider, Migrator } from 'kysely/migration';
import type { Db } from './database.ts';
import { MigrationError } from './errors.ts';
import { MIGRATIONS } from './migrations/index.ts';

/**
 * Session advisory lock key held while migrating (an arbitrary constant: "snowtorch" in ASCII).
 * Kysely's migrator takes its own lock only after creating its bookkeeping tables, so two
 * processes starting together could race on those CREATE TABLEs; this lock serialises the whole
 * run. Session locks die with the connection, so a crashed process never leaves one behind.
 */
const LOCK_KEY = 0x736e6f77746f7263n;

const provider: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) };

/**
 * Bring the schema up to date. Safe to call from every process at start-up: runs are serialised
 * by an advisory lock on one dedicated connection, and a run with nothing to do applies nothing.
 * Returns the names of the migrations this call applied.
 */
export async function migrateToLatest(db: Db): Promise<{ applied: string[] }> {
  if (db.isTransaction) {
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(LOCK_KEY)})`.execute(db);
    return runMigrator(db);
  }
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${sql.lit(LOCK_KEY)})`.execute(conn);
    const unlock = () => sql`SELECT pg_advisory_unlock(${sql.lit(LOCK_KEY)})`.execute(conn);
    let result: { applied: string[] };
    try {
      result = await runMigrator(conn);
    } catch (error) {
      // A broken connection releases the lock by itself; report the original failure.
      await unlock().catch(() => {});
      throw error;
    }
    await unlock();
    return result;
  });
}

async function runMigrator(db: Db): Promise<{ applied: string[] }> {
  const migrator = new Migrator({ db, provider });
  const { error, results = [] } = await migrator.migrateToLatest();
  const applied = results
    .filter((r) => r.status === 'Success' && r.direction === 'Up')
    .map((r) => r.migrationName);
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      failed
        ? `Migration ${failed} failed: ${reason} (the run was rolled back; nothing was applied)`
        : `Migrating the database failed: ${reason}`,
      failed,
      { cause: error },
    );
  }
  return { applied };
}

/**
 * Bring an older (or empty) schema up to exactly `name`, never past it: a restore recreates the
 * schema its backup was taken at before copying rows in. Serialised like migrateToLatest.
 */
export async function migrateTo(db: Db, name: string): Promise<{ applied: string[] }> {
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${sql.lit(LOCK_KEY)})`.execute(conn);
    try {
      const { error, results = [] } = await new Migrator({ db: conn, provider }).migrateTo(name);
      if (error !== undefined) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(`Migrating the database to ${name} failed: ${reason}`, name, {
          cause: error,
        });
      }
      return {
        applied: results
          .filter((r) => r.status === 'Success' && r.direction === 'Up')
          .map((r) => r.migrationName),
      };
    } finally {
      await sql`SELECT pg_advisory_unlock(${sql.lit(LOCK_KEY)})`.execute(conn).catch(() => {});
    }
  });
}
