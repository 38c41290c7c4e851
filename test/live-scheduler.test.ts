import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../src/db/users.ts';
import { enqueueJob, type Job } from '../src/sync/jobs.ts';
import { enqueueDueSyncs, startScheduler } from '../src/sync/scheduler.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

let h: SyncHarness;
let demo: User;
let alex: User;

const HOUR = 3_600_000;

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const jobsOf = (userId: number) =>
  h.db.selectFrom('sync_job').selectAll().where('user_id', '=', userId).orderBy('id').execute();

beforeAll(async () => {
  h = await startSyncHarness({ days: 10 });
  demo = await h.connect('demo');
  alex = await h.connect('alex');
});

afterAll(async () => {
  await h?.close();
});

describe('scheduler', () => {
  it('backfills new connections at once, then leaves users alone until the interval has passed', async () => {
    const scheduler = startScheduler({
      ctx: h.ctx,
      db: h.db,
      intervalMs: HOUR,
      jitterMs: 0,
      tickMs: 60_000,
      pollMs: 50,
      workerId: 'w1',
    });
    try {
      for (const user of [demo, alex]) {
        const job = await until(`backfill of ${user.name}`, async () =>
          (await jobsOf(user.id)).find((j) => j.status === 'succeeded'),
        );
        expect(job.kind).toBe('backfill');
        expect(job.attempts).toBe(1);
      }
      const runs = await h.db.selectFrom('sync_run').selectAll().orderBy('id').execute();
      expect(runs.map((r) => [r.user_id, r.trigger, r.status]).sort()).toEqual(
        [
          [demo.id, 'backfill', 'succeeded'],
          [alex.id, 'backfill', 'succeeded'],
        ].sort(),
      );
      // Just synced: nothing is due.
      expect(await scheduler.tick()).toEqual({ sync: [], backfill: [] });
    } finally {
      await scheduler.stop();
    }

    // An hour later both are due, once each, starting within the jitter.
    const later = new Date(Date.now() + HOUR + 60_000);
    const queued = await enqueueDueSyncs(h.db, { intervalMs: HOUR, jitterMs: 30_000, now: later });
    expect(queued.sync.sort()).toEqual([demo.id, alex.id].sort());
    const pending = await h.db
      .selectFrom('sync_job')
      .selectAll()
      .where('status', '=', 'pending')
      .execute();
    expect(pending).toHaveLength(2);
    for (const j of pending) {
      expect(j.kind).toBe('sync');
      expect(j.run_at.getTime()).toBeGreaterThanOrEqual(later.getTime());
      expect(j.run_at.getTime()).toBeLessThan(later.getTime() + 30_000);
    }
    expect(await enqueueDueSyncs(h.db, { intervalMs: HOUR, jitterMs: 0, now: later })).toEqual({
      sync: [],
      backfill: [],
    });
    // A connection that needs reconnecting is not polled.
    await h.db.deleteFrom('sync_job').where('status', '=', 'pending').execute();
    await h.db
      .updateTable('oura_connection')
      .set({ status: 'reconnect_needed' })
      .where('user_id', '=', alex.id)
      .execute();
    expect(
      (await enqueueDueSyncs(h.db, { intervalMs: HOUR, jitterMs: 0, now: later })).sync,
    ).toEqual([demo.id]);
    await h.db.deleteFrom('sync_job').where('status', '=', 'pending').execute();
  });

  it('stop() lets the running job finish before returning', async () => {
    let started: (job: Job) => void = () => {};
    const running = new Promise<Job>((resolve) => {
      started = resolve;
    });
    const scheduler = startScheduler({
      ctx: h.ctx,
      db: h.db,
      intervalMs: 0,
      pollMs: 50,
      workerId: 'w2',
      onJobStarted: (job) => started(job),
    });
    const { id } = await scheduler.enqueue(h.db, { userId: demo.id, kind: 'sync' });
    const job = await running;
    expect(job.id).toBe(id);
    await scheduler.stop();
    const after = (await jobsOf(demo.id)).find((j) => j.id === id);
    expect(after?.status).toBe('succeeded');
    const run = await h.db
      .selectFrom('sync_run')
      .selectAll()
      .where('user_id', '=', demo.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(run.trigger).toBe('schedule');
    expect(run.status).toBe('succeeded');
  });

  it('stop() with a timeout interrupts a long sync and hands the job back to the queue', async () => {
    let started: (job: Job) => void = () => {};
    const running = new Promise<Job>((resolve) => {
      started = resolve;
    });
    h.sim.faults.latencyMs = 300;
    const scheduler = startScheduler({
      ctx: h.ctx,
      db: h.db,
      intervalMs: 0,
      pollMs: 50,
      workerId: 'w3',
      onJobStarted: (job) => started(job),
    });
    try {
      const { id } = await enqueueJob(h.db, { userId: demo.id, kind: 'sync' });
      scheduler.wake();
      await running;
      await scheduler.stop({ timeoutMs: 100 });
      const job = (await jobsOf(demo.id)).find((j) => j.id === id);
      expect(job?.status).toBe('pending');
      expect(job?.attempts).toBe(0);
      const run = await h.db
        .selectFrom('sync_run')
        .selectAll()
        .where('user_id', '=', demo.id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(run.status).toBe('interrupted');
    } finally {
      h.sim.faults.latencyMs = 0;
      await scheduler.stop();
    }
  });
});
