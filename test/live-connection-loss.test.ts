import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { enqueueJob } from '../src/sync/jobs.ts';
import {
  createPostgresTestDatabase,
  dropPostgresTestDatabase,
  testPostgresUrl,
} from './support/db.ts';
import { type GateProxy, startGateProxy } from './support/gateProxy.ts';
import { expectSameDocuments, type SyncHarness, startSyncHarness } from './support/syncHarness.ts';
import { testDatabaseKind, testPostgresBaseUrl } from './support/testDatabaseKind.ts';
import {
  postgresBinariesInstalled,
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from './support/throwawayPostgres.ts';

const SERVE = fileURLToPath(new URL('./support/serveChild.ts', import.meta.url));

interface Served {
  child: ChildProcess;
  url: string;
  output(): string;
}

/** The serve-like app in its own process, so that a crash is a crash (not a test-runner error). */
function startServe(env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [SERVE], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', () => {
      const m = /\{"url":"([^"]+)"\}/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1], output: () => out });
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
}

async function stopServe(served: Served | undefined): Promise<void> {
  if (!served || served.child.exitCode !== null || served.child.signalCode !== null) return;
  const exited = new Promise((resolve) => served.child.once('exit', resolve));
  served.child.kill('SIGTERM');
  await exited;
}

/** Poll `probe` until it answers; fails fast when the served process dies meanwhile. */
async function until<T>(
  what: string,
  served: Served,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  for (let i = 0; i < 400; i++) {
    if (served.child.exitCode !== null || served.child.signalCode !== null) {
      throw new Error(`serve died while waiting for ${what}:\n${served.output()}`);
    }
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}:\n${served.output()}`);
}

const status = async (url: string) => (await fetch(url)).status;

interface Scenario {
  database: OpenDatabase;
  databaseUrl: string;
  h: SyncHarness;
  gate: GateProxy;
  served: Served;
}

let cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

async function startScenario(databaseUrl: string): Promise<Scenario> {
  const database = await openDatabase({
    kind: 'postgres',
    connectionString: databaseUrl,
    ssl: false,
  });
  cleanups.push(() => database.close());
  await migrateToLatest(database.db);
  const h = await startSyncHarness({ days: 40 }, database);
  cleanups.push(() => h.close());
  const gate = await startGateProxy(h.sim.url);
  cleanups.push(() => gate.close());
  const served = await startServe({
    ...h.env,
    OURA_API_BASE_URL: gate.url,
    DATABASE_URL: databaseUrl,
  });
  cleanups.push(() => stopServe(served));
  return { database, databaseUrl, h, gate, served };
}

/** Queue the user's first sync and wait until it is part-way, holding its lock, waiting on Oura. */
async function syncUntilHeld(s: Scenario, userId: number): Promise<void> {
  s.gate.closeAfter(6);
  const held = s.gate.held();
  await enqueueJob(s.h.db, { userId, kind: 'backfill' });
  await held;
}

/** The sync that lost its connection is recorded failed, retried, and nothing is missing. */
async function expectFailedThenRetried(s: Scenario, userId: number, name: string) {
  const { served, h } = s;
  const job = await until('the retried sync to finish', served, async () => {
    const row = await h.db
      .selectFrom('sync_job')
      .selectAll()
      .where('user_id', '=', userId)
      .where('status', 'in', ['succeeded', 'failed'])
      .executeTakeFirst();
    return row ?? undefined;
  });
  expect(served.child.exitCode, served.output()).toBeNull();
  expect(await status(`${served.url}/healthz`)).toBe(200);
  expect(await status(`${served.url}/readyz`)).toBe(200);
  expect(job.status, `${job.last_error}\n${served.output()}`).toBe('succeeded');
  expect(job.attempts).toBe(2);

  const runs = await h.db
    .selectFrom('sync_run')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded']);
  const lost = runs[0]?.errors.find((e) => e.code === 'database_connection_lost');
  expect(lost?.message).toMatch(/lost its database connection/);
  expect(runs[0]?.finished_at).not.toBeNull();
  await expectSameDocuments(h, { id: userId, name } as never, name);
}

const onPostgres = testDatabaseKind() === 'postgres';

describe.skipIf(!onPostgres)('database connection lost mid-sync: backends terminated', () => {
  let s: Scenario;
  let dbName: string;
  beforeAll(async () => {
    dbName = await createPostgresTestDatabase();
    cleanups.push(() => dropPostgresTestDatabase(dbName));
    s = await startScenario(testPostgresUrl(dbName));
  });

  it('pg_terminate_backend on every backend: serve keeps running, the run fails and is retried', async () => {
    const demo = await s.h.connect('demo');
    await syncUntilHeld(s, demo.id);
    const admin = new pg.Client({ connectionString: testPostgresBaseUrl() });
    await admin.connect();
    try {
      const killed = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (
           SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = $1 AND pid <> pg_backend_pid()) t`,
        [dbName],
      );
      expect(killed.rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    s.gate.open();
    await expectFailedThenRetried(s, demo.id, 'demo');
  });
});

// A cluster of its own (the shared test server cannot be stopped under other tests), so this runs
// whatever database the suite uses, wherever PostgreSQL's server binaries are installed.
describe.skipIf(!postgresBinariesInstalled())(
  'database connection lost mid-sync: server down',
  () => {
    let s: Scenario;
    let cluster: ThrowawayPostgres;
    beforeAll(async () => {
      cluster = await startThrowawayPostgres();
      cleanups.push(() => cluster.destroy());
      s = await startScenario(cluster.url);
    });

    it('the PostgreSQL server goes down mid-sync: /readyz reports it, the run fails and is retried once it is back', async () => {
      const demo = await s.h.connect('demo');
      await syncUntilHeld(s, demo.id);
      await cluster.stop();
      // Down: serve is alive and says so, but not ready.
      expect(await status(`${s.served.url}/healthz`)).toBe(200);
      expect(await status(`${s.served.url}/readyz`)).toBe(503);
      // The sync goes on while the server is down: every write fails, and so does recording the
      // outcome; the job's lease runs out and the worker takes it up again once the server is back.
      s.gate.open();
      await until('the sync to give up while the server is down', s.served, async () =>
        s.served.output().includes('recording a job outcome failed') ? true : undefined,
      );
      await cluster.start();
      await expectFailedThenRetried(s, demo.id, 'demo');
    });
  },
);
