import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, OpenDatabase } from '../src/db/database.ts';
import {
  copyHeartRateSamples,
  markDocumentDeleted,
  type StoreResult,
  storeTimeSeries,
} from '../src/db/documents.ts';
import { fixture } from './fixtures/db/load.ts';
import { openTestDatabase } from './support/db.ts';

let database: OpenDatabase;
let db: Db;

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
});
afterAll(async () => {
  await database?.close();
});

let users = 0;
async function createUser(): Promise<number> {
  users++;
  return (
    await db
      .insertInto('app_user')
      .values({ name: `wearer-${users}` })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

const result = (r: Partial<StoreResult>): StoreResult => ({
  inserted: 0,
  updated: 0,
  unchanged: 0,
  invalid: 0,
  ...r,
});

async function heartRates(userId: number) {
  const rows = await db
    .selectFrom('heart_rate_sample')
    .select(['ts', 'bpm', 'source'])
    .where('user_id', '=', userId)
    .orderBy('ts')
    .orderBy('source')
    .execute();
  return rows.map((r) => `${r.ts.toISOString()} ${r.bpm} ${r.source}`);
}

async function rawDays(userId: number, dataType: string) {
  return db
    .selectFrom('raw_document')
    .select(['doc_id', 'day', 'utc_offset_minutes', 'document', 'fetched_at', 'deleted_at'])
    .where('user_id', '=', userId)
    .where('data_type', '=', dataType)
    .orderBy('doc_id')
    .execute();
}

/** Heart-rate rows in the spec's shape, every `stepSeconds` from `startIso`. */
function generateRows(startIso: string, count: number, stepSeconds: number) {
  const start = Date.parse(startIso);
  return Array.from({ length: count }, (_, i) => {
    const ms = start + i * stepSeconds * 1000;
    return {
      bpm: 50 + ((i * 13) % 60),
      source: i % 5 === 0 ? 'rest' : 'awake',
      timestamp: new Date(ms).toISOString().replace('.000Z', '+00:00'),
      timestamp_unix: ms,
    };
  });
}

describe('storeTimeSeries (heartrate)', () => {
  it('loads samples and keeps the rows raw, one document per UTC day; a second load changes nothing', async () => {
    const userId = await createUser();
    const rows = fixture('heartrate');
    expect(await storeTimeSeries(db, { userId, dataType: 'heartrate', rows })).toEqual(
      result({ inserted: 6 }),
    );
    expect(await heartRates(userId)).toEqual([
      '2024-03-11T05:55:00.000Z 58 awake',
      '2024-03-11T06:00:00.000Z 61 awake',
      '2024-03-11T17:05:00.000Z 124 workout',
      '2024-03-11T23:55:00.000Z 51 sleep',
      // Two sources at one instant are two samples.
      '2024-03-12T00:00:00.000Z 49 rest',
      '2024-03-12T00:00:00.000Z 49 sleep',
    ]);
    const raw = await rawDays(userId, 'heartrate');
    expect(raw.map((r) => [r.doc_id, r.day, r.utc_offset_minutes])).toEqual([
      ['2024-03-11', '2024-03-11', 0],
      ['2024-03-12', '2024-03-12', 0],
    ]);
    expect(raw[0]?.document).toEqual({ data: rows.slice(0, 4) });

    expect(
      await storeTimeSeries(db, { userId, dataType: 'heartrate', rows: fixture('heartrate') }),
    ).toEqual(result({ unchanged: 6 }));
    const again = await rawDays(userId, 'heartrate');
    expect(again.map((r) => r.fetched_at.getTime())).toEqual(
      raw.map((r) => r.fetched_at.getTime()),
    );
    expect(await heartRates(userId)).toHaveLength(6);
  });

  it('merges an overlapping fetch into the day documents and updates a changed sample', async () => {
    const userId = await createUser();
    await storeTimeSeries(db, { userId, dataType: 'heartrate', rows: fixture('heartrate') });
    const [, second, third] = fixture('heartrate');
    if (!second || !third) throw new Error('fixture too short');
    const changed = { ...second, bpm: 66 };
    const later = {
      bpm: 70,
      source: 'awake',
      timestamp: '2024-03-11T06:05:00+00:00',
      timestamp_unix: 1710137100000,
    };
    expect(
      await storeTimeSeries(db, { userId, dataType: 'heartrate', rows: [changed, third, later] }),
    ).toEqual(result({ inserted: 1, updated: 1, unchanged: 1 }));
    expect(await heartRates(userId)).toContain('2024-03-11T06:00:00.000Z 66 awake');
    expect(await heartRates(userId)).toContain('2024-03-11T06:05:00.000Z 70 awake');
    const [day] = await rawDays(userId, 'heartrate');
    const document = day?.document as { data: { timestamp: string; bpm: number }[] } | undefined;
    const data = document?.data ?? [];
    expect(data.map((r) => `${r.timestamp} ${r.bpm}`)).toEqual([
      '2024-03-11T05:55:00+00:00 58',
      '2024-03-11T06:00:00+00:00 66',
      '2024-03-11T06:05:00+00:00 70',
      '2024-03-11T17:05:00+00:00 124',
      '2024-03-11T23:55:00+00:00 51',
    ]);
  });

  it('records unreadable rows and stores the others', async () => {
    const userId = await createUser();
    const rows = [
      ...fixture('heartrate').slice(0, 2),
      { bpm: 'high', source: 'awake', timestamp: '2024-03-11T07:00:00+00:00' },
      { bpm: 60, source: 'awake', timestamp: 'yesterday' },
      { bpm: 99999, source: 'awake', timestamp: '2024-03-11T07:10:00+00:00' },
      { bpm: 60, source: 'awake', timestamp_unix: 1710141000000 },
      'not a row',
    ] as Record<string, unknown>[];
    expect(await storeTimeSeries(db, { userId, dataType: 'heartrate', rows })).toEqual(
      result({ inserted: 3, invalid: 4 }),
    );
    expect(await heartRates(userId)).toContain('2024-03-11T07:10:00.000Z 60 awake');
    const errors = await db
      .selectFrom('sync_error_document')
      .select(['doc_id', 'message'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    expect(errors).toEqual([
      {
        doc_id: '2024-03-11T07:00:00+00:00',
        message: 'heartrate row: bpm: expected an integer, got "high"',
      },
      {
        doc_id: 'yesterday',
        message: 'heartrate row: timestamp: expected an ISO 8601 date-time, got "yesterday"',
      },
      {
        doc_id: '2024-03-11T07:10:00+00:00',
        message: 'heartrate row: bpm: expected an integer from 0 to 32767, got 99999',
      },
      { doc_id: null, message: 'heartrate row: expected a JSON object' },
    ]);
  });

  it('ingests many days in bulk, idempotently', async () => {
    const userId = await createUser();
    const rows = generateRows('2024-01-01T00:00:30Z', 14_400, 60);
    expect(await storeTimeSeries(db, { userId, dataType: 'heartrate', rows })).toEqual(
      result({ inserted: 14_400 }),
    );
    expect(await storeTimeSeries(db, { userId, dataType: 'heartrate', rows })).toEqual(
      result({ unchanged: 14_400 }),
    );
    const { rows: counts } = await sql<{ n: number; days: number }>`
      SELECT (SELECT count(*)::int FROM heart_rate_sample WHERE user_id = ${userId}) AS n,
        (SELECT count(*)::int FROM raw_document WHERE user_id = ${userId}) AS days`.execute(db);
    expect(counts[0]).toEqual({ n: 14_400, days: 10 });
  });

  it('removes a deleted day and restores it when it comes back', async () => {
    const userId = await createUser();
    await storeTimeSeries(db, { userId, dataType: 'heartrate', rows: fixture('heartrate') });
    expect(
      await markDocumentDeleted(db, { userId, dataType: 'heartrate', docId: '2024-03-11' }),
    ).toBe(true);
    expect(await heartRates(userId)).toEqual([
      '2024-03-12T00:00:00.000Z 49 rest',
      '2024-03-12T00:00:00.000Z 49 sleep',
    ]);
    expect(
      await storeTimeSeries(db, { userId, dataType: 'heartrate', rows: fixture('heartrate') }),
    ).toEqual(result({ inserted: 4, unchanged: 2 }));
    expect((await rawDays(userId, 'heartrate')).map((r) => r.deleted_at)).toEqual([null, null]);
  });

  it('copies rows with COPY (the benchmark baseline) into the same table', async () => {
    const userId = await createUser();
    const other = await createUser();
    const rows = generateRows('2024-02-01T00:00:00Z', 3_000, 300);
    expect(await copyHeartRateSamples(database, userId, rows)).toBe(3_000);
    await storeTimeSeries(db, { userId: other, dataType: 'heartrate', rows });
    expect(await heartRates(userId)).toEqual(await heartRates(other));
  });
});

describe('storeTimeSeries (ring_battery_level)', () => {
  it('loads battery samples idempotently and updates a changed one', async () => {
    const userId = await createUser();
    const rows = fixture('ring_battery_level');
    expect(await storeTimeSeries(db, { userId, dataType: 'ring_battery_level', rows })).toEqual(
      result({ inserted: 3 }),
    );
    expect(
      await storeTimeSeries(db, {
        userId,
        dataType: 'ring_battery_level',
        rows: fixture('ring_battery_level'),
      }),
    ).toEqual(result({ unchanged: 3 }));
    const changed = fixture('ring_battery_level').map((r, i) =>
      i === 2 ? { ...r, charging: false } : r,
    );
    expect(
      await storeTimeSeries(db, { userId, dataType: 'ring_battery_level', rows: changed }),
    ).toEqual(result({ updated: 1, unchanged: 2 }));
    const samples = await db
      .selectFrom('battery_sample')
      .select(['ts', 'level', 'charging', 'in_charger'])
      .where('user_id', '=', userId)
      .orderBy('ts')
      .execute();
    expect(samples.map((s) => [s.ts.toISOString(), s.level, s.charging, s.in_charger])).toEqual([
      ['2024-03-11T06:00:00.000Z', 84, false, false],
      ['2024-03-11T20:00:00.000Z', 85, true, true],
      ['2024-03-12T01:00:00.000Z', 100, false, null],
    ]);
    expect((await rawDays(userId, 'ring_battery_level')).map((r) => r.doc_id)).toEqual([
      '2024-03-11',
      '2024-03-12',
    ]);
  });
});
