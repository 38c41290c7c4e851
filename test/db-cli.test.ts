import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../src/config/env.ts';
import { openDatabase } from '../src/db/database.ts';
import { storeDocuments } from '../src/db/documents.ts';
import { MIGRATIONS } from '../src/db/migrations/index.ts';
import { fixture } from './fixtures/db/load.ts';
import { createCliDatabase } from './support/cliDatabase.ts';

const run = promisify(execFile);
const BIN = new URL('../bin/snowtorch.js', import.meta.url).pathname;

let env: NodeJS.ProcessEnv;
let dbConfig: DatabaseConfig;
let cleanup: () => Promise<void>;

/** The environment of a user running the CLI against a fresh database. */
beforeAll(async () => {
  ({ env, config: dbConfig, cleanup } = await createCliDatabase('cli'));
});
afterAll(async () => {
  await cleanup?.();
});

async function snowtorch(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('snowtorch migrate / rebuild', () => {
  it('migrates the configured database once, then reports it up to date', async () => {
    const first = await snowtorch('migrate', '--json');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(first.stdout)).toEqual({ applied: Object.keys(MIGRATIONS) });
    const second = await snowtorch('migrate');
    expect(second.stdout).toBe('Database schema is up to date; nothing to apply.\n');
  });

  it('rebuilds one user or everyone and prints the row counts', async () => {
    // Put a user with documents in the database the CLI uses.
    const database = await openDatabase(dbConfig);
    try {
      const { id } = await database.db
        .insertInto('app_user')
        .values({ name: 'demo' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await storeDocuments(database.db, {
        userId: id,
        dataType: 'sleep',
        documents: fixture('sleep'),
      });
    } finally {
      await database.close();
    }

    const json = await snowtorch('rebuild', '--user', 'demo', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      sleep_period: fixture('sleep').length,
      daily_sleep: 0,
      heart_rate_sample: 0,
    });
    const text = await snowtorch('rebuild');
    expect(text.stdout).toMatch(/^Rebuilt typed tables for all users in [\d.]+ s:\n/);
    expect(text.stdout).toMatch(/ {2}sleep_period +12\n/);

    const unknown = await snowtorch('rebuild', '--user', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('snowtorch: rebuild: there is no user named "nobody"\n');
  });

  it('explains its options', async () => {
    const help = await snowtorch('rebuild', '--help');
    expect(help.stdout).toContain('--user NAME');
    expect((await snowtorch('migrate', '--bogus')).stderr).toContain(
      'see snowtorch migrate --help',
    );
  });
});
