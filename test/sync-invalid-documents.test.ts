import { afterEach, describe, expect, it } from 'vitest';
import { getSyncStates } from '../src/db/syncState.ts';
import type { DataType } from '../src/oura/routes.ts';
import type { FaultCounter } from '../src/simulator/server/faults.ts';
import { addDays } from '../src/sync/days.ts';
import { getUserStatus } from '../src/sync/status.ts';
import { type SyncHarness, startSyncHarness, storedDocuments } from './support/syncHarness.ts';

/**
 * A document that fails validation, or a request that fails, on the first sync must never leave
 * a permanent gap: the history start is where the data starts, and a later run brings in every
 * document. The simulated user "alex" has two rings (set up years apart) and 90 days of data.
 */
const DAYS = 90;
const USER = 'alex';
const TYPES: DataType[] = ['ring_configuration', 'daily_activity', 'daily_sleep', 'sleep'];

let h: SyncHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The day before the first daily_activity document: where the history must start. */
function trueHistoryStart(harness: SyncHarness): string {
  const days = [...harness.simUser(USER).documents.daily_activity.values()].map((d) =>
    String(d.day),
  );
  return addDays(days.sort()[0] ?? '', -1);
}

async function expectComplete(harness: SyncHarness, userId: number) {
  const sim = harness.simUser(USER);
  for (const type of TYPES) {
    const stored = await storedDocuments(harness.db, userId, type);
    const expected = sim.documents[type as keyof typeof sim.documents];
    expect([...stored.keys()].sort(), type).toEqual([...expected.keys()].sort());
  }
  const start = trueHistoryStart(harness);
  for (const state of await getSyncStates(harness.db, userId)) {
    if (state.dataType === 'ring_configuration') continue;
    expect(state.backfillFrom, state.dataType).toBe(start);
  }
  const status = await getUserStatus(harness.db, { id: userId, name: USER });
  expect(status.types.filter((t) => t.invalidDocuments > 0)).toEqual([]);
}

describe('invalid documents never leave a gap', () => {
  it('a malformed older ring configuration on the first sync does not move the history start', async () => {
    h = await startSyncHarness({ days: DAYS });
    const user = await h.connect(USER);
    expect(h.simUser(USER).documents.ring_configuration.size).toBe(2);
    h.sim.faults.malformedType = 'ring_configuration';
    h.sim.faults.malformedNext = 1;
    const first = await h.sync(user.id, { types: TYPES });
    expect(first.status).toBe('partial');
    expect(first.counts.ring_configuration?.invalid).toBe(1);
    const states = await getSyncStates(h.db, user.id);
    expect(states.find((s) => s.dataType === 'daily_sleep')?.backfillFrom).toBe(
      trueHistoryStart(h),
    );
    // Kept raw with its error, counted where `status --json` and the Data page read it.
    const status = await getUserStatus(h.db, { id: user.id, name: USER });
    expect(status.types.find((t) => t.dataType === 'ring_configuration')?.invalidDocuments).toBe(1);

    const second = await h.sync(user.id, { types: TYPES });
    expect(second.status, second.message).toBe('succeeded');
    await expectComplete(h, user.id);
  });

  it('a malformed daily_sleep document at the start of the history is fetched again until it validates', async () => {
    h = await startSyncHarness({ days: DAYS });
    const user = await h.connect(USER);
    h.sim.faults.malformedType = 'daily_sleep';
    h.sim.faults.malformedNext = 1;
    const first = await h.sync(user.id, { types: TYPES });
    expect(first.status).toBe('partial');
    expect(first.counts.daily_sleep?.invalid).toBe(1);
    const sim = h.simUser(USER).documents.daily_sleep;
    expect((await storedDocuments(h.db, user.id, 'daily_sleep')).size).toBe(sim.size - 1);
    const status = await getUserStatus(h.db, { id: user.id, name: USER });
    expect(status.types.find((t) => t.dataType === 'daily_sleep')?.invalidDocuments).toBe(1);

    // Still malformed on the next run: kept aside again, not forgotten, cursor not past it.
    h.sim.faults.malformedNext = 1;
    const second = await h.sync(user.id, { types: TYPES });
    expect(second.counts.daily_sleep?.invalid).toBe(1);
    expect((await storedDocuments(h.db, user.id, 'daily_sleep')).size).toBe(sim.size - 1);

    const third = await h.sync(user.id, { types: TYPES });
    expect(third.status, third.message).toBe('succeeded');
    await expectComplete(h, user.id);
  });

  const cases: { fault: FaultCounter; type?: DataType }[] = [
    { fault: 'malformedNext' },
    { fault: 'malformedNext', type: 'daily_activity' },
    { fault: 'malformedNext', type: 'sleep' },
    { fault: 'fail5xxNext' },
    { fault: 'timeoutNext' },
    { fault: 'truncateNext' },
    { fault: 'rateLimitNext' },
    { fault: 'appUpdateNext' },
  ];
  for (const { fault, type } of cases) {
    it(`${fault}${type ? ` on ${type}` : ''} during the first sync: the next run leaves nothing missing`, async () => {
      h = await startSyncHarness({ days: DAYS }, undefined, { timeoutMs: 1500, maxRetries: 1 });
      const user = await h.connect(USER);
      if (type) h.sim.faults.malformedType = type;
      // Enough to outlast the retries: the first run must see the fault, not retry around it.
      h.sim.faults[fault] = fault === 'malformedNext' ? 1 : 2;
      await h.sync(user.id, { types: TYPES });
      h.sim.faults.reset();
      const second = await h.sync(user.id, { types: TYPES });
      expect(second.status, second.message).toBe('succeeded');
      await expectComplete(h, user.id);
    });
  }
});
