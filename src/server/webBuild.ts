import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Logger } from 'pino';

/** The Vite project of the dashboard and where its build lands. */
export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));
export const WEB_DIST = join(WEB_ROOT, 'dist');

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) {
    newest = Math.max(newest, await newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when web/dist is missing or older than any source file of the dashboard. */
export async function webBuildIsStale(): Promise<boolean> {
  const built = join(WEB_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = (await stat(built)).mtimeMs;
  const sources = ['index.html', 'vite.config.ts', 'src'].map((p) => join(WEB_ROOT, p));
  for (const source of sources) {
    if (existsSync(source) && (await newestMtime(source)) > builtAt) return true;
  }
  return false;
}

/**
 * Makes sure the dashboard's built assets exist and are current, building them with Vite's
 * programmatic API when they are missing or stale (a fresh clone after `npm ci`, or edited
 * sources). Returns the directory to serve, or null when there is no build and Vite is not
 * installed (a production install without dev dependencies must ship web/dist built).
 */
export async function ensureWebBuild(logger?: Logger | false): Promise<string | null> {
  if (!(await webBuildIsStale())) return WEB_DIST;
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    if (existsSync(join(WEB_DIST, 'index.html'))) return WEB_DIST;
    if (logger) logger.error('dashboard assets are not built and Vite is not installed');
    return null;
  }
  if (logger) logger.info('building the dashboard (web/dist)');
  // Build beside the live directory (same file system, under node_modules/.cache so a crashed
  // build leaves nothing in the source tree), then swap it in: a concurrent reader never sees a
  // half-written dist.
  const cache = fileURLToPath(new URL('../../node_modules/.cache/', import.meta.url));
  await mkdir(cache, { recursive: true });
  const staging = join(cache, `snowtorch-web-${process.pid}-${Date.now()}`);
  await vite.build({
    configFile: join(WEB_ROOT, 'vite.config.ts'),
    root: WEB_ROOT,
    logLevel: 'warn',
    build: { outDir: staging, emptyOutDir: true },
  });
  await precompress(staging);
  await rm(WEB_DIST, { recursive: true, force: true });
  try {
    await rename(staging, WEB_DIST);
  } catch (error) {
    // Another process swapped its build in first; theirs is as good as ours.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(join(WEB_DIST, 'index.html'))) throw error;
  }
  return WEB_DIST;
}

/**
 * Writes .br and .gz next to each text asset, so the server (preCompressed) sends the smaller
 * file to browsers that accept it without compressing on every request.
 */
async function precompress(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await precompress(path);
      continue;
    }
    if (!/\.(js|css|html|svg|json)$/.test(entry.name)) continue;
    const body = await readFile(path);
    await writeFile(`${path}.gz`, gzipSync(body, { level: 9 }));
    await writeFile(
      `${path}.br`,
      brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
  }
}
