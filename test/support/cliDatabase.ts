import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseConfig } from '../../src/config/env.ts';
import { createPostgresTestDatabase, dropPostgresTestDatabase, testPostgresUrl } from './db.ts';
import { testDatabaseKind } from './testDatabaseKind.ts';

/**
 * A fresh, empty database of the suite's kind for CLI tests: the environment a person's shell
 * would have to point `snowtorch` at it (nothing inherited from SQL_*, DATABASE_URL or
 * SNOWTORCH_*), and the same database as a config for the test's own checks.
 */
export async function createCliDatabase(label: string): Promise<{
  env: NodeJS.ProcessEnv;
  config: DatabaseConfig;
  cleanup(): Promise<void>;
}> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('SQL_') && k !== 'DATABASE_URL' && !k.startsWith('SNOWTORCH_'),
    ),
  );
  if (testDatabaseKind() === 'postgres') {
    const name = await createPostgresTestDatabase();
    const url = testPostgresUrl(name);
    return {
      env: { ...base, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      config: { kind: 'postgres', connectionString: url, ssl: false },
      cleanup: () => dropPostgresTestDatabase(name),
    };
  }
  const dir = await mkdtemp(join(tmpdir(), `snowtorch-${label}-`));
  return {
    env: { ...base, SNOWTORCH_DATA_DIR: dir, LOG_LEVEL: 'silent' },
    config: { kind: 'pglite', dataDir: `${dir}/pglite` },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
