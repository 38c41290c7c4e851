import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLink } from '../src/accounts/links.ts';
import type {
  SyncStatusResponse,
  WorkoutDetailResponse,
  WorkoutsResponse,
} from '../src/api/types.ts';
import { createApp } from '../src/server/app.ts';
import { loginWithLink, type TestSession } from './support/auth.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

/**
 * What the Data and Workouts pages are told: time series counted as samples with their span,
 * workouts grouped exactly as listed, and a workout's heart rate from the stored series.
 */

const END = '2026-11-28';
let h: SyncHarness;
let app: FastifyInstance;
let a: TestSession;
let b: TestSession;
let aId = 0;

beforeAll(async () => {
  h = await startSyncHarness({ days: 45, endDate: END, users: 2 });
  const ua = await h.connect('demo');
  const ub = await h.connect('alex');
  aId = ua.id;
  expect((await h.sync(ua.id)).status).toBe('succeeded');
  expect((await h.sync(ub.id)).status).toBe('succeeded');
  app = await createApp({
    config: h.config,
    db: h.db,
    sync: h.ctx,
    webDir: null,
    today: () => END,
  });
  a = await loginWithLink(app, (await createLoginLink(h.db, ua.id, 'http://x')).url);
  b = await loginWithLink(app, (await createLoginLink(h.db, ub.id, 'http://x')).url);
}, 300_000);

afterAll(async () => {
  await app?.close();
  await h?.close();
});

describe('GET /api/sync/status', () => {
  it('counts heart rate and battery as samples with the span they cover, not as day documents', async () => {
    const status = (await a.inject('/api/sync/status')).json() as SyncStatusResponse;
    for (const [dataType, table] of [
      ['heartrate', 'heart_rate_sample'],
      ['ring_battery_level', 'battery_sample'],
    ] as const) {
      const row = status.dataTypes.find((t) => t.dataType === dataType);
      const stored = await h.db
        .selectFrom(table)
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.min('ts').as('first'),
          eb.fn.max('ts').as('last'),
        ])
        .where('user_id', '=', aId)
        .executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBeGreaterThan(row?.documents ?? 0);
      expect(row?.samples).toEqual({
        count: Number(stored.n),
        first: new Date(stored.first as Date).toISOString(),
        last: new Date(stored.last as Date).toISOString(),
      });
    }
    // Document types have no samples.
    expect(status.dataTypes.find((t) => t.dataType === 'sleep')?.samples).toBeNull();
  });
});

describe('GET /api/workouts', () => {
  it('groups by activity exactly the workouts it lists', async () => {
    const data = (await a.inject('/api/workouts?range=90d')).json() as WorkoutsResponse;
    expect(data.workouts.length).toBeGreaterThan(3);
    const counted: Record<string, number> = {};
    for (const w of data.workouts) counted[w.activity] = (counted[w.activity] ?? 0) + 1;
    expect(Object.fromEntries(data.byActivity.map((g) => [g.activity, g.count]))).toEqual(counted);
    // Oura's activity and start time, in the workout's own offset.
    const sim = h.simUser('demo');
    for (const w of data.workouts) {
      const doc = sim.documents.workout.get(w.id) as { activity: string; start_datetime: string };
      expect(w.activity).toBe(doc.activity);
      expect(Date.parse(w.start)).toBe(Date.parse(doc.start_datetime));
      expect(w.start.slice(11, 16)).toBe(doc.start_datetime.slice(11, 16));
    }
  });
});

describe('GET /api/workouts/:id', () => {
  it('gives the heart rate stored over the workout', async () => {
    const list = (await a.inject('/api/workouts?range=90d')).json() as WorkoutsResponse;
    let checked = 0;
    for (const w of list.workouts.slice(-5)) {
      const res = await a.inject(`/api/workouts/${encodeURIComponent(w.id)}`);
      expect(res.statusCode).toBe(200);
      const detail = res.json() as WorkoutDetailResponse;
      expect(detail.workout).toEqual(w);
      const samples = await h.db
        .selectFrom('heart_rate_sample')
        .select(['ts', 'bpm'])
        .where('user_id', '=', aId)
        .where('ts', '>=', new Date(w.start))
        .where('ts', '<=', new Date(w.end))
        .orderBy('ts')
        .execute();
      expect(detail.heartRate.map((s) => s.ts)).toEqual([
        ...new Set(samples.map((s) => s.ts.getTime())),
      ]);
      if (samples.length > 0) {
        checked++;
        const bpms = detail.heartRate.map((s) => s.bpm);
        expect(detail.heartRateSummary).toMatchObject({
          min: Math.min(...bpms),
          max: Math.max(...bpms),
        });
        // Exercise shows: the workout's peak is above a resting heart rate.
        expect(detail.heartRateSummary?.max).toBeGreaterThan(90);
      } else {
        expect(detail.heartRateSummary).toBeNull();
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("answers 404 for an unknown id and for another member's workout", async () => {
    const list = (await a.inject('/api/workouts?range=90d')).json() as WorkoutsResponse;
    const theirs = list.workouts[0]?.id ?? '';
    for (const [session, id] of [
      [a, 'no-such-workout'],
      [b, theirs],
    ] as const) {
      const res = await session.inject(`/api/workouts/${encodeURIComponent(id)}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('answers 400, never 500, for an id PostgreSQL could not take (a NUL byte, a quote)', async () => {
    for (const id of ['%00', 'a%00b', "x'%3B--", '%E2%80%AE', '..%2F..']) {
      const res = await a.inject(`/api/workouts/${id}`);
      expect(res.statusCode, id).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: expect.any(String) } });
    }
  });
});
