import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, OpenDatabase } from '../src/db/database.ts';
import { markDocumentDeleted, storeDocuments } from '../src/db/documents.ts';
import type { SleepNapView } from '../src/db/schema.ts';
import { fixture } from './fixtures/db/load.ts';
import { openTestDatabase } from './support/db.ts';

/**
 * The sleep-day model as the dashboard sees it: sleep_night (one main night per day) and
 * sleep_nap, over the periods in test/fixtures/db/sleep.json.
 */

const id = (n: number) =>
  `a1b2c3d4-${String(n).padStart(4, '0')}-4000-8000-${String(n).padStart(12, '0')}`;

let database: OpenDatabase;
let db: Db;
let userId: number;

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
  userId = (
    await db
      .insertInto('app_user')
      .values({ name: 'sleeper' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await storeDocuments(db, { userId, dataType: 'sleep', documents: fixture('sleep') });
});
afterAll(async () => {
  await database?.close();
});

async function nights() {
  const rows = await db
    .selectFrom('sleep_night')
    .select(['day', 'id', 'long_sleep_periods', 'utc_offset_minutes', 'end_utc_offset_minutes'])
    .where('user_id', '=', userId)
    .orderBy('day')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.day, r]));
}

async function naps() {
  return db
    .selectFrom('sleep_nap')
    .select(['day', 'id', 'type'])
    .where('user_id', '=', userId)
    .orderBy('day')
    .orderBy('bedtime_start')
    .execute();
}

describe('sleep-day model', () => {
  it('puts a night that crosses midnight on the day the person woke up', async () => {
    const night = (await nights())['2024-03-11'];
    expect(night).toMatchObject({ id: id(1), utc_offset_minutes: 60, end_utc_offset_minutes: 60 });
    expect((await nights())['2024-03-10']).toBeUndefined();
  });

  it('keeps naps out of the night; a late nap counts toward the next day', async () => {
    expect(await naps()).toEqual([
      { day: '2024-03-11', id: id(2), type: 'sleep' },
      { day: '2024-03-12', id: id(3), type: 'late_nap' },
      // Began 23:20 on the 14th and ended after midnight: still the day after the evening.
      { day: '2024-03-15', id: id(8), type: 'late_nap' },
    ]);
    expect((await nights())['2024-03-11']?.id).toBe(id(1));
  });

  it('takes the longest long_sleep when a night is split', async () => {
    expect((await nights())['2024-03-12']).toMatchObject({ id: id(5), long_sleep_periods: 2 });
  });

  it('never counts rest or deleted periods as sleep, but keeps them', async () => {
    const all = await nights();
    expect(all['2024-03-13']).toBeUndefined();
    expect(all['2024-03-14']).toBeUndefined();
    const kept = await db
      .selectFrom('sleep_period')
      .select(['id', 'type', 'counts_as_sleep', 'sleep_day', 'is_nap'])
      .where('user_id', '=', userId)
      .where('type', 'in', ['rest', 'deleted'])
      .orderBy('id')
      .execute();
    expect(kept).toEqual([
      { id: id(6), type: 'rest', counts_as_sleep: false, sleep_day: null, is_nap: false },
      { id: id(7), type: 'deleted', counts_as_sleep: false, sleep_day: null, is_nap: false },
    ]);
  });

  it('measures a DST night in real time and keeps both offsets', async () => {
    const night = await db
      .selectFrom('sleep_night')
      .selectAll()
      .where('user_id', '=', userId)
      .where('day', '=', '2024-03-31')
      .executeTakeFirstOrThrow();
    expect(night).toMatchObject({ id: id(9), utc_offset_minutes: 60, end_utc_offset_minutes: 120 });
    expect(night.bedtime_end.getTime() - night.bedtime_start.getTime()).toBe(7 * 3600_000);
    expect(night.time_in_bed).toBe(7 * 3600);
  });

  it("places a travel night on the traveller's local wake day, with the offset of the place", async () => {
    const all = await nights();
    expect(all['2024-04-06']).toMatchObject({ id: id(10), utc_offset_minutes: -240 });
    // Tokyo: woke 06:30 on the 8th local time, which is still the 7th in UTC.
    expect(all['2024-04-08']).toMatchObject({ id: id(11), utc_offset_minutes: 540 });
    expect(all['2024-04-07']).toBeUndefined();
    // An overnight flight: bedtime in Berlin, wake-up in New York.
    expect(all['2024-05-02']).toMatchObject({
      id: id(12),
      utc_offset_minutes: 120,
      end_utc_offset_minutes: -240,
    });
  });

  it('answers a date-range query with one row per night', async () => {
    const rows = await db
      .selectFrom('sleep_night')
      .select(['day', 'total_sleep_duration'])
      .where('user_id', '=', userId)
      .where('day', '>=', '2024-03-10')
      .where('day', '<=', '2024-03-15')
      .orderBy('day')
      .execute();
    expect(rows).toEqual([
      { day: '2024-03-11', total_sleep_duration: 25800 },
      { day: '2024-03-12', total_sleep_duration: 15600 },
    ]);
  });

  it('exposes the columns schema.ts declares for the views', async () => {
    const night = await db
      .selectFrom('sleep_night')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    const nap = await db
      .selectFrom('sleep_nap')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    // Every declared column, and only those (the compiler checks this list against schema.ts).
    const declared: Record<keyof SleepNapView, true> = {
      user_id: true,
      day: true,
      id: true,
      oura_day: true,
      type: true,
      period: true,
      bedtime_start: true,
      bedtime_end: true,
      utc_offset_minutes: true,
      end_utc_offset_minutes: true,
      time_in_bed: true,
      total_sleep_duration: true,
      deep_sleep_duration: true,
      light_sleep_duration: true,
      rem_sleep_duration: true,
      awake_time: true,
      latency: true,
      efficiency: true,
      restless_periods: true,
      average_breath: true,
      average_heart_rate: true,
      lowest_heart_rate: true,
      average_hrv: true,
      low_battery_alert: true,
      sleep_phase_5_min: true,
      sleep_phase_30_sec: true,
      movement_30_sec: true,
      heart_rate_interval: true,
      heart_rate_start: true,
      heart_rate_items: true,
      hrv_interval: true,
      hrv_start: true,
      hrv_items: true,
      readiness_score: true,
      readiness_temperature_deviation: true,
      readiness_temperature_trend_deviation: true,
    };
    const columns = Object.keys(declared).sort();
    expect(Object.keys(nap).sort()).toEqual(columns);
    expect(Object.keys(night).sort()).toEqual([...columns, 'long_sleep_periods'].sort());
  });

  it('drops a night the person deleted upstream', async () => {
    expect(await markDocumentDeleted(db, { userId, dataType: 'sleep', docId: id(1) })).toBe(true);
    expect((await nights())['2024-03-11']).toBeUndefined();
    expect((await naps()).map((n) => n.id)).toContain(id(2));
  });
});
