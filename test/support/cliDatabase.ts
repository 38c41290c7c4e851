import type { DatabaseConfig } from '../../src/config/env.ts';
import { createPostgresTestDatabase, dropPostgresTestDatabase, testPostgresUrl } from './db.ts';

/**
 * A fresh, empty database on the suite's server for CLI tests: the environment a person's shell
 * would have to point `snowtorch` at it (nothing inherited from SQL_*, DATABASE_URL or
 * SNOWTORCH_*), and the same database as a config for the test's own checks.
 */
export async function createCliDatabase(_label: string): Promise<{
  env: NodeJS.ProcessEnv;
  config: DatabaseConfig;
  cleanup(): Promise<void>;
}> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('SQL_') && k !== 'DATABASE_URL' && !k.startsWith('SNOWTORCH_'),
    ),
  );
  const name = await createPostgresTestDatabase();
  const url = testPostgresUrl(name);
  return {
    env: { ...base, DATABASE_URL: url, LOG_LEVEL: 'silent' },
    config: { kind: 'postgres', connectionString: url, ssl: false },
    cleanup: () => dropPostgresTestDatabase(name),
  };
}
