import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLink } from '../src/accounts/links.ts';
import { createTokenCipher } from '../src/crypto/tokenCipher.ts';
import { createApp } from '../src/server/app.ts';
import { createLogger, redactUrl } from '../src/server/logger.ts';
import { signWebhookPayload, webhookVerificationToken } from '../src/sync/webhookSignature.ts';
import {
  anonymous,
  loginWithLink,
  PASSWORD,
  setupOwner,
  type TestSession,
} from './support/auth.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

/**
 * A whole realistic flow (setup, invite, login link, OAuth connect, webhook, password change)
 * with every log line captured at the most verbose level; no token the flow created may appear
 * in the log, however its URL was spelled.
 */

let h: SyncHarness;
let app: FastifyInstance;
const logLines: string[] = [];
const secrets = new Map<string, string>();

function keep(what: string, value: string | undefined | null) {
  expect(value, what).toBeTruthy();
  secrets.set(`${what}#${secrets.size}`, value ?? '');
}

function keepSession(what: string, s: TestSession) {
  for (const [name, value] of Object.entries(s.cookies)) keep(`${what} cookie ${name}`, value);
  keep(`${what} csrf`, s.csrf);
}

beforeAll(async () => {
  h = await startSyncHarness({ days: 3, endDate: '2026-11-28', users: 2, autoApprove: true });
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
    logger: createLogger({ logLevel: 'trace' }, sink),
  });
}, 300_000);

afterAll(async () => {
  await app?.close();
  await h?.close();
});

describe('logs', () => {
  it('never contain a token, password, cookie, code, state or signature the run created', async () => {
    // Setup and invite.
    const owner = await setupOwner(app, 'owner');
    keep('owner password', PASSWORD);
    keepSession('owner', owner);
    const invite = await owner.inject({ method: 'POST', url: '/api/members/invites' });
    const inviteToken = new URL((invite.json() as { url: string }).url).pathname.split('/').at(-1);
    keep('invite token', inviteToken);
    const guest = await anonymous(app);
    keepSession('guest', guest);
    for (const url of [
      `/api/invites/${inviteToken}`,
      `/api/%69nvites/${inviteToken}`,
      `/API/Invites/${inviteToken}`,
      `//api/invites/${inviteToken}`,
      `/invite/${inviteToken}`,
      `/%69nvite/${inviteToken}`,
      `/Invite/${inviteToken}?token=${inviteToken}`,
    ]) {
      await guest.inject(url);
    }
    const memberPassword = 'another long passphrase';
    keep('member password', memberPassword);
    const joined = await guest.inject({
      method: 'POST',
      url: '/api/auth/accept-invite',
      payload: { token: inviteToken, name: 'member', password: memberPassword },
    });
    expect(joined.statusCode, joined.body).toBe(200);
    guest.csrf = (joined.json() as { csrfToken: string }).csrfToken;
    keepSession('member', guest);

    // A password-less user (made by connect) logs in with a one-time link.
    const simName = h.sim.users[1]?.name ?? '';
    const linked = await h.connect(simName);
    const link = await createLoginLink(h.db, linked.id, 'http://127.0.0.1');
    keep('login link token', new URL(link.url).searchParams.get('token'));
    await app.inject(`/login/link?%74oken=${new URL(link.url).searchParams.get('token')}x`);
    await app.inject(`/login/link?TOKEN=${new URL(link.url).searchParams.get('token')}y`);
    const viaLink = await loginWithLink(app, link.url);
    keepSession('link user', viaLink);

    // Connect Oura in the browser flow: code and state travel in the callback's query.
    const connect = await guest.inject({ method: 'POST', url: '/api/oura/connect' });
    const authorizeUrl = new URL((connect.json() as { authorizeUrl: string }).authorizeUrl);
    authorizeUrl.searchParams.set('user', h.sim.users[0]?.name ?? '');
    const answer = await fetch(authorizeUrl, { redirect: 'manual' });
    const callback = new URL(answer.headers.get('location') ?? '');
    keep('oauth code', callback.searchParams.get('code'));
    keep('oauth state', callback.searchParams.get('state'));
    const back = await guest.inject(`/oauth/callback${callback.search}`);
    expect(back.headers.location).toBe('/data?oauth=connected');
    const cipher = createTokenCipher([Buffer.from(h.env.SNOWTORCH_SECRET_KEY ?? '', 'hex')]);
    for (const row of await h.db.selectFrom('oura_connection').selectAll().execute()) {
      keep('access token', cipher.decrypt(row.access_token_enc));
      if (row.refresh_token_enc) keep('refresh token', cipher.decrypt(row.refresh_token_enc));
    }

    // Webhooks: the verification call and a signed delivery.
    const verification = webhookVerificationToken(h.config.oura.clientSecret ?? '');
    keep('webhook verification token', verification);
    const verified = await app.inject(
      `/webhooks/oura?verification_token=${verification}&challenge=abc`,
    );
    expect(verified.statusCode).toBe(200);
    const body = JSON.stringify({
      event_type: 'update',
      data_type: 'daily_sleep',
      object_id: 'x1',
      event_time: new Date().toISOString(),
      user_id: h.sim.users[0]?.personalInfo.id,
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signWebhookPayload(h.config.oura.clientSecret ?? '', timestamp, body);
    keep('webhook signature', signature);
    const delivered = await app.inject({
      method: 'POST',
      url: '/webhooks/oura',
      headers: {
        'content-type': 'application/json',
        'x-oura-timestamp': timestamp,
        'x-oura-signature': signature,
      },
      payload: body,
    });
    expect(delivered.statusCode).toBe(200);

    // A password change, right and wrong.
    const newPassword = 'a brand new passphrase';
    keep('new password', newPassword);
    await guest.inject({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: 'wrong but secret 123', newPassword },
    });
    keep('wrong password', 'wrong but secret 123');
    await guest.inject({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: memberPassword, newPassword },
    });

    const logs = logLines.join('\n');
    // The flow was logged (request lines at least), with the tokens' places marked.
    expect(logLines.length).toBeGreaterThan(20);
    expect(logs).toContain('/api/invites/[redacted]');
    expect(logs).toContain('/oauth/callback?code=[redacted]');
    for (const [what, value] of secrets) {
      expect(value.length, what).toBeGreaterThan(8);
      expect(logs.includes(value), `${what} appears in the log`).toBe(false);
    }
  });

  it('redacts token paths and parameters however they are spelled', () => {
    expect(redactUrl('/api/invites/abc')).toBe('/api/invites/[redacted]');
    expect(redactUrl('/api/%69nvites/abc?x=1')).toBe('/api/invites/[redacted]?x=1');
    expect(redactUrl('//Invite/abc')).toBe('/invite/[redacted]');
    expect(redactUrl('/login/link?%74oken=abc&a=b')).toBe('/login/link?%74oken=[redacted]&a=b');
    expect(redactUrl('/x?STATE=abc&Code=def')).toBe('/x?STATE=[redacted]&Code=[redacted]');
    expect(redactUrl('/x?%E0%A4%A=abc')).toBe('/x?%E0%A4%A=[redacted]');
    expect(redactUrl('/webhooks/oura?verification_token=v&challenge=c')).toBe(
      '/webhooks/oura?verification_token=[redacted]&challenge=c',
    );
  });
});
