import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../src/accounts/secrets.ts';
import type { MeResponse } from '../src/api/types.ts';
import { loadConfig } from '../src/config/env.ts';
import { createApp } from '../src/server/app.ts';
import { createLogger } from '../src/server/logger.ts';
import { anonymous, login, PASSWORD, setupOwner, type TestSession } from './support/auth.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

/** CSRF, session fixation, cookies, headers, oversized bodies and secrets kept out of logs. */

let h: SyncHarness;
let app: FastifyInstance;
let owner: TestSession;
const logLines: string[] = [];

beforeAll(async () => {
  h = await startSyncHarness({ days: 5, endDate: '2026-11-28', users: 1, autoApprove: true });
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  app = await createApp({
    config: h.config,
    db: h.db,
    sync: h.ctx,
    webDir: null,
    logger: createLogger({ logLevel: 'info' }, sink),
  });
  owner = await setupOwner(app, 'owner');
}, 300_000);

afterAll(async () => {
  await app?.close();
  await h?.close();
});

describe('CSRF', () => {
  it('refuses state-changing requests without, with a forged or with another session’s token', async () => {
    const other = await login(app, 'owner');
    const attempts: Record<string, string | undefined>[] = [
      {},
      { 'x-csrf-token': '' },
      { 'x-csrf-token': 'forged-token' },
      { 'x-csrf-token': other.csrf },
      { 'x-csrf-token': `${owner.csrf}x` },
    ];
    for (const [method, url] of [
      ['POST', '/api/sync'],
      ['POST', '/api/auth/logout'],
      ['POST', '/api/members/invites'],
      ['POST', '/api/oura/connect'],
      ['POST', '/api/oura/disconnect'],
      ['POST', '/api/auth/password'],
      ['DELETE', '/api/members/2'],
    ] as const) {
      for (const headers of attempts) {
        const res = await owner.inject({
          method,
          url,
          headers: { 'x-csrf-token': undefined, ...headers },
        });
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(headers)}`).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: 'csrf_failed' } });
      }
    }
    // The right token from another origin is refused too.
    const crossSite = await owner.inject({
      method: 'POST',
      url: '/api/members/invites',
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.statusCode).toBe(403);
    // Still logged in: none of the attempts logged the owner out.
    expect((await owner.get<MeResponse>('/api/me')).user?.name).toBe('owner');
  });

  it('protects login itself with the pre-login double-submit token', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'owner', password: PASSWORD },
    });
    expect(res.statusCode).toBe(403);
    const anon = await anonymous(app);
    const mismatched = await anon.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'owner', password: PASSWORD },
      headers: { 'x-csrf-token': 'A'.repeat(43) },
    });
    expect(mismatched.statusCode).toBe(403);
  });
});

describe('sessions', () => {
  it('rotates the session on login: a planted session id never becomes logged in', async () => {
    // Session fixation: the attacker's own valid session planted in the victim's browser.
    const attacker = await login(app, 'owner');
    const planted = attacker.cookies.snowtorch_session ?? '';
    const victim = await anonymous(app);
    victim.cookies.snowtorch_session = planted;
    victim.csrf = attacker.csrf;
    const res = await victim.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'owner', password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect(victim.cookies.snowtorch_session).toBeTruthy();
    expect(victim.cookies.snowtorch_session).not.toBe(planted);
    // The planted id is dead: the attacker does not share the victim's new login.
    expect((await attacker.get<MeResponse>('/api/me')).user).toBeNull();
    // An unknown, made-up id is simply not a session.
    const made = await anonymous(app);
    made.cookies.snowtorch_session = 'x'.repeat(43);
    expect((await made.get<MeResponse>('/api/me')).user).toBeNull();
    // The table keeps only hashes of session ids.
    const stored = await h.db.selectFrom('auth_session').select('id_hash').execute();
    const id = victim.cookies.snowtorch_session ?? '';
    expect(stored.map((r) => r.id_hash)).toContain(hashToken(id));
    expect(stored.map((r) => r.id_hash)).not.toContain(id);
  });

  it('sets httpOnly, SameSite=Lax cookies, Secure behind a TLS proxy it trusts', async () => {
    const anon = await anonymous(app);
    const res = await anon.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'owner', password: PASSWORD },
    });
    const cookie = res.cookies.find((c) => c.name === 'snowtorch_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    const proxied = await createApp({
      config: loadConfig({ ...h.env, SNOWTORCH_TRUST_PROXY: 'true' }),
      db: h.db,
      webDir: null,
    });
    try {
      const me = await proxied.inject({
        url: '/api/me',
        headers: { 'x-forwarded-proto': 'https' },
      });
      const token = (me.json() as MeResponse).csrfToken;
      const pre = me.cookies.find((c) => c.name === 'snowtorch_csrf');
      const tls = await proxied.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { name: 'owner', password: PASSWORD },
        headers: {
          'x-forwarded-proto': 'https',
          'x-csrf-token': token,
          cookie: `snowtorch_csrf=${pre?.value}`,
        },
      });
      expect(tls.statusCode).toBe(200);
      expect(tls.cookies.find((c) => c.name === 'snowtorch_session')?.secure).toBe(true);
    } finally {
      await proxied.close();
    }
  });
});

describe('headers and limits', () => {
  it('sends a strict Content-Security-Policy and the usual security headers', async () => {
    for (const url of ['/api/me', '/night', '/api/openapi.json']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('same-origin');
    }
    const docs = await app.inject('/api/docs/');
    expect(String(docs.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('refuses oversized bodies and fields with 413/400, not a crash', async () => {
    const anon = await anonymous(app);
    const huge = await anon.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'owner', password: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.statusCode).toBe(413);
    const long = await anon.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'n'.repeat(5000), password: PASSWORD },
    });
    expect(long.statusCode).toBe(400);
    const extra = await anon.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'owner', password: PASSWORD, role: 'owner' },
    });
    expect(extra.statusCode).toBe(400);
  });

  it('rate-limits login attempts per address', async () => {
    const anon = await anonymous(app);
    let last = 0;
    for (let i = 0; i < 40 && last !== 429; i++) {
      const res = await anon.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { name: `someone${i}`, password: 'wrong password' },
        remoteAddress: '10.9.8.7',
      });
      last = res.statusCode;
      if (last === 429) expect(res.json()).toMatchObject({ error: { code: 'rate_limited' } });
    }
    expect(last).toBe(429);
  });

  it('keeps passwords, cookies, OAuth codes, state and tokens out of the logs', async () => {
    const s = await login(app, 'owner');
    const connect = await s.inject({ method: 'POST', url: '/api/oura/connect' });
    const authorizeUrl = (connect.json() as { authorizeUrl: string }).authorizeUrl;
    const answer = await fetch(authorizeUrl, { redirect: 'manual' });
    const callback = new URL(answer.headers.get('location') ?? '');
    const code = callback.searchParams.get('code') ?? '';
    const state = callback.searchParams.get('state') ?? '';
    const res = await s.inject(`/oauth/callback${callback.search}`);
    expect(res.headers.location).toBe('/data?oauth=connected');
    const logs = logLines.join('\n');
    expect(logs).toContain('/oauth/callback');
    for (const secret of [PASSWORD, code, state, s.cookies.snowtorch_session ?? '', s.csrf]) {
      expect(secret.length).toBeGreaterThan(5);
      expect(logs).not.toContain(secret);
    }
    const stored = await h.db.selectFrom('oura_connection').select(['access_token_enc']).execute();
    expect(stored[0]?.access_token_enc.startsWith('v1:')).toBe(true);
  });
});
