import { afterEach, describe, expect, it } from 'vitest';
import { getConnection } from '../src/db/connections.ts';
import { getRun, insertRun, listRuns } from '../src/db/syncRuns.ts';
import { addDays, utcDay } from '../src/sync/days.ts';
import { SyncAlreadyRunningError } from '../src/sync/errors.ts';
import { type SyncHarness, startSyncHarness, storedDocuments } from './support/syncHarness.ts';

const DAYS = 90;
let h: SyncHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function errorDocuments(harness: SyncHarness, userId: number) {
  return harness.db
    .selectFrom('sync_error_document')
    .select(['data_type', 'doc_id', 'message'])
    .where('user_id', '=', userId)
    .execute();
}

describe('sync under upstream trouble', () => {
  it('a malformed document is recorded, the rest stored; a later fetch of it clears the record', async () => {
    h = await startSyncHarness({ days: DAYS });
    const user = await h.connect('demo');
    h.sim.faults.malformedNext = 1;
    // With `since`, the first page served is a sleep page (no history-start probe before it).
    const since = addDays(utcDay(new Date()), -DAYS - 5);
    const run = await h.sync(user.id, { types: ['sleep'], since });
    expect(run.status).toBe('partial');
    expect(run.counts.sleep?.invalid).toBe(1);
    expect(run.errors).toHaveLength(1);
    const bad = run.errors[0];
    expect(bad?.code).toBe('invalid_document');
    const badId = bad?.docId ?? '';
    expect(badId).not.toBe('');

    const kept = await errorDocuments(h, user.id);
    expect(kept.map((k) => [k.data_type, k.doc_id])).toEqual([['sleep', badId]]);
    const sim = h.simUser('demo').documents.sleep;
    const stored = await storedDocuments(h.db, user.id, 'sleep');
    expect(stored.size).toBe(sim.size - 1);
    expect(stored.has(badId)).toBe(false);

    // Re-fetching the history brings the document in and forgets the failure.
    const again = await h.sync(user.id, { types: ['sleep'], since });
    expect(again.status).toBe('succeeded');
    expect((await storedDocuments(h.db, user.id, 'sleep')).size).toBe(sim.size);
    expect(await errorDocuments(h, user.id)).toEqual([]);
  });

  it('5xx, 429, timeouts and truncated bodies are retried and nothing is missing', async () => {
    h = await startSyncHarness({ days: DAYS }, undefined, { timeoutMs: 3000 });
    const user = await h.connect('demo');
    Object.assign(h.sim.faults, {
      fail5xxNext: 3,
      rateLimitNext: 2,
      timeoutNext: 1,
      truncateNext: 1,
    });
    const run = await h.sync(user.id, { types: ['sleep', 'daily_readiness', 'heartrate'] });
    expect(run.status, run.message).toBe('succeeded');
    expect(h.sim.stats.served5xx).toBe(3);
    expect(h.sim.stats.rateLimited).toBeGreaterThanOrEqual(2);
    expect(h.sim.stats.timeouts).toBe(1);
    expect(h.sim.stats.truncated).toBe(1);
    for (const type of ['sleep', 'daily_readiness'] as const) {
      const stored = await storedDocuments(h.db, user.id, type);
      expect(stored.size, type).toBe(h.simUser('demo').documents[type].size);
    }
  });

  it('an upstream that keeps failing fails that type only', async () => {
    h = await startSyncHarness({ days: DAYS });
    const user = await h.connect('demo');
    h.sim.faults.fail5xxRate = 1;
    const run = await h.sync(user.id, { types: ['sleep', 'daily_sleep'] });
    expect(run.status).toBe('failed');
    expect(new Set(run.errors.map((e) => e.code))).toEqual(new Set(['upstream_unavailable']));
    h.sim.faults.fail5xxRate = 0;
    const next = await h.sync(user.id, { types: ['sleep', 'daily_sleep'] });
    expect(next.status).toBe('succeeded');
    expect((await storedDocuments(h.db, user.id, 'sleep')).size).toBe(
      h.simUser('demo').documents.sleep.size,
    );
  });

  it('expired access tokens are refreshed mid-run', async () => {
    h = await startSyncHarness({ days: DAYS });
    const user = await h.connect('demo');
    h.sim.faults.expireTokensNow();
    const run = await h.sync(user.id, { types: ['daily_sleep'] });
    expect(run.status, run.message).toBe('succeeded');
    expect((await getConnection(h.db, user.id))?.status).toBe('active');
  });

  it('a revoked grant fails the run and marks the connection reconnect_needed', async () => {
    h = await startSyncHarness({ days: DAYS });
    const user = await h.connect('alex');
    h.sim.revokeUser('alex');
    const run = await h.sync(user.id);
    expect(run.status).toBe('failed');
    expect(run.reconnectNeeded).toBe(true);
    expect(run.message).toMatch(/reconnect/);
    expect((await getConnection(h.db, user.id))?.status).toBe('reconnect_needed');
    const recorded = await getRun(h.db, run.runId);
    expect(recorded?.status).toBe('failed');
    expect(recorded?.errors.some((e) => e.code === 'reconnect_needed')).toBe(true);
    // The next attempt fails at once, without asking Oura.
    const requests = h.sim.stats.totalRequests;
    const again = await h.sync(user.id);
    expect(again.status).toBe('failed');
    expect(again.reconnectNeeded).toBe(true);
    expect(h.sim.stats.totalRequests).toBe(requests);
  });

  it('a stopped run is recorded interrupted and the next run completes it', async () => {
    h = await startSyncHarness({ days: 150, latencyMs: 5 });
    const user = await h.connect('demo');
    const stop = new AbortController();
    const run = await h.sync(user.id, {
      types: ['heartrate', 'daily_activity'],
      signal: stop.signal,
      onProgress: (e) => {
        if (e.dataType === 'heartrate' && e.windowsDone >= 2) stop.abort();
      },
    });
    expect(run.status).toBe('interrupted');
    const next = await h.sync(user.id, { types: ['heartrate', 'daily_activity'] });
    expect(next.status).toBe('succeeded');
    expect((await storedDocuments(h.db, user.id, 'daily_activity')).size).toBe(
      h.simUser('demo').documents.daily_activity.size,
    );
  });

  it('a run left running by a dead process is marked interrupted at the next start', async () => {
    h = await startSyncHarness({ days: 30 });
    const user = await h.connect('demo');
    const stale = await insertRun(h.db, { userId: user.id, trigger: 'cli', startedAt: new Date() });
    await h.sync(user.id, { types: ['daily_sleep'] });
    const runs = await listRuns(h.db, { userId: user.id });
    expect(runs.find((r) => r.id === stale)?.status).toBe('interrupted');
    expect(runs[0]?.status).toBe('succeeded');
  });

  it('a second run of the same user while one is going is refused', async () => {
    h = await startSyncHarness({ days: 30 });
    const user = await h.connect('demo');
    const first = h.sync(user.id, { types: ['daily_sleep'] });
    await expect(h.sync(user.id, { types: ['daily_sleep'] })).rejects.toThrow(
      SyncAlreadyRunningError,
    );
    expect((await first).status).toBe('succeeded');
  });
});
