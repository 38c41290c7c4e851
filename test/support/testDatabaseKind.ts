/** Which database the suite runs on: PGlite by default, PostgreSQL with SNOWTORCH_TEST_DB=postgres. */
export function testDatabaseKind(): 'pglite' | 'postgres' {
  const v = process.env.SNOWTORCH_TEST_DB?.trim().toLowerCase();
  if (v === 'postgres' || v === 'postgresql' || v === 'pg') return 'postgres';
  if (v === undefined || v === '' || v === 'pglite') return 'pglite';
  throw new Error(`SNOWTORCH_TEST_DB must be "pglite" or "postgres", got "${v}"`);
}

/** Server and admin database the PostgreSQL suite creates its throwaway databases from. */
export function testPostgresBaseUrl(): string {
  return process.env.SNOWTORCH_TEST_PG_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
}
