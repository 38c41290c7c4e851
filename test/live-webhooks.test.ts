import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWebhooksCommand } from '../src/cli/commands/webhooks.ts';
import type { User } from '../src/db/users.ts';
import { createWebhookApi } from '../src/oura/webhookApi.ts';
import { registerWebhookRoutes } from '../src/server/webhooks/ouraWebhookRoutes.ts';
import { type Scheduler, startScheduler } from '../src/sync/scheduler.ts';
import { getWebhookHealth } from '../src/sync/webhookHealth.ts';
import { signWebhookPayload, webhookVerificationToken } from '../src/sync/webhookSignature.ts';
import {
  renewExpiringSubscriptions,
  type SubscriptionSyncResult,
  syncWebhookSubscriptions,
} from '../src/sync/webhookSubscriptions.ts';
import {
  deletedIds,
  type SyncHarness,
  startSyncHarness,
  storedDocuments,
} from './support/syncHarness.ts';

const SECRET = 'snowtorch-dev-secret';
const PATH = '/webhooks/oura';

let h: SyncHarness;
let demo: User;
let app: FastifyInstance;
let callbackUrl: string;

function signed(body: string, opts: { at?: number; secret?: string } = {}) {
  const timestamp = String(Math.floor((opts.at ?? Date.now()) / 1000));
  return {
    'content-type': 'application/json',
    'x-oura-timestamp': timestamp,
    'x-oura-signature': signWebhookPayload(opts.secret ?? SECRET, timestamp, body),
  };
}

function event(objectId: string, overrides: Record<string, unknown> = {}) {
  return {
    event_type: 'update',
    data_type: 'daily_sleep',
    object_id: objectId,
    event_time: new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    user_id: h.simUser('demo').personalInfo.id,
    ...overrides,
  };
}

const jobs = (kind?: string) => {
  let q = h.db.selectFrom('sync_job').selectAll();
  if (kind) q = q.where('kind', '=', kind);
  return q.orderBy('id').execute();
};

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  h = await startSyncHarness({ days: 14 });
  demo = await h.connect('demo');
  expect((await h.sync(demo.id)).status).toBe('succeeded');
  app = Fastify();
  await registerWebhookRoutes(app, { db: h.db, config: h.config });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  callbackUrl = `${address}${PATH}`;
});

afterAll(async () => {
  await app?.close();
  await h?.close();
});

describe('webhook callback', () => {
  it('answers the verification challenge only with the token it derived', async () => {
    const ok = await app.inject({
      url: PATH,
      query: { verification_token: webhookVerificationToken(SECRET), challenge: 'abc123' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ challenge: 'abc123' });
    const wrong = await app.inject({
      url: PATH,
      query: { verification_token: 'guess', challenge: 'abc123' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('queues a signed event, and treats the same event again as a duplicate', async () => {
    const [docId] = [...(await storedDocuments(h.db, demo.id, 'daily_sleep')).keys()];
    const body = JSON.stringify(event(docId ?? 'x'));
    const first = await app.inject({ method: 'POST', url: PATH, headers: signed(body), body });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'queued' });
    const queued = await jobs('webhook_fetch');
    expect(queued).toHaveLength(1);
    expect(queued[0]?.user_id).toBe(demo.id);
    expect(queued[0]?.payload).toMatchObject({ dataType: 'daily_sleep', objectId: docId });

    // A replay (the identical request) is answered 200 so Oura does not retry it, and ignored.
    const replay = await app.inject({ method: 'POST', url: PATH, headers: signed(body), body });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ status: 'duplicate' });
    expect(await jobs('webhook_fetch')).toHaveLength(1);
    const events = await h.db.selectFrom('webhook_event').selectAll().execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.status).toBe('queued');
    await h.db.deleteFrom('sync_job').execute();
  });

  it('refuses forged signatures and stale or future timestamps with 401', async () => {
    const body = JSON.stringify(event('forged-1'));
    const forged = await app.inject({
      method: 'POST',
      url: PATH,
      headers: signed(body, { secret: 'not-the-secret' }),
      body,
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('bad_signature');

    const tampered = await app.inject({
      method: 'POST',
      url: PATH,
      headers: signed(body),
      body: body.replace('forged-1', 'forged-2'),
    });
    expect(tampered.statusCode).toBe(401);

    const unsigned = await app.inject({
      method: 'POST',
      url: PATH,
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.statusCode).toBe(401);

    const stale = await app.inject({
      method: 'POST',
      url: PATH,
      headers: signed(body, { at: Date.now() - 6 * 60_000 }),
      body,
    });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.code).toBe('stale_timestamp');

    const future = await app.inject({
      method: 'POST',
      url: PATH,
      headers: signed(body, { at: Date.now() + 10 * 60_000 }),
      body,
    });
    expect(future.statusCode).toBe(401);
    expect(await jobs()).toHaveLength(0);
  });

  it("accepts a signature over JSON.stringify of the body (Oura's sample) as well as the raw bytes", async () => {
    const payload = event('reformatted');
    const raw = JSON.stringify(payload, null, 2);
    const res = await app.inject({
      method: 'POST',
      url: PATH,
      headers: signed(JSON.stringify(payload)),
      body: raw,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'queued' });
    await h.db.deleteFrom('sync_job').execute();
  });

  it('answers 200 to events of Oura users not connected here and queues nothing', async () => {
    const body = JSON.stringify(event('someone-else', { user_id: 'unknown-oura-user' }));
    const res = await app.inject({ method: 'POST', url: PATH, headers: signed(body), body });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ignored' });
    expect(await jobs()).toHaveLength(0);
  });
});

describe('webhooks sync and live updates', () => {
  let first: SubscriptionSyncResult;

  it('creates one subscription per data type and event, verified over HTTP; a second run creates none', async () => {
    const outputs: string[] = [];
    const io = { env: h.env, database: h.database, out: (t: string) => outputs.push(t) };
    await runWebhooksCommand(['sync', '--callback-url', callbackUrl, '--json'], io);
    first = JSON.parse(outputs[0] ?? '{}');
    // 16 fetchable data types (routes.ts `webhook`) x create/update/delete.
    expect(first.created).toHaveLength(16 * 3);
    expect(first.errors).toEqual([]);
    await runWebhooksCommand(['sync', '--callback-url', callbackUrl, '--json'], io);
    const second: SubscriptionSyncResult = JSON.parse(outputs[1] ?? '{}');
    expect(second.created).toHaveLength(0);
    expect(second.unchanged).toHaveLength(48);

    const health = await getWebhookHealth(h.db);
    expect(health.subscriptions).toHaveLength(48);
    expect(health.state).toBe('ok');
    expect(health.silent).toBe(false);
  });

  it('renews subscriptions close to expiry and replaces ones pointing elsewhere', async () => {
    const api = createWebhookApi({
      baseUrl: h.sim.url,
      clientId: 'snowtorch-dev',
      clientSecret: SECRET,
    });
    // Seen 25 days from now, the simulator's 30-day subscriptions expire within the 7-day margin.
    const later = await syncWebhookSubscriptions(h.db, {
      api,
      callbackUrl,
      clientSecret: SECRET,
      now: new Date(Date.now() + 25 * 86_400_000),
    });
    expect(later.renewed).toHaveLength(48);
    expect(later.created).toHaveLength(0);
    // What a running server does daily: renew only, create nothing.
    const daily = await renewExpiringSubscriptions(h.db, api, {
      now: new Date(Date.now() + 25 * 86_400_000),
    });
    expect(daily.renewed).toHaveLength(48);
    expect((await renewExpiringSubscriptions(h.db, api)).renewed).toHaveLength(0);

    const moved = await syncWebhookSubscriptions(h.db, {
      api,
      callbackUrl: `${callbackUrl}?v=2`,
      clientSecret: SECRET,
    });
    expect(moved.deleted).toHaveLength(48);
    expect(moved.created).toHaveLength(48);
    expect((await api.list()).every((s) => s.callback_url === `${callbackUrl}?v=2`)).toBe(true);
  });

  it('a changed document arrives by webhook: queued, fetched by the worker and stored', async () => {
    let scheduler: Scheduler | undefined;
    try {
      scheduler = startScheduler({
        ctx: h.ctx,
        db: h.db,
        intervalMs: 0,
        pollMs: 50,
        tickMs: 60_000,
        workerId: 'test-worker',
      });
      const [changedId] = h.sim.faults.changeDocuments('demo', 'daily_sleep', 1);
      if (!changedId) throw new Error('simulator changed nothing');
      await h.sim.webhooksIdle();
      const job = await until('the fetch job', async () => {
        const done = (await jobs('webhook_fetch')).find(
          (j) => j.status === 'succeeded' && j.payload.objectId === changedId,
        );
        return done;
      });
      expect(job.locked_by).toBe('test-worker');
      const stored = await storedDocuments(h.db, demo.id, 'daily_sleep');
      const upstream = h.simUser('demo').documents.daily_sleep.get(changedId);
      expect(stored.get(changedId)).toEqual(JSON.parse(JSON.stringify(upstream)));

      const [deletedId] = h.sim.faults.deleteDocuments('demo', 'sleep_time', 1);
      if (!deletedId) throw new Error('simulator deleted nothing');
      await h.sim.webhooksIdle();
      await until('the delete job', async () =>
        (await jobs('webhook_delete')).find((j) => j.status === 'succeeded'),
      );
      expect(await deletedIds(h.db, demo.id, 'sleep_time')).toContain(deletedId);
      expect((await storedDocuments(h.db, demo.id, 'sleep_time')).has(deletedId)).toBe(false);
    } finally {
      await scheduler?.stop();
    }
    const health = await getWebhookHealth(h.db);
    expect(health.lastEventAt).not.toBeNull();
    expect(health.eventsLast24h).toBeGreaterThanOrEqual(2);
    // Two days without a delivery: silent (polling still runs).
    const quiet = await getWebhookHealth(h.db, { now: new Date(Date.now() + 49 * 3_600_000) });
    expect(quiet.silent).toBe(true);
    expect(quiet.state).toBe('silent');
  });
});
