import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRun } from '../src/db/syncRuns.ts';
import { getSyncStates } from '../src/db/syncState.ts';
import type { User } from '../src/db/users.ts';
import { daysBetween, utcDay } from '../src/sync/days.ts';
import type { SyncRunSummary } from '../src/sync/types.ts';
import { minimumRequests } from '../src/sync/windows.ts';
import {
  type DOCUMENT_TYPES,
  deletedIds,
  expectSameDocuments,
  expectSameSeries,
  type SyncHarness,
  startSyncHarness,
} from './support/syncHarness.ts';

const THREE_YEARS = 3 * 365;

describe('first sync: the whole history, then incremental', () => {
  let h: SyncHarness;
  let user: User;
  let first: SyncRunSummary;

  beforeAll(async () => {
    h = await startSyncHarness({ days: THREE_YEARS, users: 1 });
    user = await h.connect('demo');
    first = await h.sync(user.id);
  }, 600_000);
  afterAll(async () => {
    await h?.close();
  });

  it('stores exactly the documents the simulator serves', async () => {
    expect(first.status, first.message).toBe('succeeded');
    expect(first.errors).toEqual([]);
    await expectSameDocuments(h, user, 'demo');
    const sleep = h.simUser('demo').documents.sleep;
    expect(first.counts.sleep?.inserted).toBe(sleep.size);
  });

  it('stores every heart-rate and battery sample once', async () => {
    const states = await getSyncStates(h.db, user.id);
    const from = states.find((s) => s.dataType === 'heartrate')?.backfillFrom;
    expect(from).toBeTruthy();
    await expectSameSeries(h, user, 'demo', from ?? '');
  });

  it('spends within 10% of the fewest requests possible', async () => {
    const states = await getSyncStates(h.db, user.id);
    const today = utcDay(new Date());
    const sim = h.simUser('demo');
    let minimum = 0;
    for (const s of states) {
      if (s.dataType === 'ring_configuration') {
        minimum += 1;
        continue;
      }
      const days = daysBetween(s.backfillFrom ?? today, today) + 1;
      const docs =
        s.dataType === 'heartrate' || s.dataType === 'ring_battery_level'
          ? 0
          : (sim.documents[s.dataType as (typeof DOCUMENT_TYPES)[number]]?.size ?? 0);
      minimum += minimumRequests(s.dataType as never, days, docs);
    }
    // Pages asked for (retries of a slow machine's timeouts are not the planner's doing).
    const pages = Object.values(first.counts).reduce((n, c) => n + c.requests, 0);
    console.info(
      `3-year backfill: ${pages} requests (${first.requests} with retries), minimum ${minimum} (+${(((pages - minimum) / minimum) * 100).toFixed(1)}%), ${((first.finishedAt.getTime() - first.startedAt.getTime()) / 1000).toFixed(1)} s`,
    );
    expect(pages).toBeLessThanOrEqual(Math.floor(minimum * 1.1));
  });

  it('records the run with counts per type', async () => {
    const run = await getRun(h.db, first.runId);
    expect(run?.status).toBe('succeeded');
    expect(run?.finishedAt).toBeInstanceOf(Date);
    expect(run?.counts.daily_activity?.inserted).toBe(
      h.simUser('demo').documents.daily_activity.size,
    );
    expect(run?.counts.heartrate?.requests).toBeGreaterThan(30);
    const states = await getSyncStates(h.db, user.id);
    for (const s of states.filter((x) => x.dataType !== 'ring_configuration')) {
      expect(s.completeUntil, s.dataType).toBe(utcDay(new Date()));
      expect(s.lastSuccessAt, s.dataType).toBeInstanceOf(Date);
    }
  });

  it('a second run changes nothing', async () => {
    const second = await h.sync(user.id);
    expect(second.status).toBe('succeeded');
    for (const [type, c] of Object.entries(second.counts)) {
      const changes = { inserted: c.inserted, updated: c.updated, deleted: c.deleted };
      expect(changes, type).toEqual({ inserted: 0, updated: 0, deleted: 0 });
      expect(c.unchanged, type).toBe(c.fetched);
    }
    expect(second.counts.sleep?.unchanged).toBeGreaterThan(0);
    // Incremental: only the overlap is fetched, not the history.
    expect(second.requests).toBeLessThan(first.requests / 5);
  });

  it('picks up documents changed and deleted upstream', async () => {
    const changed = h.sim.faults.changeDocuments('demo', 'sleep', 2);
    const deleted = h.sim.faults.deleteDocuments('demo', 'daily_readiness', 1);
    const goneSessions = h.sim.faults.deleteDocuments('demo', 'daily_activity', 2);
    const run = await h.sync(user.id);
    expect(run.status).toBe('succeeded');
    expect(run.counts.sleep?.updated).toBe(changed.length);
    expect(run.counts.daily_readiness?.deleted).toBe(1);
    expect(run.counts.daily_activity?.deleted).toBe(2);
    expect([...(await deletedIds(h.db, user.id, 'daily_readiness'))]).toEqual(deleted);
    expect([...(await deletedIds(h.db, user.id, 'daily_activity'))].sort()).toEqual(
      [...goneSessions].sort(),
    );
    await expectSameDocuments(h, user, 'demo');
  });
});
