#!/usr/bin/env node
// Runs the CLI from its build, dist/cli (scripts/build-cli.ts: `npm ci` and scripts/bootstrap.sh
// make it, the container image ships it), while that build is fresh, and from the TypeScript
// sources otherwise (Node >= 22.18 strips types), so an edited source runs as it is with no
// build step. The build is a few bundled files instead of hundreds of modules: `snowtorch status`
// needs about a third of the CPU time it needed from the sources (docs/benchmarks.md). The module
// compile cache (in the OS temp directory, or NODE_COMPILE_CACHE) keeps the compiled code of
// either between runs. SNOWTORCH_FROM_SOURCES=1 runs the sources whatever the build.
import { readFileSync, statSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

module.enableCompileCache?.();

const root = fileURLToPath(new URL('../', import.meta.url));

const BUILD = `${root}dist/cli/main.cjs`;

/**
 * The build's entry when none of the files it was made from (dist/cli/build.json lists them:
 * the bundled sources, package.json, package-lock.json, the build script) changed or went away
 * since the build started, else undefined. Editing a file that no bundled file imports cannot
 * change what runs, so the listed files are all there is to check (a few ms).
 */
function freshBuild() {
  if (process.env.SNOWTORCH_FROM_SOURCES === '1') return undefined;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(`${root}dist/cli/build.json`, 'utf8'));
  } catch {
    return undefined;
  }
  // The container image ships the build and no sources: nothing to compare.
  if (!statSync(`${root}src/cli/main.ts`, { throwIfNoEntry: false })) return BUILD;
  for (const input of stamp.inputs) {
    const mtime = statSync(`${root}${input}`, { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined || mtime > stamp.startedAt) return undefined;
  }
  return BUILD;
}

const build = freshBuild();
if (build) module.createRequire(import.meta.url)(build);
else await import(pathToFileURL(`${root}src/cli/main.ts`).href);
