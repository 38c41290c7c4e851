import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/env.ts';
import { listAudit } from '../src/db/auditLog.ts';
import type { OpenDatabase } from '../src/db/database.ts';
import { createApp } from '../src/server/app.ts';
import { setupOwner } from './support/auth.ts';
import { openTestDatabase } from './support/db.ts';

/**
 * Which client address the app believes (audit log, login lockout, rate limits) and whether it
 * believes X-Forwarded-Proto, for each SNOWTORCH_TRUST_PROXY: only the configured proxies'
 * own hop is taken from X-Forwarded-For, never a chain the client wrote itself.
 */

let database: OpenDatabase;
const apps: FastifyInstance[] = [];
let attempts = 0;

beforeAll(async () => {
  database = await openTestDatabase();
  const first = await createApp({ config: loadConfig({}), db: database.db, webDir: null });
  apps.push(first);
  await setupOwner(first, 'owner');
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await database?.close();
});

async function appTrusting(value: string): Promise<FastifyInstance> {
  const app = await createApp({
    config: loadConfig({ SNOWTORCH_TRUST_PROXY: value }),
    db: database.db,
    webDir: null,
  });
  apps.push(app);
  return app;
}

/** A failed login from `peer` (the TCP address) sending `headers`: the address audited for it. */
async function auditedAddress(
  app: FastifyInstance,
  peer: string,
  headers: Record<string, string> = {},
): Promise<string | null> {
  const me = await app.inject({ url: '/api/me', remoteAddress: peer, headers });
  const csrf = (me.json() as { csrfToken: string }).csrfToken;
  const pre = me.cookies.find((c) => c.name === 'snowtorch_csrf')?.value ?? '';
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: peer,
    headers: { ...headers, 'x-csrf-token': csrf, cookie: `snowtorch_csrf=${pre}` },
    // A new name each time: the per-account lockout must not answer instead.
    payload: { name: `nobody-${++attempts}`, password: 'not the password at all' },
  });
  expect(res.statusCode, res.body).toBe(401);
  const [latest] = await listAudit(database.db, 1);
  expect(latest?.event).toBe('login_failed');
  return latest?.ip ?? null;
}

describe('SNOWTORCH_TRUST_PROXY', () => {
  it('true trusts a proxy on this machine only, and only its own hop of X-Forwarded-For', async () => {
    const app = await appTrusting('true');
    // A client reaching the app directly cannot pick its address.
    expect(await auditedAddress(app, '203.0.113.5', { 'x-forwarded-for': '198.51.100.7' })).toBe(
      '203.0.113.5',
    );
    // Through a proxy on loopback: the address the proxy saw, not what the client prepended.
    expect(
      await auditedAddress(app, '127.0.0.1', { 'x-forwarded-for': '198.51.100.99, 198.51.100.7' }),
    ).toBe('198.51.100.7');
    expect(await auditedAddress(app, '::1', { 'x-forwarded-for': '198.51.100.8' })).toBe(
      '198.51.100.8',
    );
  });

  it('a proxy address (compose: nginx) is trusted, other peers and forged chains are not', async () => {
    const app = await appTrusting('172.30.57.10');
    expect(
      await auditedAddress(app, '172.30.57.10', { 'x-forwarded-for': '10.9.9.9, 192.0.2.4' }),
    ).toBe('192.0.2.4');
    // Another container on the same network is a client, whatever it claims.
    expect(await auditedAddress(app, '172.30.57.20', { 'x-forwarded-for': '192.0.2.4' })).toBe(
      '172.30.57.20',
    );
  });

  it('believes X-Forwarded-Proto (Secure cookies) only from a trusted proxy', async () => {
    const app = await appTrusting('loopback');
    const secureFrom = async (peer: string) => {
      const me = await app.inject({
        url: '/api/me',
        remoteAddress: peer,
        headers: { 'x-forwarded-proto': 'https' },
      });
      return me.cookies.find((c) => c.name === 'snowtorch_csrf')?.secure === true;
    };
    expect(await secureFrom('127.0.0.1')).toBe(true);
    expect(await secureFrom('203.0.113.5')).toBe(false);
  });

  it('false ignores forwarding headers', async () => {
    const app = await appTrusting('false');
    expect(await auditedAddress(app, '127.0.0.1', { 'x-forwarded-for': '198.51.100.7' })).toBe(
      '127.0.0.1',
    );
  });

  it('accepts lists of addresses, CIDRs and loopback, and names a bad entry', () => {
    expect(loadConfig({ SNOWTORCH_TRUST_PROXY: 'true' }).trustProxy).toBe('loopback');
    expect(loadConfig({ SNOWTORCH_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ SNOWTORCH_TRUST_PROXY: 'loopback , 10.0.0.2, fd00::/64' }).trustProxy).toBe(
      'loopback,10.0.0.2,fd00::/64',
    );
    for (const bad of ['999.1.1.1', '10.0.0.0/33', 'uniquelocal', '*', 'yes']) {
      try {
        loadConfig({ SNOWTORCH_TRUST_PROXY: bad });
        expect.unreachable(`${bad} accepted`);
      } catch (error) {
        expect(error, bad).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).issues.map((i) => i.variable)).toEqual([
          'SNOWTORCH_TRUST_PROXY',
        ]);
      }
    }
  });
});
