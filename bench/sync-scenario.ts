/**
 * One sync benchmark scenario, in its own process so its peak RSS is the sync's alone:
 *   node bench/sync-scenario.ts --sim URL --db embedded|postgres [--types a,b]
 * Connects user "demo" through the real OAuth code flow, runs a full first sync (all routes) and
 * prints one JSON line: wall time, documents, client requests, peak RSS.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { connectUser } from '../src/cli/commands/connect.ts';
import { loadConfig } from '../src/config/env.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { DataType } from '../src/oura/routes.ts';
import { createSyncContext } from '../src/sync/context.ts';
import { syncUser } from '../src/sync/engine.ts';
import { type DbKind, scratchDatabase } from './support.ts';

const { values } = parseArgs({
  options: { sim: { type: 'string' }, db: { type: 'string' }, types: { type: 'string' } },
});
const simUrl = values.sim ?? '';
const kind = (values.db ?? 'embedded') as DbKind;
const types = values.types ? (values.types.split(',') as DataType[]) : undefined;

const scratch = await scratchDatabase(kind, 'sync');
const config = loadConfig({
  OURA_API_BASE_URL: simUrl,
  OURA_AUTHORIZE_URL: `${simUrl}/oauth/authorize`,
  OURA_CLIENT_ID: 'snowtorch-dev',
  OURA_CLIENT_SECRET: 'snowtorch-dev-secret',
  SNOWTORCH_SECRET_KEY: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'silent',
});
const database = await openDatabase(scratch.config);
try {
  await migrateToLatest(database.db);
  const connected = await connectUser({
    config,
    db: database.db,
    userName: 'demo',
    port: 0,
    onAuthorizeUrl: async (url) => {
      await fetch(url, { redirect: 'follow' });
    },
  });
  const ctx = createSyncContext({ config, database });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const summary = await syncUser(ctx, {
    userId: connected.user.id,
    trigger: 'bench',
    ...(types ? { types } : {}),
  });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const counts = Object.values(summary.counts);
  const documents = counts.reduce((n, c) => n + c.fetched, 0);
  const requests = counts.reduce((n, c) => n + c.requests, 0);
  process.stdout.write(
    `${JSON.stringify({
      status: summary.status,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      documents,
      requests,
      requestsByType: Object.fromEntries(
        Object.entries(summary.counts).map(([type, c]) => [type, c.requests]),
      ),
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
} finally {
  await database.close();
  await scratch.drop();
}
