import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeResponse } from '../src/api/types.ts';
import { loadConfig } from '../src/config/env.ts';
import { createApp } from '../src/server/app.ts';
import { signWebhookPayload } from '../src/sync/webhookSignature.ts';
import {
  addMember,
  anonymous,
  login,
  PASSWORD,
  setupOwner,
  type TestSession,
} from './support/auth.ts';
import { openTestDatabase } from './support/db.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

/**
 * What an attacker or bad luck sends: odd names, guessed passwords, foreign origins and Host
 * headers, a database outage, webhooks with another content type. Each answers as a user would
 * expect, never with a 500.
 */

const END = '2026-11-28';
let h: SyncHarness;
let app: FastifyInstance;
let owner: TestSession;

beforeAll(async () => {
  h = await startSyncHarness({ days: 3, endDate: END, users: 1 });
  app = await createApp({ config: h.config, db: h.db, webDir: null, today: () => END });
  owner = await setupOwner(app, 'owner');
}, 300_000);

afterAll(async () => {
  await app?.close();
  await h?.close();
});

describe('names', () => {
  it('answers a login name with a NUL or other control character with 400, not 500', async () => {
    for (const name of ['own\u0000er', '\u0000', 'a\u0007b', 'x\u202e']) {
      const anon = await anonymous(app);
      for (const url of ['/api/auth/login', '/api/auth/setup']) {
        const res = await anon.inject({
          method: 'POST',
          url,
          payload: { name, password: PASSWORD },
        });
        expect([400, 401, 409], `${url} ${JSON.stringify(name)}: ${res.body}`).toContain(
          res.statusCode,
        );
      }
    }
  });
});

describe('account names', () => {
  it('are one account whatever their case: no OWNER beside owner, login in any case', async () => {
    const invite = await owner.inject({ method: 'POST', url: '/api/members/invites' });
    const token = new URL((invite.json() as { url: string }).url).pathname.split('/').at(-1);
    const guest = await anonymous(app);
    const taken = await guest.inject({
      method: 'POST',
      url: '/api/auth/accept-invite',
      payload: { token, name: 'OWNER', password: PASSWORD },
    });
    expect(taken.statusCode, taken.body).toBe(409);
    expect(taken.json()).toMatchObject({ error: { code: 'name_taken' } });
    const loggedIn = await login(app, 'Owner');
    expect((await loggedIn.get<MeResponse>('/api/me')).user?.name).toBe('owner');
  });
});

describe('password change', () => {
  it('locks the account after 5 wrong current passwords, like the login does', async () => {
    const member = await addMember(app, owner, 'guesser');
    for (let i = 0; i < 5; i++) {
      const res = await member.inject({
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: `wrong guess ${i}`, newPassword: 'a new long passphrase' },
      });
      expect(res.statusCode).toBe(401);
    }
    const locked = await member.inject({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: PASSWORD, newPassword: 'a new long passphrase' },
    });
    expect(locked.statusCode, locked.body).toBe(429);
    expect(locked.json()).toMatchObject({ error: { code: 'account_locked' } });
    // The login is locked as well: the guesses were against the same account.
    const anon = await anonymous(app);
    const res = await anon.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'guesser', password: PASSWORD },
    });
    expect(res.statusCode).toBe(429);
  });
});

describe('origins and hosts', () => {
  it('refuses a state-changing request whose Origin has another scheme', async () => {
    const host = 'localhost:80';
    const wrongScheme = await owner.inject({
      method: 'POST',
      url: '/api/members/invites',
      headers: { origin: `https://${host}`, host },
    });
    expect(wrongScheme.statusCode).toBe(403);
    const same = await owner.inject({
      method: 'POST',
      url: '/api/members/invites',
      headers: { origin: `http://${host}`, host },
    });
    expect(same.statusCode).toBe(201);
  });

  it('builds invite links from the configured address, never from the Host header', async () => {
    const res = await owner.inject({
      method: 'POST',
      url: '/api/members/invites',
      headers: { host: 'evil.example' },
    });
    expect(res.statusCode).toBe(201);
    expect((res.json() as { url: string }).url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/invite\//);
    // Bound to every interface with no public URL: there is no address to trust.
    const open = await createApp({
      config: loadConfig({
        ...h.env,
        SNOWTORCH_HOST: '0.0.0.0',
        SNOWTORCH_ALLOW_REMOTE: 'true',
      }),
      db: h.db,
      webDir: null,
    });
    try {
      const s = await login(app, 'owner');
      const cookie = `snowtorch_session=${s.cookies.snowtorch_session}`;
      const refused = await open.inject({
        method: 'POST',
        url: '/api/members/invites',
        headers: { cookie, 'x-csrf-token': s.csrf, host: 'evil.example' },
      });
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json()).toMatchObject({ error: { code: 'public_url_required' } });
    } finally {
      await open.close();
    }
  });
});

describe('webhooks', () => {
  it('accepts a validly signed delivery sent as text/plain', async () => {
    const body = JSON.stringify({
      event_type: 'update',
      data_type: 'daily_sleep',
      object_id: 'plain-1',
      event_time: new Date().toISOString(),
      user_id: 'nobody-here',
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await app.inject({
      method: 'POST',
      url: '/webhooks/oura',
      headers: {
        'content-type': 'text/plain',
        'x-oura-timestamp': timestamp,
        'x-oura-signature': signWebhookPayload(h.config.oura.clientSecret ?? '', timestamp, body),
      },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ status: 'ignored' });
  });
});

describe('database outage', () => {
  it('answers /healthz 200 and /readyz 503 when a session cookie is sent', async () => {
    const database = await openTestDatabase();
    const down = await createApp({ config: h.config, db: database.db, webDir: null });
    try {
      const s = await setupOwner(down, 'owner');
      const cookie = `snowtorch_session=${s.cookies.snowtorch_session}`;
      await database.close();
      const health = await down.inject({ url: '/healthz', headers: { cookie } });
      expect(health.statusCode).toBe(200);
      const ready = await down.inject({ url: '/readyz', headers: { cookie } });
      expect(ready.statusCode).toBe(503);
      // The API says the database is unavailable, in the one error shape.
      const me = await down.inject({ url: '/api/me', headers: { cookie } });
      expect(me.statusCode).toBe(503);
      expect(me.json()).toMatchObject({ error: { code: 'database_unavailable' } });
    } finally {
      await down.close();
      await database.close();
    }
  });
});

describe('first start on a server reachable from other machines', () => {
  const publicConfig = () =>
    loadConfig({ ...h.env, SNOWTORCH_HOST: '0.0.0.0', SNOWTORCH_ALLOW_REMOTE: 'true' });

  it('makes the owner only with the setup token the server printed', async () => {
    const database = await openTestDatabase();
    const token = 'printed-setup-token-0123456789abcdef';
    const fresh = await createApp({
      config: publicConfig(),
      db: database.db,
      webDir: null,
      setupToken: token,
    });
    try {
      const visitor = await anonymous(fresh);
      const me = await visitor.get<MeResponse>('/api/me');
      expect(me).toMatchObject({ setupNeeded: true, setupTokenRequired: true });
      for (const setupToken of [undefined, '', 'guess', `${token}x`]) {
        const res = await visitor.inject({
          method: 'POST',
          url: '/api/auth/setup',
          payload: {
            name: 'intruder',
            password: PASSWORD,
            ...(setupToken === undefined ? {} : { setupToken }),
          },
        });
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: 'setup_token_required' } });
      }
      const ok = await visitor.inject({
        method: 'POST',
        url: '/api/auth/setup',
        payload: { name: 'owner', password: PASSWORD, setupToken: token },
      });
      expect(ok.statusCode, ok.body).toBe(200);
    } finally {
      await fresh.close();
      await database.close();
    }
  });

  it('refuses browser setup when no token was made, pointing to the terminal', async () => {
    const database = await openTestDatabase();
    const fresh = await createApp({ config: publicConfig(), db: database.db, webDir: null });
    try {
      const visitor = await anonymous(fresh);
      const res = await visitor.inject({
        method: 'POST',
        url: '/api/auth/setup',
        payload: { name: 'intruder', password: PASSWORD, setupToken: '' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.message).toContain('snowtorch users create');
    } finally {
      await fresh.close();
      await database.close();
    }
  });

  it('needs no token on a server bound to 127.0.0.1', async () => {
    const me = await (await anonymous(app)).get<MeResponse>('/api/me');
    expect(me.setupTokenRequired).toBe(false);
  });
});

describe('session', () => {
  it('still knows the owner after all of the above', async () => {
    expect((await owner.get<MeResponse>('/api/me')).user?.name).toBe('owner');
  });
});
