import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOuraClient } from '../src/oura/client.ts';
import { OuraAuthError } from '../src/oura/errors.ts';
import { buildAuthorizeUrl, exchangeCode, refreshTokens, revokeToken } from '../src/oura/oauth.ts';
import { type Simulator, startSimulator } from '../src/simulator/index.ts';
import { staticTokenProvider } from '../src/sync/tokenStore.ts';

let sim: Simulator;
const REDIRECT = 'http://127.0.0.1:1/callback';

beforeAll(async () => {
  sim = await startSimulator({
    seed: 11,
    users: 2,
    days: 7,
    endDate: '2025-03-31',
    autoApprove: true,
  });
});
afterAll(async () => {
  await sim?.close();
});

const config = () => ({
  tokenUrl: `${sim.url}/oauth/token`,
  clientId: 'snowtorch-dev',
  clientSecret: 'snowtorch-dev-secret',
});

/** Ask the (auto-approving) simulator for a code, as the browser would, without following. */
async function authorize(scopes?: string[], user?: string): Promise<string> {
  const url = new URL(
    buildAuthorizeUrl({
      authorizeUrl: `${sim.url}/oauth/authorize`,
      clientId: 'snowtorch-dev',
      redirectUri: REDIRECT,
      state: 'state-1',
      ...(scopes ? { scopes } : {}),
    }),
  );
  if (user) url.searchParams.set('user', user);
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location') ?? '');
  expect(location.searchParams.get('state')).toBe('state-1');
  return location.searchParams.get('code') ?? '';
}

describe('OAuth against the simulator', () => {
  it('exchanges a code for tokens and reports the scopes granted', async () => {
    const code = await authorize(['daily', 'heartrate']);
    const set = await exchangeCode(config(), { code, redirectUri: REDIRECT });
    expect(set.accessToken).toBeTruthy();
    expect(set.refreshToken).toBeTruthy();
    expect(set.scopes).toEqual(['daily', 'heartrate']);
    expect(set.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('a code works once: the second exchange is invalid_grant', async () => {
    const code = await authorize();
    await exchangeCode(config(), { code, redirectUri: REDIRECT });
    const err = await exchangeCode(config(), { code, redirectUri: REDIRECT }).catch((e) => e);
    expect(err).toBeInstanceOf(OuraAuthError);
    expect(err).toMatchObject({ reconnectNeeded: true, status: 400 });
  });

  it('rotates the refresh token; reusing the old one is invalid_grant (reconnect needed)', async () => {
    const code = await authorize();
    const first = await exchangeCode(config(), { code, redirectUri: REDIRECT });
    const second = await refreshTokens(config(), first.refreshToken ?? '');
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    const err = await refreshTokens(config(), first.refreshToken ?? '').catch((e) => e);
    expect(err).toBeInstanceOf(OuraAuthError);
    expect(err).toMatchObject({ reconnectNeeded: true, code: 'reconnect_needed' });
  });

  it('a wrong client secret is a configuration problem, not a dead grant', async () => {
    const code = await authorize();
    const err = await exchangeCode(
      { ...config(), clientSecret: 'wrong' },
      { code, redirectUri: REDIRECT },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(OuraAuthError);
    expect(err).toMatchObject({ reconnectNeeded: false, code: 'invalid_client' });
    expect(err.message).toContain('OURA_CLIENT_SECRET');
  });

  it('revoking the access token ends API access', async () => {
    const code = await authorize(undefined, sim.users[1]?.name);
    const set = await exchangeCode(config(), { code, redirectUri: REDIRECT });
    const client = createOuraClient({
      baseUrl: sim.url,
      tokens: staticTokenProvider(set.accessToken),
    });
    expect((await client.personalInfo()).id).toBe(sim.users[1]?.personalInfo.id);
    await revokeToken({ revokeUrl: `${sim.url}/oauth/revoke` }, set.accessToken);
    await expect(client.personalInfo()).rejects.toBeInstanceOf(OuraAuthError);
  });
});
