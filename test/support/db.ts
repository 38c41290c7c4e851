import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type OpenDatabase, openDatabase } from '../../src/db/database.ts';
import { testPostgresBaseUrl } from './testDatabaseKind.ts';

/**
 * A migrated, empty database on the suite's server (see testDatabaseKind): a new database
 * `snowtorch_t_<random>` copied from the run's migrated template (or from `template`, a
 * database made from it), dropped again by close().
 */
export async function openTestDatabase(template?: string): Promise<OpenDatabase> {
  return openNamedTestDatabase(await copyTestTemplate(template));
}

/** A new database copied from the run's migrated template or from `template`; its name. */
export async function copyTestTemplate(template?: string): Promise<string> {
  const name = `snowtorch_t_${randomBytes(6).toString('hex')}`;
  const from = template ?? inject('testTemplateDatabase');
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${from}`));
  return name;
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

async function openNamedTestDatabase(name: string): Promise<OpenDatabase> {
  try {
    const opened = await openDatabase({
      kind: 'postgres',
      connectionString: testPostgresUrl(name),
      ssl: false,
    });
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
    await dropPostgresTestDatabase(name);
    throw error;
  }
}
