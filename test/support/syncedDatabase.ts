import pg from 'pg';
import { inject } from 'vitest';
import { type OpenDatabase, openDatabase } from '../../src/db/database.ts';
import {
  copyTestTemplate,
  dropPostgresTestDatabase,
  openTestDatabase,
  testPostgresUrl,
} from './db.ts';
import { startSyncHarness } from './syncHarness.ts';
import { testPostgresBaseUrl } from './testDatabaseKind.ts';

/**
 * A test database holding one simulated user ('demo', seed 42) whose history of `days` days
 * ending `endDate` the real engine has synced: a copy of a template that the first file asking
 * for that history builds, so a run syncs each history once instead of once per file. The copy
 * is what that sync left: the run with its counts, the sync state, the documents. Its tokens
 * belong to the simulator that built it: the file's harness stores its own with connect('demo').
 */
export async function openSyncedTestDatabase(opts: {
  days: number;
  endDate: string;
}): Promise<OpenDatabase> {
  const template = syncedTemplateName(inject('testTemplateDatabase'), opts);
  await admin(async (c) => {
    // One builder per history across the run's worker processes; the others wait for it.
    await c.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    try {
      const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (found.rowCount === 0) await buildTemplate(c, template, opts);
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
    }
  });
  return openTestDatabase(template);
}

/** Synced templates are named after the run's migrated template (globalSetup drops them). */
export function syncedTemplateName(
  migratedTemplate: string,
  opts: { days: number; endDate: string },
): string {
  return `${migratedTemplate}_s${opts.days}_${opts.endDate.replaceAll('-', '')}`;
}

async function buildTemplate(
  c: pg.Client,
  template: string,
  opts: { days: number; endDate: string },
): Promise<void> {
  const name = await copyTestTemplate();
  try {
    const database = await openDatabase({
      kind: 'postgres',
      connectionString: testPostgresUrl(name),
      ssl: false,
    });
    try {
      const h = await startSyncHarness({ ...opts, users: 1 }, database);
      try {
        const user = await h.connect('demo');
        const run = await h.sync(user.id);
        if (run.status !== 'succeeded') {
          throw new Error(`the template's sync ended ${run.status}: ${run.message ?? ''}`);
        }
      } finally {
        await h.close();
      }
    } finally {
      await database.close();
    }
    await c.query(`ALTER DATABASE ${name} RENAME TO ${template}`);
  } catch (error) {
    await dropPostgresTestDatabase(name);
    throw error;
  }
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
