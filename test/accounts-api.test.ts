import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLink } from '../src/accounts/links.ts';
import type { MeResponse, NightResponse, SyncJobView } from '../src/api/types.ts';
import { listAudit } from '../src/db/auditLog.ts';
import { getConnection } from '../src/db/connections.ts';
import { createApp } from '../src/server/app.ts';
import {
  addMember,
  anonymous,
  login,
  PASSWORD,
  setupOwner,
  type TestSession,
  useLoginLink,
} from './support/auth.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

/**
 * Accounts over the API: first-start setup, login, lockout, invites, one-time login links, and
 * "Connect Oura" in the browser flow against the simulator's real OAuth endpoints.
 */

const END = '2026-11-28';
let h: SyncHarness;
let app: FastifyInstance;
let owner: TestSession;

beforeAll(async () => {
  h = await startSyncHarness({ days: 20, endDate: END, users: 3, autoApprove: true });
  app = await createApp({
    config: h.config,
    db: h.db,
    sync: h.ctx,
    webDir: null,
    today: () => END,
  });
}, 300_000);

afterAll(async () => {
  await app?.close();
  await h?.close();
});

/** Follows "Connect Oura" through the simulator's authorize endpoint; returns the callback path. */
async function authorize(session: TestSession, simUser: string, redirectOverride?: string) {
  const res = await session.inject({ method: 'POST', url: '/api/oura/connect' });
  expect(res.statusCode, res.body).toBe(200);
  const { authorizeUrl } = res.json() as { authorizeUrl: string };
  const url = new URL(authorizeUrl);
  expect(url.searchParams.get('redirect_uri')).toBe(h.config.oura.redirectUri);
  url.searchParams.set('user', simUser);
  if (redirectOverride) url.searchParams.set('redirect_uri', redirectOverride);
  const answer = await fetch(url, { redirect: 'manual' });
  expect(answer.status).toBe(302);
  const location = new URL(answer.headers.get('location') ?? '');
  return { path: `/oauth/callback${location.search}`, state: location.searchParams.get('state') };
}

async function waitForSync(session: TestSession): Promise<SyncJobView | null> {
  let job: SyncJobView | null = null;
  for (let i = 0; i < 600; i++) {
    job = await session.get<SyncJobView | null>('/api/sync/progress');
    if (job?.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  return job;
}

describe('accounts', () => {
  it('creates the owner on first start, once, with a real password', async () => {
    const anon = await anonymous(app);
    expect((await anon.get<MeResponse>('/api/me')).setupNeeded).toBe(true);
    const weak = await anon.inject({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { name: 'olga', password: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ error: { code: 'weak_password' } });
    owner = await setupOwner(app, 'olga');
    const me = await owner.get<MeResponse>('/api/me');
    expect(me.user).toMatchObject({ name: 'olga', role: 'owner', hasPassword: true });
    expect(me.setupNeeded).toBe(false);
    const again = await (await anonymous(app)).inject({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { name: 'mallory', password: PASSWORD },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'setup_done' } });
  });

  it('logs in and out; a wrong password gets one message whether or not the name exists', async () => {
    const anon = await anonymous(app);
    for (const name of ['olga', 'nobody']) {
      const bad = await anon.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { name, password: 'wrong password!' },
      });
      expect(bad.statusCode).toBe(401);
      expect(bad.json()).toMatchObject({
        error: { code: 'invalid_credentials', message: 'Wrong name or password.' },
      });
    }
    const s = await login(app, 'olga');
    expect((await s.get<MeResponse>('/api/me')).user?.name).toBe('olga');
    expect((await s.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(200);
    expect((await s.get<MeResponse>('/api/me')).user).toBeNull();
    expect((await s.inject('/api/coverage')).statusCode).toBe(401);
    const events = (await listAudit(h.db)).map((e) => e.event);
    expect(events).toEqual(expect.arrayContaining(['setup', 'login', 'login_failed', 'logout']));
  });

  it('locks an account after 5 failed logins with a clear message and Retry-After', async () => {
    await addMember(app, owner, 'lockme');
    const anon = await anonymous(app);
    for (let i = 0; i < 5; i++) {
      const res = await anon.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { name: 'lockme', password: `wrong-${i}-password` },
      });
      expect(res.statusCode).toBe(401);
    }
    const locked = await anon.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'lockme', password: PASSWORD },
    });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    const body = locked.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('account_locked');
    expect(body.error.message).toMatch(
      /Too many failed logins for this account\. Try again in 15 minutes/,
    );
    // Other accounts are not affected.
    expect((await login(app, 'olga')).csrf).toBeTruthy();
  });

  it('invites members with one-time links; members cannot manage members', async () => {
    const member = await addMember(app, owner, 'mia');
    const me = await member.get<MeResponse>('/api/me');
    expect(me.user).toMatchObject({ name: 'mia', role: 'member' });
    expect((await member.inject('/api/members')).statusCode).toBe(403);
    expect((await member.inject({ method: 'POST', url: '/api/members/invites' })).statusCode).toBe(
      403,
    );
    // An invite works once.
    const invite = await owner.inject({ method: 'POST', url: '/api/members/invites' });
    const token = new URL((invite.json() as { url: string }).url).pathname.split('/').at(-1) ?? '';
    expect((await owner.get<{ valid: boolean }>(`/api/invites/${token}`)).valid).toBe(true);
    const first = await anonymous(app);
    const join = await first.inject({
      method: 'POST',
      url: '/api/auth/accept-invite',
      payload: { token, name: 'noah', password: PASSWORD },
    });
    expect(join.statusCode).toBe(200);
    const second = await anonymous(app);
    const reuse = await second.inject({
      method: 'POST',
      url: '/api/auth/accept-invite',
      payload: { token, name: 'nina', password: PASSWORD },
    });
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json()).toMatchObject({ error: { code: 'invite_invalid' } });
    const members = await owner.get<{ members: { name: string }[] }>('/api/members');
    expect(members.members.map((m) => m.name)).toEqual(
      expect.arrayContaining(['olga', 'mia', 'noah']),
    );
  });

  it('lets a password-less user (made by connect/demo) in only through a one-time login link', async () => {
    const user = await h.connect('sam');
    const anon = await anonymous(app);
    const noPassword = await anon.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'sam', password: '' },
    });
    expect(noPassword.statusCode).toBe(400);
    const guess = await anon.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'sam', password: PASSWORD },
    });
    expect(guess.statusCode).toBe(401);
    const link = await createLoginLink(h.db, user.id, 'http://127.0.0.1:3000');
    const path = new URL(link.url);
    // Opening the link (a GET, as a link-preview bot would) only shows a page with a button.
    const preview = await (await anonymous(app)).inject(`${path.pathname}${path.search}`);
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['content-type']).toContain('text/html');
    expect(preview.body).toContain('<form method="post" action="/login/link">');
    expect(preview.cookies.find((c) => c.name === 'snowtorch_session')).toBeUndefined();
    // A cross-site form post carries the token but not this browser's CSRF cookie.
    const forged = await app.inject({
      method: 'POST',
      url: '/login/link',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${path.searchParams.get('token')}&csrf=${'A'.repeat(43)}`,
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.cookies.find((c) => c.name === 'snowtorch_session')).toBeUndefined();
    const used = await useLoginLink(anon, link.url);
    expect(used.statusCode).toBe(303);
    expect(used.headers.location).toBe('/night');
    const me = await anon.get<MeResponse>('/api/me');
    expect(me.user).toMatchObject({ name: 'sam', hasPassword: false });
    anon.csrf = me.csrfToken;
    const replay = await (await anonymous(app)).inject(`${path.pathname}${path.search}`);
    expect(replay.headers.location).toBe('/login?link=invalid');
    // Sets a password for next time.
    const set = await anon.inject({
      method: 'POST',
      url: '/api/auth/password',
      payload: { newPassword: 'sams own password' },
    });
    expect(set.statusCode).toBe(200);
    expect((await login(app, 'sam', 'sams own password')).csrf).toBeTruthy();
  });
});

describe('Connect Oura in the browser flow', () => {
  let alex: TestSession;

  it('connects with state checked, shows the granted scopes and backfills with progress', async () => {
    alex = await addMember(app, owner, 'alex');
    const { path } = await authorize(alex, 'alex');
    const callback = await alex.inject(path);
    expect(callback.statusCode).toBe(303);
    expect(callback.headers.location).toBe('/data?oauth=connected');
    const me = await alex.get<MeResponse>('/api/me');
    expect(me.connection.status).toBe('active');
    expect(me.connection.scopes).toEqual(expect.arrayContaining(['daily', 'heartrate']));
    expect(me.dataTypes.granted).toEqual(expect.arrayContaining(['sleep', 'heartrate']));
    const job = await waitForSync(alex);
    expect(job?.state).toBe('succeeded');
    const night = await alex.get<NightResponse>('/api/nights/latest');
    const expected = [...h.simUser('alex').documents.sleep.values()].find(
      (d) => d.day === night.day && d.type === 'long_sleep',
    );
    expect(night.night?.totalSleep).toBe(expected?.total_sleep_duration);
    const events = (await listAudit(h.db)).map((e) => e.event);
    expect(events).toContain('connect');
  });

  it('refuses a callback whose state is missing, reused or from another session', async () => {
    const { path } = await authorize(alex, 'alex');
    // Replayed into another session (the attacker's code in the victim's browser).
    const other = await login(app, 'olga');
    const forged = await other.inject(path);
    expect(forged.headers.location).toBe('/data?oauth=state_mismatch');
    // The state was spent by that attempt: the rightful session cannot reuse it either.
    expect((await alex.inject(path)).headers.location).toBe('/data?oauth=state_mismatch');
    const none = await alex.inject('/oauth/callback?code=abc');
    expect(none.headers.location).toBe('/data?oauth=state_mismatch');
    expect(
      await getConnection(h.db, (await other.get<MeResponse>('/api/me')).user?.id ?? 0),
    ).toBeUndefined();
  });

  it('connects nothing when the person declines at Oura', async () => {
    const { state } = await authorize(alex, 'alex');
    const res = await alex.inject(`/oauth/callback?error=access_denied&state=${state}`);
    expect(res.headers.location).toBe('/data?oauth=denied');
  });

  it('fails cleanly when the code was issued for another redirect URI', async () => {
    const { path } = await authorize(alex, 'alex', 'http://127.0.0.1:9/elsewhere');
    const res = await alex.inject(path);
    expect(res.headers.location).toBe('/data?oauth=exchange_failed');
  });

  it('marks a revoked grant "reconnect needed"', async () => {
    h.sim.revokeUser('alex');
    // "Sync now" from the dashboard: the app sees the refused refresh as soon as the run ends.
    const started = await alex.inject({ method: 'POST', url: '/api/sync' });
    expect(started.statusCode, started.body).toBeLessThan(300);
    await waitForSync(alex);
    const me = await alex.get<MeResponse>('/api/me');
    expect(me.connection.status).toBe('reconnect_needed');
    // Reconnecting restores it.
    const { path } = await authorize(alex, 'alex');
    expect((await alex.inject(path)).headers.location).toBe('/data?oauth=connected');
    await waitForSync(alex);
    expect((await alex.get<MeResponse>('/api/me')).connection.status).toBe('active');
  }, 60_000);

  it('disconnects: revokes at Oura, deletes the tokens, and on request the data', async () => {
    const user = (await alex.get<MeResponse>('/api/me')).user;
    const before = await getConnection(h.db, user?.id ?? 0);
    expect(before?.status).toBe('active');
    const res = await alex.inject({
      method: 'POST',
      url: '/api/oura/disconnect',
      payload: { deleteData: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ revoked: true, deletedData: true });
    expect(await getConnection(h.db, user?.id ?? 0)).toBeUndefined();
    const me = await alex.get<MeResponse>('/api/me');
    expect(me.connection.status).toBe('none');
    expect(me.lastNight).toBeNull();
    const rows = await h.db
      .selectFrom('raw_document')
      .select('doc_id')
      .where('user_id', '=', user?.id ?? 0)
      .execute();
    expect(rows).toHaveLength(0);
    expect((await listAudit(h.db)).map((e) => e.event)).toContain('disconnect');
  });

  it('lets the owner remove a member with their data; their session ends', async () => {
    const member = await addMember(app, owner, 'leo');
    // That Oura account belongs to another Snowtorch user already.
    const taken = await authorize(member, 'sam');
    expect((await member.inject(taken.path)).headers.location).toBe(
      '/data?oauth=already_connected',
    );
    const { path } = await authorize(member, 'demo');
    expect((await member.inject(path)).headers.location).toBe('/data?oauth=connected');
    await waitForSync(member);
    const id = (await member.get<MeResponse>('/api/me')).user?.id ?? 0;
    const removed = await owner.inject({ method: 'DELETE', url: `/api/members/${id}` });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject({ removed: 'leo', revoked: true });
    expect((await member.inject('/api/nights/latest')).statusCode).toBe(401);
    const left = await owner.get<{ members: { name: string }[] }>('/api/members');
    expect(left.members.map((m) => m.name)).not.toContain('leo');
    const rows = await h.db
      .selectFrom('raw_document')
      .select('doc_id')
      .where('user_id', '=', id)
      .execute();
    expect(rows).toHaveLength(0);
    const self = await owner.inject({
      method: 'DELETE',
      url: `/api/members/${(await owner.get<MeResponse>('/api/me')).user?.id}`,
    });
    expect(self.statusCode).toBe(400);
    expect((await listAudit(h.db)).map((e) => e.event)).toContain('member_removed');
  }, 60_000);
});
