import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../src/db/users.ts';
import { enqueueJob } from '../src/sync/jobs.ts';
import { testPostgresUrl } from './support/db.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

const WORKER = fileURLToPath(new URL('./support/schedulerWorker.ts', import.meta.url));
const USERS = 4;

interface LogRow {
  worker: string;
  job_id: number;
  user_id: number;
  kind: string;
  started_at: Date;
  finished_at: Date | null;
  outcome: string | null;
}

function startWorker(id: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [WORKER, id], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker ${id} exited (${code}): ${stderr}`)));
  });
}

/** Resolves once the workers have reported `count` different jobs finished. */
function finishedJobs(workers: ChildProcess[], count: number): Promise<void> {
  const finished = new Set<string>();
  return new Promise((resolve) => {
    for (const worker of workers) {
      let partial = '';
      worker.stdout?.on('data', (d: Buffer) => {
        const lines = (partial + d.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.startsWith('finished ')) finished.add(line.slice(9));
        if (finished.size >= count) resolve();
      });
    }
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('two scheduler processes, one database', () => {
  let h: SyncHarness;
  const users: User[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    h = await startSyncHarness({ days: 20, users: USERS });
    for (const sim of h.sim.users) users.push(await h.connect(sim.name));
    await sql`CREATE TABLE test_job_log (
      worker text NOT NULL, job_id integer NOT NULL, user_id integer NOT NULL, kind text NOT NULL,
      started_at timestamptz NOT NULL, finished_at timestamptz, outcome text)`.execute(h.db);
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await h?.close();
  });

  it('runs every job exactly once and never one user in both processes at once', async () => {
    const dbName = (await sql<{ name: string }>`SELECT current_database() AS name`.execute(h.db))
      .rows[0]?.name;
    if (!dbName) throw new Error('no database name');
    const env = { ...h.env, DATABASE_URL: testPostgresUrl(dbName) };
    children.push(...(await Promise.all([startWorker('A', env), startWorker('B', env)])));
    const allFinished = finishedJobs(children, 24);

    // Per user: a backfill, a second sync, three document fetches and a delete (24 jobs).
    for (const user of users) {
      const ids = [...h.simUser(user.name).documents.daily_sleep.keys()].slice(-4);
      await enqueueJob(h.db, { userId: user.id, kind: 'backfill' });
      await enqueueJob(h.db, { userId: user.id, kind: 'sync', dedupeKey: null });
      for (const objectId of ids.slice(0, 3)) {
        await enqueueJob(h.db, {
          userId: user.id,
          kind: 'webhook_fetch',
          payload: { dataType: 'daily_sleep', objectId },
        });
      }
      await enqueueJob(h.db, {
        userId: user.id,
        kind: 'webhook_delete',
        payload: { dataType: 'daily_sleep', objectId: ids[3] },
      });
    }

    await allFinished;
    for (const c of children) c.kill('SIGTERM');
    expect(await Promise.all(children.map(exited))).toEqual([0, 0]);

    const jobs = await h.db.selectFrom('sync_job').selectAll().execute();
    expect(jobs).toHaveLength(24);
    expect(jobs.filter((j) => j.status !== 'succeeded' || j.attempts !== 1)).toEqual([]);

    const log = (await sql<LogRow>`SELECT * FROM test_job_log ORDER BY started_at`.execute(h.db))
      .rows;
    // Every job ran once, in one process, and finished.
    expect(log).toHaveLength(24);
    expect(new Set(log.map((r) => r.job_id)).size).toBe(24);
    expect(log.every((r) => r.finished_at !== null && r.outcome === 'succeeded')).toBe(true);
    // Both processes took part.
    expect(new Set(log.map((r) => r.worker))).toEqual(new Set(['A', 'B']));
    // Per user, each job started after the previous one (whichever process ran it) finished.
    for (const user of users) {
      const mine = log.filter((r) => r.user_id === user.id);
      expect(mine).toHaveLength(6);
      for (let i = 1; i < mine.length; i++) {
        const prev = mine[i - 1];
        const cur = mine[i];
        if (!prev?.finished_at || !cur) throw new Error('incomplete log');
        expect(cur.started_at.getTime()).toBeGreaterThanOrEqual(prev.finished_at.getTime());
      }
    }
    // The engine's runs agree: two per user, none overlapping, none refused as "already running".
    const runs = await h.db.selectFrom('sync_run').selectAll().orderBy('started_at').execute();
    expect(runs).toHaveLength(users.length * 2);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    for (const user of users) {
      const mine = runs.filter((r) => r.user_id === user.id);
      const [first, second] = mine;
      expect(first?.finished_at?.getTime()).toBeLessThanOrEqual(second?.started_at.getTime() ?? 0);
    }
  });
});
