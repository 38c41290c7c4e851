import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/simulator/index.ts';
import { startFixtureSimulator } from './support/simFixture.ts';

const CLIENT = { client_id: 'snowtorch-dev', client_secret: 'snowtorch-dev-secret' };
const REDIRECT = 'http://127.0.0.1:9/callback';

async function authorize(sim: Simulator, params: Record<string, string>) {
  const url = new URL(`${sim.url}/oauth/authorize`);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: CLIENT.client_id,
    redirect_uri: REDIRECT,
    state: 'st4te',
    ...params,
  })) {
    url.searchParams.set(k, v);
  }
  return fetch(url, { redirect: 'manual' });
}

function codeFrom(res: Response): string {
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe('st4te');
  return location.searchParams.get('code') ?? '';
}

async function token(sim: Simulator, form: Record<string, string>) {
  const res = await fetch(`${sim.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...CLIENT, ...form }),
  });
  return { status: res.status, body: await res.json() };
}

async function api(sim: Simulator, accessToken: string, path = '/v2/usercollection/daily_sleep') {
  const res = await fetch(`${sim.url}${path}`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

describe('authorization code flow (auto-approve)', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startFixtureSimulator({ autoApprove: true });
  });
  afterAll(() => sim.close());

  it('redirects with a code that is exchanged once for tokens', async () => {
    const code = codeFrom(await authorize(sim, { scope: 'daily personal' }));
    const first = await token(sim, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 86_400,
      refresh_token: expect.any(String),
      scope: 'daily personal',
    });
    expect((await api(sim, first.body.access_token)).status).toBe(200);
    const again = await token(sim, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    expect(again).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'invalid_grant' }),
    });
  });

  it('authorizes the user named by ?user= (default demo)', async () => {
    const code = codeFrom(await authorize(sim, { user: 'alex' }));
    const t = await token(sim, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    const info = await api(sim, t.body.access_token, '/v2/usercollection/personal_info');
    expect(info.body.id).toBe(sim.users[1]?.personalInfo.id);
    expect(t.body.scope.split(' ')).toContain('spo2Daily');
  });

  it('requires the redirect_uri of the authorization request and the right client secret', async () => {
    const code = codeFrom(await authorize(sim, {}));
    const wrongUri = await token(sim, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:9/other',
    });
    expect(wrongUri.status).toBe(400);
    expect(wrongUri.body.error).toBe('invalid_grant');
    const wrongSecret = await token(sim, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_secret: 'nope',
    });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error).toBe('invalid_client');
    const unknownGrant = await token(sim, { grant_type: 'password' });
    expect(unknownGrant.body.error).toBe('unsupported_grant_type');
  });

  it('sends errors about the request back to the redirect_uri, and refuses unknown clients', async () => {
    const badScope = await authorize(sim, { scope: 'daily everything' });
    expect(new URL(badScope.headers.get('location') ?? '').searchParams.get('error')).toBe(
      'invalid_scope',
    );
    const badClient = await authorize(sim, { client_id: 'someone-else' });
    expect(badClient.status).toBe(400);
    expect(badClient.headers.get('location')).toBeNull();
  });
});

describe('consent page', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startFixtureSimulator();
  });
  afterAll(() => sim.close());

  it('shows the scopes, and grants only the ones left ticked', async () => {
    const page = await authorize(sim, { scope: 'daily heartrate personal' });
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const s of ['daily', 'heartrate', 'personal'])
      expect(html).toContain(`value="${s}" checked`);
    expect(html).toContain('<option value="alex"');

    const form = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT.client_id,
      redirect_uri: REDIRECT,
      state: 'st4te',
      requested_scope: 'daily heartrate personal',
      user: 'demo',
      decision: 'approve',
    });
    form.append('scope', 'daily');
    form.append('scope', 'personal');
    const approved = await fetch(`${sim.url}/oauth/authorize`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    const t = await token(sim, {
      grant_type: 'authorization_code',
      code: codeFrom(approved),
      redirect_uri: REDIRECT,
    });
    expect(t.body.scope).toBe('daily personal');
    expect((await api(sim, t.body.access_token)).status).toBe(200);
    expect((await api(sim, t.body.access_token, '/v2/usercollection/heartrate')).status).toBe(403);
  });

  it('redirects with error=access_denied when the user denies', async () => {
    const form = new URLSearchParams({
      client_id: CLIENT.client_id,
      redirect_uri: REDIRECT,
      state: 'st4te',
      requested_scope: 'daily',
      decision: 'deny',
    });
    const res = await fetch(`${sim.url}/oauth/authorize`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('code')).toBeNull();
  });
});

describe('refresh, expiry and revocation', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startFixtureSimulator({ accessTokenTtlSeconds: 1 });
  });
  afterAll(() => sim.close());

  it('uses each refresh token once', async () => {
    const issued = sim.issueTokens('demo');
    const next = await token(sim, {
      grant_type: 'refresh_token',
      refresh_token: issued.refresh_token,
    });
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).not.toBe(issued.refresh_token);
    const reuse = await token(sim, {
      grant_type: 'refresh_token',
      refresh_token: issued.refresh_token,
    });
    expect(reuse).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'invalid_grant' }),
    });
    const chained = await token(sim, {
      grant_type: 'refresh_token',
      refresh_token: next.body.refresh_token,
    });
    expect(chained.status).toBe(200);
  });

  it('expires access tokens after accessTokenTtlSeconds; a refresh gets a working one', async () => {
    const issued = sim.issueTokens('demo');
    expect(issued.expires_in).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await api(sim, issued.access_token);
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toMatch(/expired/i);
    const next = await token(sim, {
      grant_type: 'refresh_token',
      refresh_token: issued.refresh_token,
    });
    expect((await api(sim, next.body.access_token)).status).toBe(200);
  });

  it('revokes a grant through /oauth/revoke?access_token=', async () => {
    const issued = sim.issueTokens('demo');
    const res = await fetch(`${sim.url}/oauth/revoke?access_token=${issued.access_token}`);
    expect(res.status).toBe(200);
    const after = await api(sim, issued.access_token);
    expect(after.status).toBe(401);
    expect(after.body.detail).toMatch(/revoked/i);
    const refresh = await token(sim, {
      grant_type: 'refresh_token',
      refresh_token: issued.refresh_token,
    });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it("revokeUser invalidates all of that user's tokens and no one else's", async () => {
    const a = sim.issueTokens('demo');
    const b = sim.issueTokens('demo');
    const alex = sim.issueTokens('alex');
    sim.revokeUser('demo');
    expect((await api(sim, a.access_token)).status).toBe(401);
    expect((await api(sim, b.access_token)).status).toBe(401);
    expect(
      (await token(sim, { grant_type: 'refresh_token', refresh_token: b.refresh_token })).body
        .error,
    ).toBe('invalid_grant');
    expect((await api(sim, alex.access_token)).status).toBe(200);
  });
});

describe('rate limits', () => {
  it('answers 429 with the spec headers per token, then recovers after Retry-After', async () => {
    const sim = await startFixtureSimulator({ rateLimit: { limit: 3, windowSeconds: 2 } });
    try {
      const a = sim.issueTokens('demo').access_token;
      const b = sim.issueTokens('demo').access_token;
      for (let i = 0; i < 3; i++) expect((await api(sim, a)).status).toBe(200);
      const limited = await api(sim, a);
      expect(limited.status).toBe(429);
      const h = limited.headers;
      const retryAfter = Number(h.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 2).toBe(true);
      expect(h.get('x-ratelimit-limit')).toBe('3');
      expect(h.get('x-ratelimit-window')).toBe('2');
      expect(h.get('x-ratelimit-tier')).toBe('access_token');
      expect(Number(h.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(
        Math.floor(Date.now() / 1000),
      );
      // Another token of the same application has its own budget.
      expect((await api(sim, b)).status).toBe(200);
      await new Promise((r) => setTimeout(r, retryAfter * 1000));
      expect((await api(sim, a)).status).toBe(200);
      expect(sim.stats.rateLimited).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it('limits the application across all its tokens', async () => {
    const sim = await startFixtureSimulator({
      rateLimit: { limit: 100, windowSeconds: 60 },
      appRateLimit: { limit: 4, windowSeconds: 60 },
    });
    try {
      const tokens = ['demo', 'alex', 'demo', 'alex'].map((u) => sim.issueTokens(u).access_token);
      for (const t of tokens) expect((await api(sim, t)).status).toBe(200);
      const fifth = await api(sim, sim.issueTokens('demo').access_token);
      expect(fifth.status).toBe(429);
      expect(fifth.headers.get('x-ratelimit-tier')).toBe('application');
      expect(fifth.headers.get('x-ratelimit-limit')).toBe('4');
    } finally {
      await sim.close();
    }
  });
});
