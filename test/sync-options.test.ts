import { afterEach, describe, expect, it } from 'vitest';
import { getSyncStates } from '../src/db/syncState.ts';
import { OURA_SCOPES } from '../src/oura/routes.ts';
import { generateDataset } from '../src/simulator/data/index.ts';
import { addDays, utcDay } from '../src/sync/days.ts';
import type { SyncProgressEvent } from '../src/sync/types.ts';
import { type SyncHarness, startSyncHarness, storedDocuments } from './support/syncHarness.ts';

const DAYS = 120;
let h: SyncHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('sync options', () => {
  it('--since fetches from that day and --types only the named types', async () => {
    h = await startSyncHarness({ days: DAYS });
    const user = await h.connect('demo');
    const since = addDays(utcDay(new Date()), -30);
    const run = await h.sync(user.id, { since, types: ['sleep', 'heartrate'] });
    expect(run.status, run.message).toBe('succeeded');
    expect(Object.keys(run.counts).sort()).toEqual(['heartrate', 'sleep']);

    const sim = h.simUser('demo');
    const expected = [...sim.documents.sleep.values()]
      .filter((d) => String(d.day) >= since)
      .map((d) => String(d.id))
      .sort();
    const stored = await storedDocuments(h.db, user.id, 'sleep');
    expect([...stored.keys()].sort()).toEqual(expected);
    expect((await storedDocuments(h.db, user.id, 'daily_sleep')).size).toBe(0);
    expect((await storedDocuments(h.db, user.id, 'ring_configuration')).size).toBe(0);

    const states = await getSyncStates(h.db, user.id);
    expect(states.map((s) => s.dataType).sort()).toEqual(['heartrate', 'sleep']);
    expect(states.every((s) => s.backfillFrom === since)).toBe(true);
  });

  it('a later --since further back extends the history', async () => {
    h = await startSyncHarness({ days: DAYS });
    const user = await h.connect('demo');
    const today = utcDay(new Date());
    await h.sync(user.id, { since: addDays(today, -20), types: ['daily_sleep'] });
    const run = await h.sync(user.id, { since: addDays(today, -60), types: ['daily_sleep'] });
    expect(run.counts.daily_sleep?.inserted).toBeGreaterThan(30);
    const states = await getSyncStates(h.db, user.id);
    expect(states[0]?.backfillFrom).toBe(addDays(today, -60));
  });

  it('a --since range after a gap does not claim the gap as complete', async () => {
    h = await startSyncHarness({ days: DAYS });
    const user = await h.connect('demo');
    const today = utcDay(new Date());
    await h.sync(user.id, { since: addDays(today, -90), types: ['daily_sleep'] });
    // As if the history had only been complete up to 40 days ago.
    await h.db
      .updateTable('sync_state')
      .set({ complete_until: addDays(today, -40) })
      .where('user_id', '=', user.id)
      .execute();
    await h.sync(user.id, { since: addDays(today, -10), types: ['daily_sleep'] });
    let [state] = await getSyncStates(h.db, user.id);
    expect(state?.completeUntil).toBe(addDays(today, -40));
    await h.sync(user.id, { types: ['daily_sleep'] });
    [state] = await getSyncStates(h.db, user.id);
    expect(state?.completeUntil).toBe(today);
  });

  it('types whose scope was not granted are skipped without a request', async () => {
    h = await startSyncHarness({ days: DAYS });
    const scopes = OURA_SCOPES.filter((s) => s !== 'tag' && s !== 'heartrate');
    const user = await h.connect('demo', { scopes });
    const run = await h.sync(user.id);
    expect(run.status, run.message).toBe('succeeded');
    expect(run.skipped.sort()).toEqual(['enhanced_tag', 'heartrate', 'tag']);
    expect(run.counts.tag).toBeUndefined();
    expect(Object.keys(h.sim.stats.requests)).not.toContain('/v2/usercollection/tag');
    expect((await storedDocuments(h.db, user.id, 'sleep')).size).toBe(
      h.simUser('demo').documents.sleep.size,
    );
  });

  it('a 403 for one type is recorded and the other types are stored', async () => {
    h = await startSyncHarness({ days: DAYS });
    // The grant lacks `workout` but the stored connection claims every scope.
    const user = await h.connect('demo', {
      scopes: OURA_SCOPES.filter((s) => s !== 'workout'),
      storedScopes: [...OURA_SCOPES],
    });
    const run = await h.sync(user.id);
    expect(run.status).toBe('partial');
    expect(run.errors.map((e) => [e.dataType, e.code])).toEqual([['workout', 'scope_missing']]);
    expect((await storedDocuments(h.db, user.id, 'workout')).size).toBe(0);
    expect((await storedDocuments(h.db, user.id, 'daily_activity')).size).toBe(
      h.simUser('demo').documents.daily_activity.size,
    );
    const state = (await getSyncStates(h.db, user.id)).find((s) => s.dataType === 'workout');
    expect(state?.lastError).toMatch(/scope_missing/);
  });

  it('progress events count windows and documents per type', async () => {
    h = await startSyncHarness({ days: DAYS });
    const user = await h.connect('demo');
    const events: SyncProgressEvent[] = [];
    const run = await h.sync(user.id, {
      types: ['sleep', 'heartrate'],
      onProgress: (e) => events.push(e),
    });
    const hr = events.filter((e) => e.dataType === 'heartrate');
    expect(hr[0]?.phase).toBe('pending');
    expect(hr.at(-1)?.phase).toBe('done');
    const fetching = hr.filter((e) => e.phase === 'fetching' && e.windowsDone > 0);
    expect(fetching.length).toBeGreaterThanOrEqual(4);
    expect(fetching.every((e) => e.etaSeconds !== null && e.windowsTotal >= e.windowsDone)).toBe(
      true,
    );
    const sleepDone = events.filter((e) => e.dataType === 'sleep').at(-1);
    expect(sleepDone?.documents).toBe(run.counts.sleep?.fetched);
  });

  it('without a ring set-up date the history start is found by probing years back', async () => {
    const dataset = generateDataset({ seed: 9, users: 1, days: 500 });
    for (const u of dataset) {
      for (const ring of u.documents.ring_configuration.values()) ring.set_up_at = null;
    }
    h = await startSyncHarness({ days: 500, users: 1, dataset });
    const user = await h.connect('demo');
    const run = await h.sync(user.id, { types: ['sleep', 'daily_sleep', 'ring_configuration'] });
    expect(run.status, run.message).toBe('succeeded');
    const firstDay = [...h.simUser('demo').documents.daily_activity.values()]
      .map((d) => String(d.day))
      .sort()[0];
    const states = await getSyncStates(h.db, user.id);
    expect(states.find((s) => s.dataType === 'sleep')?.backfillFrom).toBe(
      addDays(firstDay ?? '', -1),
    );
    // Two years with data, then two empty ones: four probes of daily_activity.
    expect(h.sim.stats.requests['/v2/usercollection/daily_activity']).toBe(4);
    const sleep = await storedDocuments(h.db, user.id, 'sleep');
    expect(sleep.size).toBe(h.simUser('demo').documents.sleep.size);
  });
});
