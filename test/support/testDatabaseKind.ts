import { inject } from 'vitest';

/**
 * Which PostgreSQL the suite runs on: 'embedded' (default) is a throwaway server from the
 * embedded binaries that globalSetup starts for the run; 'postgres' is a server given by
 * SNOWTORCH_TEST_PG_URL (or SNOWTORCH_TEST_DB=postgres for the one on 127.0.0.1:5432).
 */
export function testDatabaseKind(): 'embedded' | 'postgres' {
  if (process.env.SNOWTORCH_TEST_PG_URL?.trim()) return 'postgres';
  const v = process.env.SNOWTORCH_TEST_DB?.trim().toLowerCase();
  if (v === 'postgres' || v === 'postgresql' || v === 'pg') return 'postgres';
  if (v === undefined || v === '' || v === 'embedded') return 'embedded';
  throw new Error(`SNOWTORCH_TEST_DB must be "embedded" or "postgres", got "${v}"`);
}

/** The configured server's admin URL (SNOWTORCH_TEST_PG_URL, default the local PostgreSQL). */
export function configuredPostgresUrl(): string {
  return process.env.SNOWTORCH_TEST_PG_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
}

/**
 * Server and admin database the suite creates its throwaway databases on (inside test files;
 * globalSetup decides it and hands it over).
 */
export function testPostgresBaseUrl(): string {
  return inject('testPostgresUrl');
}
