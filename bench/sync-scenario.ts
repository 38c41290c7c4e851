/**
 * One sync benchmark scenario:
 *   node bench/sync-scenario.ts --sim URL --db embedded|postgres [--types a,b]
 * Connects user "demo" through the real OAuth code flow, then runs the real command,
 * `snowtorch sync --user demo --json` (bin/snowtorch.js, as a user starts it, with the launcher's
 * flags), in a process of its own, and prints one JSON line: wall time from starting the command
 * to its exit (commandMs), the run's own duration from its summary (wallMs: from the run's
 * start, after the command has started and connected, to its end, as the naive ingester times
 * itself), its CPU time and peak RSS (its own getrusage, see exitUsage.mjs), documents and
 * requests from its summary.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectUser } from '../src/cli/commands/connect.ts';
import { loadConfig } from '../src/config/env.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { DataType } from '../src/oura/routes.ts';
import type { SyncRunSummary } from '../src/sync/types.ts';
import { type DbKind, PRODUCT_NODE_FLAGS, scratchDatabase } from './support.ts';

const ROOT = new URL('..', import.meta.url).pathname;

const { values } = parseArgs({
  options: { sim: { type: 'string' }, db: { type: 'string' }, types: { type: 'string' } },
});
const simUrl = values.sim ?? '';
const kind = (values.db ?? 'embedded') as DbKind;
const types = values.types ? (values.types.split(',') as DataType[]) : undefined;

const scratch = await scratchDatabase(kind, 'sync');
const env: Record<string, string> = {
  OURA_API_BASE_URL: simUrl,
  OURA_AUTHORIZE_URL: `${simUrl}/oauth/authorize`,
  OURA_CLIENT_ID: 'snowtorch-dev',
  OURA_CLIENT_SECRET: 'snowtorch-dev-secret',
  SNOWTORCH_SECRET_KEY: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'silent',
};
const config = loadConfig(env);
const database = await openDatabase(scratch.config);
const usageFile = join(tmpdir(), `snowtorch-bench-usage-${process.pid}.json`);
try {
  await migrateToLatest(database.db);
  await connectUser({
    config,
    db: database.db,
    userName: 'demo',
    port: 0,
    onAuthorizeUrl: async (url) => {
      await fetch(url, { redirect: 'follow' });
    },
  });
  const dbEnv =
    scratch.config.kind === 'postgres'
      ? { DATABASE_URL: scratch.config.connectionString }
      : { SNOWTORCH_DATA_DIR: scratch.config.dataDir };
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      join(ROOT, 'bench/exitUsage.mjs'),
      join(ROOT, 'bin/snowtorch.js'),
      'sync',
      '--user',
      'demo',
      '--json',
      ...(types ? ['--types', types.join(',')] : []),
    ],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: {
        ...process.env,
        ...env,
        ...dbEnv,
        NODE_OPTIONS: [...PRODUCT_NODE_FLAGS, process.env.SNOWTORCH_BENCH_NODE_OPTIONS ?? ''].join(
          ' ',
        ),
        SNOWTORCH_BENCH_USAGE_FILE: usageFile,
      },
    },
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const commandMs = performance.now() - started;
  if (code !== 0) throw new Error(`snowtorch sync exited with ${code}`);
  const usage = JSON.parse(await readFile(usageFile, 'utf8')) as {
    maxRssKb: number;
    cpuMs: number;
  };
  const parsed = JSON.parse(out) as SyncRunSummary | SyncRunSummary[];
  const summary = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!summary) throw new Error('snowtorch sync printed no summary');
  const counts = Object.values(summary.counts);
  process.stdout.write(
    `${JSON.stringify({
      status: summary.status,
      wallMs: Date.parse(String(summary.finishedAt)) - Date.parse(String(summary.startedAt)),
      commandMs,
      cpuMs: usage.cpuMs,
      documents: counts.reduce((n, c) => n + c.fetched, 0),
      requests: counts.reduce((n, c) => n + c.requests, 0),
      requestsByType: Object.fromEntries(
        Object.entries(summary.counts).map(([type, c]) => [type, c.requests]),
      ),
      peakRssMb: usage.maxRssKb / 1024,
    })}\n`,
  );
} finally {
  await rm(usageFile, { force: true });
  await database.close();
  await scratch.drop();
}
