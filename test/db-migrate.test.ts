import { sql } from 'kysely';
import { Migrator, NO_MIGRATIONS } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from '../src/db/database.ts';
import { MigrationError } from '../src/db/errors.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { MIGRATIONS } from '../src/db/migrations/index.ts';
import { PROJECTION_TABLES, PROJECTIONS } from '../src/db/projections/index.ts';
import { fixture } from './fixtures/db/load.ts';
import {
  createPostgresTestDatabase,
  dropPostgresTestDatabase,
  openTestDatabase,
  testPostgresUrl,
} from './support/db.ts';

const ALL = Object.keys(MIGRATIONS);

const migrator = (database: OpenDatabase) =>
  new Migrator({ db: database.db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } });

/** A database with none of our tables: a new database on the test server. */
async function openEmptyDatabase(): Promise<OpenDatabase> {
  const name = await createPostgresTestDatabase();
  const database = await openDatabase({
    kind: 'postgres',
    connectionString: testPostgresUrl(name),
    ssl: false,
  });
  return {
    ...database,
    async close() {
      await database.close();
      await dropPostgresTestDatabase(name);
    },
  };
}

async function tableNames(database: OpenDatabase): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' ORDER BY table_name`.execute(database.db);
  return rows.map((r) => r.table_name);
}

describe('migrateToLatest', () => {
  let empty: OpenDatabase;
  beforeAll(async () => {
    empty = await openEmptyDatabase();
  });
  afterAll(async () => {
    await empty?.close();
  });

  it('creates the whole schema on an empty database, then has nothing left to do', async () => {
    expect(await migrateToLatest(empty.db)).toEqual({ applied: ALL });
    const tables = await tableNames(empty);
    for (const t of [
      'app_user',
      'oura_connection',
      'raw_document',
      'sync_run',
      'sync_state',
      'sync_error_document',
      ...PROJECTION_TABLES,
      'sleep_night',
      'sleep_nap',
    ]) {
      expect(tables).toContain(t);
    }
    expect(await migrateToLatest(empty.db)).toEqual({ applied: [] });
    expect(await tableNames(empty)).toEqual(tables);
  });

  it('compresses jsonb with lz4 where the server has it, and migrates where it does not', async () => {
    const { rows } = await sql<{ lz4: boolean }>`
      SELECT 'lz4' = ANY (enumvals) AS lz4 FROM pg_settings
      WHERE name = 'default_toast_compression'`.execute(empty.db);
    const hasLz4 = rows[0]?.lz4 === true;
    const userId = (
      await empty.db
        .insertInto('app_user')
        .values({ name: 'lz4' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    // Large enough to be compressed: a day of minute samples.
    const document = {
      id: 'a-1',
      day: '2024-03-11',
      met: { items: Array.from({ length: 1440 }, (_, i) => (i % 7) / 3) },
    };
    await sql`INSERT INTO raw_document (user_id, data_type, doc_id, day, document, content_hash, fetched_at)
      VALUES (${userId}, 'daily_activity', 'a-1', '2024-03-11', ${JSON.stringify(document)}::jsonb, 'x', now())`.execute(
      empty.db,
    );
    const stored = await sql<{ method: string | null; document: unknown }>`
      SELECT pg_column_compression(document) AS method, document FROM raw_document
      WHERE user_id = ${userId}`.execute(empty.db);
    expect(stored.rows[0]?.method).toBe(hasLz4 ? 'lz4' : 'pglz');
    expect(stored.rows[0]?.document).toEqual(document);
    await empty.db.deleteFrom('app_user').where('id', '=', userId).execute();
  });

  it('can be rolled back to nothing and applied again', async () => {
    const down = await migrator(empty).migrateTo(NO_MIGRATIONS);
    expect(down.error).toBeUndefined();
    expect((await tableNames(empty)).filter((t) => !t.startsWith('kysely_'))).toEqual([]);
    expect(await migrateToLatest(empty.db)).toEqual({ applied: ALL });
  });

  it('keeps the core tables exactly as declared in schema.ts', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string; data_type: string }>`
      SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name IN ('oura_connection', 'raw_document')
      ORDER BY table_name, ordinal_position`.execute(empty.db);
    const columns = Object.fromEntries(
      rows.map((r) => [`${r.table_name}.${r.column_name}`, r.data_type]),
    );
    expect(columns).toMatchObject({
      'oura_connection.user_id': 'integer',
      'oura_connection.scopes': 'ARRAY',
      'oura_connection.token_version': 'integer',
      'raw_document.document': 'jsonb',
      'raw_document.day': 'date',
      'raw_document.deleted_at': 'timestamp with time zone',
    });
  });

  it('gives every projection table exactly the columns its projection writes', async () => {
    for (const [dataType, projection] of Object.entries(PROJECTIONS)) {
      const doc = fixture(projection.dataType)[0];
      if (!doc) throw new Error(`no fixture for ${dataType}`);
      const written = Object.keys(projection.toRow(1, doc)).sort();
      const { rows } = await sql<{ column_name: string }>`
        SELECT column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = ${projection.table}`.execute(empty.db);
      expect(rows.map((r) => r.column_name).sort(), projection.table).toEqual(written);
    }
  });
});

describe('migrateToLatest failures and concurrency', () => {
  it('reports the failing migration by name and applies nothing of the run', async () => {
    const database = await openEmptyDatabase();
    try {
      // A table in the way makes the projections migration fail.
      await sql`CREATE TABLE sleep_period (x integer)`.execute(database.db);
      const error = await migrateToLatest(database.db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).migration).toBe('2026-11-29-002-projections');
      expect((error as Error).message).toMatch(/2026-11-29-002-projections failed: .*sleep_period/);
      expect(await tableNames(database)).not.toContain('raw_document');
      await sql`DROP TABLE sleep_period`.execute(database.db);
      expect(await migrateToLatest(database.db)).toEqual({ applied: ALL });
    } finally {
      await database.close();
    }
  });

  it('lets two processes start at once: one applies everything, the other nothing', async () => {
    // The two processes are two pools on one new database.
    const name = await createPostgresTestDatabase();
    const open = () =>
      openDatabase({ kind: 'postgres', connectionString: testPostgresUrl(name), ssl: false });
    const first = await open();
    const second = await open();
    try {
      const results = await Promise.all([migrateToLatest(first.db), migrateToLatest(second.db)]);
      const applied = results.map((r) => r.applied).sort((a, b) => b.length - a.length);
      expect(applied).toEqual([ALL, []]);
      expect(await migrateToLatest(second.db)).toEqual({ applied: [] });
    } finally {
      await second.close();
      await first.close();
      await dropPostgresTestDatabase(name);
    }
  });

  it('starts test databases migrated and empty', async () => {
    const database = await openTestDatabase();
    try {
      expect(await migrateToLatest(database.db)).toEqual({ applied: [] });
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM raw_document`.execute(database.db);
      expect(rows[0]?.n).toBe(0);
    } finally {
      await database.close();
    }
  });
});
