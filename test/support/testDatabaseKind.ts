import { inject } from 'vitest';

/**
 * Which PostgreSQL the suite runs on: 'embedded' is a throwaway server from the embedded
 * binaries that globalSetup starts for the run; 'postgres' is the server SNOWTORCH_TEST_PG_URL
 * names (default 127.0.0.1:5432). SNOWTORCH_TEST_DB=embedded|postgres chooses; unset, a
 * SNOWTORCH_TEST_PG_URL means that server, otherwise the embedded one.
 */
export function testDatabaseKind(): 'embedded' | 'postgres' {
  const v = process.env.SNOWTORCH_TEST_DB?.trim().toLowerCase();
  if (v === 'postgres' || v === 'postgresql' || v === 'pg') return 'postgres';
  if (v === 'embedded') return 'embedded';
  if (v === undefined || v === '') {
    return process.env.SNOWTORCH_TEST_PG_URL?.trim() ? 'postgres' : 'embedded';
  }
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
