import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.ts';
import { startEmbeddedServer, stopEmbeddedServer } from '../../src/db/embedded/server.ts';
import { EMBEDDED_SETTINGS, TEST_SETTINGS } from '../../src/db/embedded/settings.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { configuredPostgresUrl, testDatabaseKind } from './testDatabaseKind.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL (database `postgres`) of the server this run's tests use. */
    testPostgresUrl: string;
    /** Migrated database every test database is created from (CREATE DATABASE ... TEMPLATE). */
    testTemplateDatabase: string;
  }
}

/**
 * Runs once per `vitest run`: starts the run's own embedded PostgreSQL (or checks the server
 * SNOWTORCH_TEST_PG_URL names), then migrates one template database, so each test file gets a
 * fresh, migrated database by copying it (tens of milliseconds) instead of migrating its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let url: string;
  let stop: () => Promise<void>;
  if (testDatabaseKind() === 'embedded') {
    const dir = await mkdtemp(join(tmpdir(), 'snowtorch-test-pg-'));
    // Under root the server runs as `postgres`, which must be able to pass through.
    await chmod(dir, 0o755);
    const connection = await startEmbeddedServer(dir, {
      settings: { ...EMBEDDED_SETTINGS, ...TEST_SETTINGS },
    });
    const u = new URL('postgres://localhost/postgres');
    u.username = connection.user;
    u.password = connection.password;
    u.searchParams.set('host', connection.host);
    url = u.toString();
    stop = async () => {
      await stopEmbeddedServer(dir);
      await rm(dir, { recursive: true, force: true });
    };
  } else {
    url = configuredPostgresUrl();
    await checkPostgres(url);
    stop = async () => {};
  }
  const template = `snowtorch_tpl_${randomBytes(6).toString('hex')}`;
  await admin(url, (c) => c.query(`CREATE DATABASE ${template}`));
  const templateUrl = new URL(url);
  templateUrl.pathname = `/${template}`;
  const database = await openDatabase({
    kind: 'postgres',
    connectionString: templateUrl.toString(),
    ssl: false,
  });
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
  project.provide('testPostgresUrl', url);
  project.provide('testTemplateDatabase', template);
  return async () => {
    // The template and the synced templates made from it (test/support/syncedDatabase.ts).
    await admin(url, async (c) => {
      const made = await c.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE $1 || '%'",
        [template],
      );
      for (const { datname } of made.rows) {
        await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      }
    }).catch(() => {});
    await stop();
  };
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function checkPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `PostgreSQL at ${url} does not answer (${reason}). ` +
        'Start it (pg_ctlcluster 15 main start) or set SNOWTORCH_TEST_PG_URL.',
    );
  } finally {
    await client.end().catch(() => {});
  }
}
