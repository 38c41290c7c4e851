import { createHmac } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/simulator/index.ts';
import { startFixtureSimulator } from './support/simFixture.ts';

const SECRET = 'snowtorch-dev-secret';
const APP = { 'x-client-id': 'snowtorch-dev', 'x-client-secret': SECRET };
const VERIFY = 'verify-me';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: Record<string, unknown>;
}

/** A webhook receiver like Oura's sample: checks the token, echoes the challenge, keeps events. */
async function startReceiver() {
  const events: Received[] = [];
  const verifications: Record<string, unknown>[] = [];
  let postStatus = 200;
  const app: FastifyInstance = Fastify();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.get('/hook', async (req, reply) => {
    const q = req.query as Record<string, string>;
    verifications.push(q);
    if (q.verification_token !== VERIFY) return reply.code(401).send('bad token');
    return { challenge: q.challenge };
  });
  app.post('/hook', async (req, reply) => {
    const raw = String(req.body);
    events.push({ headers: req.headers, raw, body: JSON.parse(raw) });
    return reply.code(postStatus).send('ok');
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: `${url}/hook`,
    events,
    verifications,
    respondWith(status: number) {
      postStatus = status;
    },
    close: () => app.close(),
  };
}

let sim: Simulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  sim = await startFixtureSimulator({ webhookRetryDelayMs: 20 });
  receiver = await startReceiver();
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
afterEach(async () => {
  for (const sub of (await call('GET', '')).body) await call('DELETE', `/${sub.id}`);
  receiver.events.length = 0;
  receiver.verifications.length = 0;
  receiver.respondWith(200);
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = APP,
) {
  const res = await fetch(`${sim.url}/v2/webhook/subscription${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

const subscribe = (event_type: string, data_type: string, callback_url = receiver.url) =>
  call('POST', '', { callback_url, verification_token: VERIFY, event_type, data_type });

const waitFor = async (predicate: () => boolean) => {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(predicate()).toBe(true);
};

describe('subscription management', () => {
  it('verifies the callback on create (201) and manages the subscription', async () => {
    const created = await subscribe('update', 'sleep');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      callback_url: receiver.url,
      event_type: 'update',
      data_type: 'sleep',
      expiration_time: expect.any(String),
    });
    const lifetime = Date.parse(created.body.expiration_time) - Date.now();
    expect(lifetime).toBeGreaterThan(29 * 86_400_000);
    expect(receiver.verifications).toEqual([
      { verification_token: VERIFY, challenge: expect.stringMatching(/.{8,}/) },
    ]);

    const id = created.body.id;
    expect((await call('GET', '')).body).toEqual([created.body]);
    expect((await call('GET', `/${id}`)).body).toEqual(created.body);
    const updated = await call('PUT', `/${id}`, {
      verification_token: VERIFY,
      event_type: 'delete',
    });
    expect(updated.body).toMatchObject({ id, event_type: 'delete', data_type: 'sleep' });
    const renewed = await call('PUT', `/renew/${id}`);
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.body.expiration_time)).toBeGreaterThanOrEqual(
      Date.parse(created.body.expiration_time),
    );
    expect((await call('DELETE', `/${id}`)).status).toBe(204);
    expect(await call('GET', `/${id}`)).toEqual({ status: 403, body: { detail: 'Forbidden' } });
    expect((await call('PUT', `/renew/${id}`)).status).toBe(403);
    expect((await call('DELETE', `/${id}`)).status).toBe(403);
  });

  it('refuses a callback that fails verification, and non-loopback callbacks', async () => {
    const bad = await call('POST', '', {
      callback_url: receiver.url,
      verification_token: 'wrong',
      event_type: 'create',
      data_type: 'sleep',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/verification/i);
    const remote = await subscribe('create', 'sleep', 'https://example.com/hook');
    expect(remote.status).toBe(400);
    expect(remote.body.detail).toMatch(/127\.0\.0\.1|localhost/);
    expect((await call('GET', '')).body).toEqual([]);
  });

  it('answers invalid bodies with 422 and wrong app credentials with 401', async () => {
    const invalid = await call('POST', '', {
      callback_url: receiver.url,
      event_type: 'upsert',
      data_type: 'heartrate',
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.detail.map((d: { loc: string[] }) => d.loc)).toEqual([
      ['body', 'verification_token'],
      ['body', 'event_type'],
      ['body', 'data_type'],
    ]);
    const anonymous = await call('GET', '', undefined, {});
    expect(anonymous.status).toBe(401);
    const wrong = await call('GET', '', undefined, { ...APP, 'x-client-secret': 'nope' });
    expect(wrong.status).toBe(401);
  });
});

describe('deliveries', () => {
  it('POSTs signed events: HMAC-SHA256(secret, timestamp + JSON body), hex upper-case', async () => {
    const sub = (await subscribe('create', 'daily_sleep')).body;
    await subscribe('create', 'workout');
    const results = await sim.deliverEvent({
      user: 'demo',
      dataType: 'daily_sleep',
      eventType: 'create',
      objectId: 'abc123',
    });
    expect(results).toEqual([{ subscriptionId: sub.id, callbackUrl: receiver.url, status: 200 }]);
    expect(receiver.events).toHaveLength(1);
    const [event] = receiver.events;
    expect(event?.body).toEqual({
      event_type: 'create',
      data_type: 'daily_sleep',
      object_id: 'abc123',
      event_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/),
      user_id: sim.users[0]?.personalInfo.id,
    });
    const timestamp = String(event?.headers['x-oura-timestamp']);
    expect(timestamp).toMatch(/^\d{10}$/);
    // Oura's sample verifier hashes JSON.stringify(parsed body): that must equal the raw bytes.
    expect(JSON.stringify(event?.body)).toBe(event?.raw);
    const expected = createHmac('sha256', SECRET)
      .update(timestamp + JSON.stringify(event?.body))
      .digest('hex')
      .toUpperCase();
    expect(event?.headers['x-oura-signature']).toBe(expected);
  });

  it('announces changed and deleted documents to update/delete subscribers', async () => {
    await subscribe('update', 'daily_readiness');
    await subscribe('delete', 'daily_readiness');
    const changed = sim.faults.changeDocuments('demo', 'daily_readiness', 2);
    const deleted = sim.faults.deleteDocuments('demo', 'daily_readiness', 1);
    await sim.webhooksIdle();
    const seen = receiver.events.map((e) => [e.body.event_type, e.body.object_id]).sort();
    expect(seen).toEqual(
      [...changed.map((id) => ['update', id]), ...deleted.map((id) => ['delete', id])].sort(),
    );
  });

  it('retries failed deliveries and drops a subscription that answers 410', async () => {
    const sub = (await subscribe('create', 'tag')).body;
    receiver.respondWith(500);
    const [first] = await sim.deliverEvent({
      user: 'demo',
      dataType: 'tag',
      eventType: 'create',
      objectId: 't1',
    });
    expect(first?.status).toBe(500);
    receiver.respondWith(200);
    await waitFor(() => receiver.events.length >= 2);
    expect(receiver.events.map((e) => e.body.object_id)).toEqual(['t1', 't1']);

    receiver.respondWith(410);
    await sim.deliverEvent({ user: 'demo', dataType: 'tag', eventType: 'create', objectId: 't2' });
    expect((await call('GET', `/${sub.id}`)).status).toBe(403);
  });

  it('can be driven over HTTP: POST /_sim/webhooks/deliver', async () => {
    await subscribe('create', 'vo2_max');
    const res = await fetch(`${sim.url}/_sim/webhooks/deliver`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user: 'alex',
        dataType: 'vo2_max',
        eventType: 'create',
        objectId: 'v1',
      }),
    });
    expect((await res.json()).deliveries).toHaveLength(1);
    expect(receiver.events[0]?.body).toMatchObject({
      object_id: 'v1',
      user_id: sim.users[1]?.personalInfo.id,
    });
  });
});
