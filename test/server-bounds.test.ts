import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoverageResponse, TrendResponse, WorkoutsResponse } from '../src/api/types.ts';
import { openDatabase } from '../src/db/database.ts';
import { addDays, daysBetween } from '../src/insights/days.ts';
import { createApp } from '../src/server/app.ts';
import { MAX_RANGE_DAYS } from '../src/server/ranges.ts';
import { setupOwner, type TestSession } from './support/auth.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';
import { testDatabaseKind, testPostgresBaseUrl } from './support/testDatabaseKind.ts';

/**
 * Day and range parameters are bounded before any work starts: `end` far in the future is
 * clamped to today (in the user's zone, at most one day past the UTC day), `all` spans at most
 * MAX_RANGE_DAYS, and days that are not real calendar days are refused with 400.
 */

const END = '2026-11-28';
let h: SyncHarness;
let app: FastifyInstance;
let user: TestSession;
let empty: TestSession;

beforeAll(async () => {
  h = await startSyncHarness({ days: 30, endDate: END, users: 1 });
  const synced = await h.connect(h.sim.users[0]?.name ?? 'demo');
  expect((await h.sync(synced.id)).status).toBe('succeeded');
  app = await createApp({ config: h.config, db: h.db, webDir: null, today: () => END });
  user = await setupOwner(app, synced.name);
  const invite = await user.inject({ method: 'POST', url: '/api/members/invites' });
  const token = new URL((invite.json() as { url: string }).url).pathname.split('/').at(-1);
  const { anonymous } = await import('./support/auth.ts');
  empty = await anonymous(app);
  const joined = await empty.inject({
    method: 'POST',
    url: '/api/auth/accept-invite',
    payload: { token, name: 'nodata', password: 'correct horse battery staple' },
  });
  expect(joined.statusCode, joined.body).toBe(200);
  empty.csrf = (joined.json() as { csrfToken: string }).csrfToken;
}, 300_000);

afterAll(async () => {
  await app?.close();
  await h?.close();
});

describe('end and range are bounded', () => {
  it('answers workouts ending in year 9999 for a user with no data, up to today', async () => {
    const res = await empty.get<WorkoutsResponse>('/api/workouts?range=7d&end=9999-12-31');
    expect(res.range.to).toBe(addDays(END, 1));
    expect(res.weeks.length).toBeLessThanOrEqual(2);
  });

  it('clamps trends, coverage and workouts over "all" ending in 9999 to the stored span', async () => {
    const trend = await user.get<TrendResponse>('/api/trends/sleep_score?range=all&end=9999-12-31');
    expect(trend.range.to).toBe(addDays(END, 1));
    expect(trend.days.length).toBeLessThanOrEqual(40);
    const coverage = await user.get<CoverageResponse>('/api/coverage?range=all&end=9999-12-31');
    expect(coverage.to).toBe(addDays(END, 1));
    expect(coverage.days.length).toBeLessThanOrEqual(40);
    const res = await user.inject('/api/workouts?range=all&end=9999-12-25');
    expect(res.statusCode).toBe(200);
    expect(res.body.length).toBeLessThan(100_000);
  });

  it('never spans more than MAX_RANGE_DAYS, even for a user with no stored span', async () => {
    const coverage = await empty.get<CoverageResponse>('/api/coverage?range=all&end=2026-01-01');
    expect(daysBetween(coverage.from, coverage.to) + 1).toBeLessThanOrEqual(MAX_RANGE_DAYS);
    const far = await user.get<TrendResponse>('/api/trends/average_hrv?range=1y&end=1970-01-01');
    expect(far.range).toMatchObject({ from: '1969-01-02', to: '1970-01-01' });
  });

  it('refuses days that are not real calendar days with 400 and the JSON error shape', async () => {
    for (const url of [
      '/api/trends/sleep_score?end=2026-02-29',
      '/api/trends/sleep_score?end=0000-01-01',
      '/api/workouts?end=2026-13-01',
      '/api/coverage?end=1969-12-31',
      '/api/nights/2025-02-29',
      '/api/nights/0000-01-01',
      '/api/heartrate?day=2026-04-31',
    ]) {
      const res = await user.inject(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ error: { code: 'invalid_request' } });
    }
    // A real leap day is fine.
    expect((await user.inject('/api/trends/sleep_score?end=2024-02-29')).statusCode).toBe(200);
  });
});

describe('time budget', () => {
  it('answers 503 timeout in the JSON error shape when a request runs past its budget', async () => {
    const quick = await createApp({
      config: h.config,
      db: h.db,
      webDir: null,
      today: () => END,
      requestBudgetMs: 300,
      responseCache: false,
    });
    // Another transaction holds the session table: the request cannot finish until it ends.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = h.db.transaction().execute(async (trx) => {
      await sql`lock table auth_session in access exclusive mode`.execute(trx);
      locked();
      await held;
    });
    await isLocked;
    try {
      const res = await quick.inject({
        url: '/api/coverage',
        headers: { cookie: `snowtorch_session=${user.cookies.snowtorch_session}` },
      });
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'timeout' } });
    } finally {
      release();
      await holder;
    }
    expect((await quick.inject('/healthz')).statusCode).toBe(200);
    await quick.close();
  });

  it.skipIf(testDatabaseKind() !== 'postgres')(
    'cancels a PostgreSQL statement that runs past the statement timeout',
    async () => {
      const database = await openDatabase(
        { kind: 'postgres', connectionString: testPostgresBaseUrl(), ssl: false },
        { poolSize: 1, statementTimeoutMs: 100 },
      );
      try {
        await expect(sql`select pg_sleep(30)`.execute(database.db)).rejects.toMatchObject({
          code: '57014',
        });
      } finally {
        await database.close();
      }
    },
  );
});
