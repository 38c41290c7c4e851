import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../src/db/database.ts';
import { getOrCreateUser } from '../src/db/users.ts';
import {
  claimJob,
  completeJob,
  enqueueJob,
  failJob,
  getJob,
  releaseJob,
} from '../src/sync/jobs.ts';
import { openTestDatabase } from './support/db.ts';

let database: OpenDatabase;
let alice: number;
let bob: number;

const pending = async () =>
  (await database.db.selectFrom('sync_job').selectAll().where('status', '=', 'pending').execute())
    .length;

beforeAll(async () => {
  database = await openTestDatabase();
  alice = (await getOrCreateUser(database.db, 'alice')).id;
  bob = (await getOrCreateUser(database.db, 'bob')).id;
});

afterAll(async () => {
  await database?.close();
});

async function drain() {
  await database.db.deleteFrom('sync_job').execute();
}

describe('job queue', () => {
  it('merges the same work enqueued twice into one pending job, keeping the earlier start', async () => {
    await drain();
    const later = new Date(Date.now() + 3_600_000);
    const first = await enqueueJob(database.db, { userId: alice, kind: 'sync', runAt: later });
    const again = await enqueueJob(database.db, { userId: alice, kind: 'sync' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(await pending()).toBe(1);
    // The merged job now runs as soon as the second request asked.
    expect((await getJob(database.db, first.id))?.runAt.getTime()).toBeLessThanOrEqual(
      Date.now() + 1000,
    );
    // A backfill of the same user is the same work as a sync.
    expect((await enqueueJob(database.db, { userId: alice, kind: 'backfill' })).created).toBe(
      false,
    );
    // Webhook jobs merge per document.
    const doc = { dataType: 'sleep', objectId: 'a' };
    expect(
      (await enqueueJob(database.db, { userId: alice, kind: 'webhook_fetch', payload: doc }))
        .created,
    ).toBe(true);
    expect(
      (await enqueueJob(database.db, { userId: alice, kind: 'webhook_fetch', payload: doc }))
        .created,
    ).toBe(false);
    expect(
      (
        await enqueueJob(database.db, {
          userId: alice,
          kind: 'webhook_fetch',
          payload: { dataType: 'sleep', objectId: 'b' },
        })
      ).created,
    ).toBe(true);
    expect(await pending()).toBe(3);
  });

  it('never hands out two jobs of one user at once, and skips jobs not yet due', async () => {
    await drain();
    const a1 = await enqueueJob(database.db, { userId: alice, kind: 'sync' });
    const a2 = await enqueueJob(database.db, {
      userId: alice,
      kind: 'webhook_fetch',
      payload: { dataType: 'sleep', objectId: 'x' },
    });
    const b1 = await enqueueJob(database.db, { userId: bob, kind: 'backfill' });
    await enqueueJob(database.db, {
      userId: bob,
      kind: 'webhook_delete',
      payload: { dataType: 'tag', objectId: 't' },
      runAt: new Date(Date.now() + 3_600_000),
    });

    const w1 = await claimJob(database.db, { workerId: 'w1', leaseMs: 60_000 });
    const w2 = await claimJob(database.db, { workerId: 'w2', leaseMs: 60_000 });
    const w3 = await claimJob(database.db, { workerId: 'w3', leaseMs: 60_000 });
    expect(w1?.id).toBe(a1.id);
    expect(w1?.attempts).toBe(1);
    expect(w1?.lockedBy).toBe('w1');
    expect(w2?.id).toBe(b1.id);
    // Alice's second job waits for her first; Bob's other job is not due.
    expect(w3).toBeUndefined();

    expect(await completeJob(database.db, { id: a1.id }, 'w1')).toBe(true);
    const next = await claimJob(database.db, { workerId: 'w3', leaseMs: 60_000 });
    expect(next?.id).toBe(a2.id);
    expect(next?.payload).toEqual({ dataType: 'sleep', objectId: 'x' });
    expect((await getJob(database.db, a1.id))?.status).toBe('succeeded');
  });

  it('retries a failed job later with a growing delay, then gives up', async () => {
    await drain();
    const { id } = await enqueueJob(database.db, { userId: alice, kind: 'sync', maxAttempts: 2 });
    const first = await claimJob(database.db, { workerId: 'w', leaseMs: 60_000 });
    if (!first) throw new Error('no job claimed');
    // Long enough that the "not yet due" claim below cannot outrun it on a loaded machine.
    const retry = { baseDelayMs: 1_000 };
    expect(await failJob(database.db, first, 'w', { error: 'upstream down', retry })).toBe(
      'pending',
    );
    const waiting = await getJob(database.db, id);
    expect(waiting?.status).toBe('pending');
    expect(waiting?.lastError).toBe('upstream down');
    expect(waiting?.runAt.getTime()).toBeGreaterThan(first.runAt.getTime() + 900);
    // Not due again until the delay has passed.
    expect(await claimJob(database.db, { workerId: 'w', leaseMs: 60_000 })).toBeUndefined();
    await new Promise((r) =>
      setTimeout(r, Math.max(0, (waiting?.runAt.getTime() ?? 0) - Date.now()) + 50),
    );
    const second = await claimJob(database.db, { workerId: 'w', leaseMs: 60_000 });
    expect(second?.attempts).toBe(2);
    if (!second) throw new Error('no job claimed');
    expect(await failJob(database.db, second, 'w', { error: 'still down', retry })).toBe('failed');
    const failed = await getJob(database.db, id);
    expect(failed?.status).toBe('failed');
    expect(failed?.lastError).toBe('still down');
  });

  it('fails at once what a retry cannot fix, and releases without counting an attempt', async () => {
    await drain();
    const { id } = await enqueueJob(database.db, { userId: alice, kind: 'sync' });
    const job = await claimJob(database.db, { workerId: 'w', leaseMs: 60_000 });
    if (!job) throw new Error('no job claimed');
    expect(await releaseJob(database.db, job, 'w', { delayMs: 0, reason: 'stopping' })).toBe(
      'pending',
    );
    expect((await getJob(database.db, id))?.attempts).toBe(0);
    const again = await claimJob(database.db, { workerId: 'w', leaseMs: 60_000 });
    if (!again) throw new Error('no job claimed');
    expect(
      await failJob(database.db, again, 'w', { error: 'reconnect needed', retryable: false }),
    ).toBe('failed');
    expect((await getJob(database.db, id))?.status).toBe('failed');
  });

  it('hands the job of a worker whose lease ran out to another worker', async () => {
    await drain();
    const { id } = await enqueueJob(database.db, { userId: bob, kind: 'sync' });
    const dead = await claimJob(database.db, { workerId: 'dead', leaseMs: 1 });
    expect(dead?.id).toBe(id);
    await new Promise((r) => setTimeout(r, 30));
    const taken = await claimJob(database.db, { workerId: 'alive', leaseMs: 60_000 });
    expect(taken?.id).toBe(id);
    expect(taken?.attempts).toBe(2);
    // The dead worker can no longer record anything for it.
    expect(await completeJob(database.db, { id }, 'dead')).toBe(false);
    expect(await completeJob(database.db, { id }, 'alive')).toBe(true);
  });

  it('marks a retried job superseded when the same work was queued meanwhile', async () => {
    await drain();
    const { id } = await enqueueJob(database.db, { userId: alice, kind: 'sync' });
    const job = await claimJob(database.db, { workerId: 'w', leaseMs: 60_000 });
    if (!job) throw new Error('no job claimed');
    const queued = await enqueueJob(database.db, { userId: alice, kind: 'sync' });
    expect(queued.created).toBe(true);
    expect(await failJob(database.db, job, 'w', { error: 'boom' })).toBe('superseded');
    expect((await getJob(database.db, id))?.status).toBe('superseded');
    expect(await pending()).toBe(1);
  });
});
