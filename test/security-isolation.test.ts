import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLink } from '../src/accounts/links.ts';
import type { MeResponse, NightResponse } from '../src/api/types.ts';
import { addDays } from '../src/insights/days.ts';
import { createApp } from '../src/server/app.ts';
import { loginWithLink, type TestSession } from './support/auth.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

/**
 * Break-in attempts between two household members with synced data: user A must never see
 * B's nights, trends, heart rate, workouts, coverage or sync state, whatever the URL says; and no
 * parameter reaches SQL as code.
 */

const END = '2026-11-28';
const DAY = addDays(END, -3);
let h: SyncHarness;
let app: FastifyInstance;
let a: TestSession;
let b: TestSession;
let bId = 0;

/** Every GET route of the dashboard API that returns a user's data. */
const DATA_URLS = [
  '/api/me',
  '/api/nights/latest',
  `/api/nights/${DAY}`,
  `/api/trends/sleep_score?range=30d&end=${END}`,
  `/api/trends/resting_heart_rate/weekdays?range=30d&end=${END}`,
  `/api/stages?range=30d&end=${END}`,
  `/api/timing?range=30d&end=${END}`,
  `/api/heartrate?day=${DAY}`,
  `/api/workouts?range=30d&end=${END}`,
  `/api/coverage?range=30d&end=${END}`,
  '/api/sync/status',
  '/api/sync/progress',
  '/api/webhooks/health',
  '/api/export',
  `/api/insights/signals?range=30d&end=${END}`,
  `/api/insights/debt?day=${END}`,
  `/api/insights/regularity?day=${END}`,
  `/api/insights/week?day=${END}`,
  '/api/insights/settings',
];

/** Volatile fields (timestamps relative to now, CSRF tokens) left out of comparisons. */
function stable(body: string): string {
  return body
    .replace(/"csrfToken":"[^"]*"/, '')
    .replace(/"(lastSuccessAt|startedAt|finishedAt)":"[^"]*"/g, '');
}

beforeAll(async () => {
  h = await startSyncHarness({ days: 40, endDate: END, users: 2 });
  const ua = await h.connect('demo');
  const ub = await h.connect('alex');
  bId = ub.id;
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

describe("one member cannot read another's data", () => {
  it('shows each user their own night (checked against the simulator)', async () => {
    for (const [session, name] of [
      [a, 'demo'],
      [b, 'alex'],
    ] as const) {
      const night = await session.get<NightResponse>(`/api/nights/${DAY}`);
      const doc = [...h.simUser(name).documents.sleep.values()].find(
        (d) => d.day === DAY && d.type === 'long_sleep',
      );
      expect(night.night?.totalSleep, name).toBe(doc?.total_sleep_duration);
    }
    const na = await a.get<NightResponse>(`/api/nights/${DAY}`);
    const nb = await b.get<NightResponse>(`/api/nights/${DAY}`);
    expect(na.night?.id).not.toBe(nb.night?.id);
  });

  it('ignores or rejects every attempt to name another user in the URL', async () => {
    for (const url of DATA_URLS) {
      const own = await a.inject(url);
      expect(own.statusCode, url).toBe(200);
      const theirs = await b.inject(url);
      const sep = url.includes('?') ? '&' : '?';
      for (const extra of [
        `user=${bId}`,
        `userId=${bId}`,
        `user_id=${bId}`,
        'user=alex',
        `uid=${bId}&userName=alex`,
      ]) {
        const res = await a.inject(`${url}${sep}${extra}`);
        // Unknown parameters are either refused or have no effect: never B's answer.
        if (res.statusCode === 200) {
          expect(stable(res.body), `${url}${sep}${extra}`).toBe(stable(own.body));
        } else {
          expect(res.statusCode, `${url}${sep}${extra}`).toBe(400);
        }
        if (url !== '/api/sync/progress' && stable(theirs.body) !== stable(own.body)) {
          expect(stable(res.body)).not.toBe(stable(theirs.body));
        }
      }
      // Headers cannot switch the user either.
      const viaHeader = await a.inject({
        url,
        headers: { 'x-user-id': String(bId), 'x-user': 'alex' },
      });
      expect(stable(viaHeader.body), url).toBe(stable(own.body));
    }
  });

  it("changes only one's own insight settings", async () => {
    const res = await a.inject({
      method: 'PUT',
      url: '/api/insights/settings',
      payload: { sleepNeedMinutes: 500, workDays: [1, 2, 3] },
    });
    expect(res.statusCode).toBe(200);
    expect(await a.get('/api/insights/settings')).toEqual({
      sleepNeedMinutes: 500,
      workDays: [1, 2, 3],
    });
    expect(await b.get('/api/insights/settings')).toEqual({
      sleepNeedMinutes: null,
      workDays: [1, 2, 3, 4, 5],
    });
  });

  it('answers the owner-only routes with 403 for a member', async () => {
    for (const [method, url] of [
      ['GET', '/api/members'],
      ['GET', '/api/audit'],
      ['POST', '/api/members/invites'],
      ['DELETE', `/api/members/${bId}`],
    ] as const) {
      expect((await a.inject({ method, url })).statusCode, url).toBe(403);
    }
  });

  it('a session only ever syncs its own user', async () => {
    const started = await a.inject({ method: 'POST', url: '/api/sync' });
    expect(started.statusCode).toBe(202);
    expect(await b.get('/api/sync/progress')).toBeNull();
    for (let i = 0; i < 300; i++) {
      const job = await a.get<{ state: string } | null>('/api/sync/progress');
      if (job?.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const runs = await h.db.selectFrom('sync_run').select(['user_id', 'trigger']).execute();
    expect(runs.filter((r) => r.trigger === 'api').every((r) => r.user_id !== bId)).toBe(true);
  });
});

describe('SQL metacharacters in every parameter', () => {
  const NASTY = [
    "' OR '1'='1",
    '1; DROP TABLE app_user; --',
    "2026-01-01' UNION SELECT * FROM auth_session --",
    '"; SELECT pg_sleep(1); --',
    '%27%20OR%201=1',
    '\\',
    '$1',
    '😀',
  ];

  it('answers 400 or 404 with the error shape, never 500, and no table is harmed', async () => {
    const templates = [
      (v: string) => `/api/nights/${v}`,
      (v: string) => `/api/trends/${v}`,
      (v: string) => `/api/trends/sleep_score?range=${v}`,
      (v: string) => `/api/trends/sleep_score?end=${v}`,
      (v: string) => `/api/trends/${v}/weekdays`,
      (v: string) => `/api/stages?end=${v}`,
      (v: string) => `/api/timing?range=${v}`,
      (v: string) => `/api/heartrate?day=${v}`,
      (v: string) => `/api/workouts?end=${v}`,
      (v: string) => `/api/coverage?start=${v}`,
      (v: string) => `/api/export?types=${v}`,
      (v: string) => `/api/invites/${v}`,
      (v: string) => `/login/link?token=${v}`,
      (v: string) => `/oauth/callback?code=${v}&state=${v}`,
    ];
    for (const value of NASTY) {
      for (const t of templates) {
        const url = t(encodeURIComponent(value));
        const res = await a.inject(url);
        expect(res.statusCode, url).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect((res.json() as { error: { code: string } }).error.code, url).toBeTruthy();
        }
      }
      for (const [url, payload] of [
        ['/api/auth/login', { name: value, password: value }],
        ['/api/auth/setup', { name: value, password: `${value}-long-enough` }],
        [
          '/api/auth/accept-invite',
          { token: value, name: value, password: `${value}-long-enough` },
        ],
        ['/api/oura/disconnect', { deleteData: value }],
      ] as const) {
        const res = await a.inject({ method: 'POST', url, payload });
        expect(res.statusCode, `${url} ${value}`).toBeLessThan(500);
      }
      const del = await a.inject({
        method: 'DELETE',
        url: `/api/members/${encodeURIComponent(value)}`,
      });
      expect(del.statusCode).toBeLessThan(500);
    }
    const users = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app_user`.execute(h.db);
    expect(users.rows[0]?.n).toBe(2);
    expect((await a.get<MeResponse>('/api/me')).user?.name).toBe('demo');
  }, 120_000);
});
