import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  MeResponse,
  RegularityResponse,
  SignalsResponse,
  SleepDebtResult,
  WeekReport,
} from '../src/api/types.ts';
import { loadConfig } from '../src/config/env.ts';
import type { OpenDatabase } from '../src/db/database.ts';
import { createApp } from '../src/server/app.ts';
import { anonymous, login } from './support/auth.ts';
import { openTestDatabase } from './support/db.ts';

/** A fresh install: no user, no data, no sync configured; and the built dashboard's serving. */

let database: OpenDatabase;
let app: FastifyInstance;
let webDir: string;

beforeAll(async () => {
  database = await openTestDatabase();
  webDir = await mkdtemp(join(tmpdir(), 'snowtorch-web-'));
  await writeFile(
    join(webDir, 'index.html'),
    '<!doctype html><title>Snowtorch</title><div id="app"></div>',
  );
  await writeFile(join(webDir, 'app.js'), 'console.log(1)');
  app = await createApp({ config: loadConfig({}), db: database.db, webDir });
});

afterAll(async () => {
  await app?.close();
  await database?.close();
  await rm(webDir, { recursive: true, force: true });
});

describe('dashboard API before the first sync', () => {
  it('asks for the owner account first, and shows no data to anyone before login', async () => {
    const me = (await app.inject('/api/me')).json() as MeResponse;
    expect(me.user).toBeNull();
    expect(me.setupNeeded).toBe(true);
    expect(me.lastNight).toBeNull();
    expect(me.connection.status).toBe('none');
    expect(me.oauthAvailable).toBe(false);
    const night = await app.inject('/api/nights/latest');
    expect(night.statusCode).toBe(401);
    expect(night.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('refuses "Sync now" without a login (and without a CSRF token)', async () => {
    const bare = await app.inject({ method: 'POST', url: '/api/sync' });
    expect(bare.statusCode).toBe(403);
    expect(bare.json()).toMatchObject({ error: { code: 'csrf_failed' } });
    const anon = await anonymous(app);
    const res = await anon.inject({ method: 'POST', url: '/api/sync' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    expect((await app.inject('/api/sync/progress')).statusCode).toBe(401);
  });

  it('answers "Sync now" with a clear reason when sync is not configured', async () => {
    const owner = await anonymous(app);
    const setup = await owner.inject({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { name: 'owner', password: 'a long enough password' },
    });
    expect(setup.statusCode).toBe(200);
    owner.csrf = (setup.json() as { csrfToken: string }).csrfToken;
    const res = await owner.inject({ method: 'POST', url: '/api/sync' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: { code: 'sync_unavailable' } });
    expect((await owner.inject('/api/sync/progress')).json()).toBeNull();
  });

  it('answers the insights without data by refusing to conclude', async () => {
    const owner = await login(app, 'owner', 'a long enough password');
    const signals = await owner.get<SignalsResponse>('/api/insights/signals?range=30d');
    expect(signals.days).toEqual([]);
    expect(signals.episodes).toEqual([]);
    const debt = await owner.get<SleepDebtResult>('/api/insights/debt');
    expect(debt.debtMinutes).toBeNull();
    expect(debt.need.source).toBe('default');
    expect(debt.bedtime).toBeNull();
    expect(debt.message).toMatch(/Not enough nights/);
    const regularity = await owner.get<RegularityResponse>('/api/insights/regularity');
    expect(regularity.sri.every((w) => w.sri === null && w.pairs === 0)).toBe(true);
    expect(regularity.chronotype.socialJetlag).toBeNull();
    const week = await owner.get<WeekReport>('/api/insights/week');
    expect(week.nights).toBe(0);
    expect(week.metrics.every((m) => m.delta === null && m.n === 0)).toBe(true);
    expect(week.best).toBeNull();
  });

  it('serves the dashboard at every page URL, and JSON errors under /api', async () => {
    for (const url of ['/', '/night/2026-01-31', '/trends?metric=steps']) {
      const page = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('<div id="app">');
    }
    const asset = await app.inject('/app.js');
    expect(asset.statusCode).toBe(200);
    // Under /api a browser gets JSON, never the page (and nothing at all before login).
    const api = await app.inject({ url: '/api/unknown', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(401);
    expect(api.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('is ready once migrated', async () => {
    expect((await app.inject('/readyz')).json()).toEqual({ status: 'ready' });
  });
});
