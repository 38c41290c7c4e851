import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { type OpenDatabase, openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { testDatabaseKind, testPostgresBaseUrl } from './testDatabaseKind.ts';

let snapshot: Promise<Blob> | undefined;

/**
 * A migrated, empty database of the kind the suite runs on (see testDatabaseKind). PGlite: an
 * in-memory instance loaded from the snapshot globalSetup made. PostgreSQL: a new database
 * `snowtorch_t_<random>` on the test server, dropped again by close().
 */
export async function openTestDatabase(): Promise<OpenDatabase> {
  if (testDatabaseKind() === 'postgres') return openPostgresTestDatabase();
  snapshot ??= loadSnapshot();
  return openDatabase({ kind: 'pglite', dataDir: 'memory://' }, { loadDataDir: await snapshot });
}

async function loadSnapshot(): Promise<Blob> {
  const file = inject('pgliteSnapshot');
  if (!file) throw new Error('no PGlite snapshot: is test/support/globalSetup.ts configured?');
  return new Blob([await readFile(file)]);
}

/** The URL of database `name` on the test server. */
export function testPostgresUrl(name: string): string {
  const url = new URL(testPostgresBaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresBaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Create an empty database on the test server (not migrated); returns its name. */
export async function createPostgresTestDatabase(): Promise<string> {
  const name = `snowtorch_t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return name;
}

export async function dropPostgresTestDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

async function openPostgresTestDatabase(): Promise<OpenDatabase> {
  const name = await createPostgresTestDatabase();
  let database: OpenDatabase | undefined;
  try {
    database = await openDatabase({
      kind: 'postgres',
      connectionString: testPostgresUrl(name),
      ssl: false,
    });
    await migrateToLatest(database.db);
    const opened = database;
    let closed = false;
    return {
      ...opened,
      async close() {
        if (closed) return;
        closed = true;
        await opened.close();
        await dropPostgresTestDatabase(name);
      },
    };
  } catch (error) {
    await database?.close();
    await dropPostgresTestDatabase(name);
    throw error;
  }
}
