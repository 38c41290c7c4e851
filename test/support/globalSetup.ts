import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { testDatabaseKind, testPostgresBaseUrl } from './testDatabaseKind.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** File holding a dumped, migrated PGlite data directory (empty string on PostgreSQL). */
    pgliteSnapshot: string;
  }
}

/**
 * Runs once per `vitest run`. PGlite: migrate one embedded database and dump its data directory,
 * so every test file starts from that snapshot (~0.7 s) instead of initdb (~5 s). The snapshot
 * is cached in the temp directory under a hash of the migrations and the PGlite version, so
 * later runs skip even that. PostgreSQL: check that the server answers before any test starts.
 */
export default async function setup(project: TestProject): Promise<void> {
  if (testDatabaseKind() === 'postgres') {
    await checkPostgres();
    project.provide('pgliteSnapshot', '');
    return;
  }
  project.provide('pgliteSnapshot', await pgliteSnapshot());
}

async function checkPostgres(): Promise<void> {
  const url = testPostgresBaseUrl();
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `SNOWTORCH_TEST_DB=postgres but PostgreSQL at ${url} does not answer (${reason}). ` +
        'Start it (pg_ctlcluster 15 main start) or set SNOWTORCH_TEST_PG_URL.',
    );
  } finally {
    await client.end().catch(() => {});
  }
}

function snapshotKey(): string {
  const hash = createHash('sha256');
  const dir = new URL('../../src/db/migrations/', import.meta.url);
  for (const name of readdirSync(dir).sort()) {
    hash.update(name).update(readFileSync(new URL(name, dir)));
  }
  const pkg = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url);
  hash.update(readFileSync(pkg));
  return hash.digest('hex').slice(0, 16);
}

async function pgliteSnapshot(): Promise<string> {
  const dir = join(tmpdir(), 'snowtorch-test');
  const file = join(dir, `pglite-${snapshotKey()}.tar.gz`);
  const cached = await stat(file).catch(() => undefined);
  if (cached && cached.size > 0) return file;
  await mkdir(dir, { recursive: true });
  const database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  try {
    await migrateToLatest(database.db);
    const pglite = database.pglite;
    if (!pglite) throw new Error('PGlite instance missing');
    const dump = await pglite.dumpDataDir('gzip');
    // Written under a unique name then renamed: concurrent runs never read a partial file.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
  } finally {
    await database.close();
  }
  // Sanity check that the file is readable before handing it out.
  await readFile(file).catch(async (error: unknown) => {
    await rm(file, { force: true });
    throw error;
  });
  return file;
}
