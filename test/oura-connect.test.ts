import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectUser } from '../src/cli/commands/connect.ts';
import { ConfigError, loadConfig } from '../src/config/env.ts';
import { createTokenCipher } from '../src/crypto/tokenCipher.ts';
import { getConnection } from '../src/db/connections.ts';
import type { OpenDatabase } from '../src/db/database.ts';
import { findUserByName } from '../src/db/users.ts';
import { type Simulator, startSimulator } from '../src/simulator/index.ts';
import { openTestDatabase } from './support/db.ts';

const KEY = randomBytes(32);
let sim: Simulator;
let database: OpenDatabase;

beforeAll(async () => {
  sim = await startSimulator({
    seed: 5,
    users: 2,
    days: 7,
    endDate: '2025-03-31',
    autoApprove: true,
  });
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
  await sim?.close();
});

const configFor = (env: Record<string, string> = {}) =>
  loadConfig({
    OURA_API_BASE_URL: sim.url,
    OURA_AUTHORIZE_URL: `${sim.url}/oauth/authorize`,
    OURA_CLIENT_ID: 'snowtorch-dev',
    OURA_CLIENT_SECRET: 'snowtorch-dev-secret',
    SNOWTORCH_SECRET_KEY: KEY.toString('hex'),
    ...env,
  });

describe('connect', () => {
  it('runs the browser flow and stores encrypted tokens with the granted scopes', async () => {
    let authorizeUrl = '';
    const result = await connectUser({
      config: configFor(),
      db: database.db,
      userName: 'sleeper',
      port: 0,
      scopes: ['daily', 'heartrate', 'personal'],
      onAuthorizeUrl: async (url) => {
        authorizeUrl = url;
        // The browser: the auto-approving simulator redirects straight to our callback.
        const page = await fetch(url);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('connected to Oura');
      },
    });
    const sent = new URL(authorizeUrl);
    expect(sent.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(sent.searchParams.get('scope')).toBe('daily heartrate personal');

    expect(result.scopes).toEqual(['daily', 'heartrate', 'personal']);
    expect(result.ouraUserId).toBe(sim.users[0]?.personalInfo.id);
    const user = await findUserByName(database.db, 'sleeper');
    const stored = await getConnection(database.db, user?.id ?? -1);
    expect(stored).toMatchObject({
      status: 'active',
      ouraUserId: sim.users[0]?.personalInfo.id,
      scopes: ['daily', 'heartrate', 'personal'],
    });
    const cipher = createTokenCipher([KEY]);
    expect(cipher.decrypt(stored?.accessTokenEnc ?? '')).toMatch(/\S/);
    expect(cipher.decrypt(stored?.refreshTokenEnc ?? '')).toMatch(/\S/);
  });

  it('ignores a callback with the wrong state and completes with the real one', async () => {
    const result = await connectUser({
      config: configFor(),
      db: database.db,
      userName: 'second',
      port: 0,
      onAuthorizeUrl: async (url) => {
        const redirect = new URL(new URL(url).searchParams.get('redirect_uri') ?? '');
        redirect.searchParams.set('code', 'forged');
        redirect.searchParams.set('state', 'not-ours');
        const forged = await fetch(redirect);
        expect(forged.status).toBe(400);
        const withUser = new URL(url);
        withUser.searchParams.set('user', sim.users[1]?.name ?? '');
        expect((await fetch(withUser)).status).toBe(200);
      },
    });
    expect(result.ouraUserId).toBe(sim.users[1]?.personalInfo.id);
    // No scope requested: Oura asks for (and the simulator grants) all of them.
    expect(result.scopes).toContain('daily');
  });

  it('fails clearly when the user denies access', async () => {
    const err = await connectUser({
      config: configFor(),
      db: database.db,
      userName: 'denied',
      port: 0,
      onAuthorizeUrl: async (url) => {
        const u = new URL(url);
        const redirect = new URL(u.searchParams.get('redirect_uri') ?? '');
        redirect.searchParams.set('error', 'access_denied');
        redirect.searchParams.set('state', u.searchParams.get('state') ?? '');
        await fetch(redirect);
      },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain('access_denied');
    expect(await findUserByName(database.db, 'denied')).toBeUndefined();
  });

  it('names every missing variable', async () => {
    const err = await connectUser({
      config: loadConfig({}),
      db: database.db,
      userName: 'x',
      port: 0,
      onAuthorizeUrl: () => {},
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => i.variable)).toEqual([
      'OURA_CLIENT_ID',
      'OURA_CLIENT_SECRET',
      'SNOWTORCH_SECRET_KEY',
    ]);
  });
});
