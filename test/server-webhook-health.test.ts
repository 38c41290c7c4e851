import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookHealthResponse } from '../src/api/types.ts';
import { loadConfig } from '../src/config/env.ts';
import type { OpenDatabase } from '../src/db/database.ts';
import { createApp } from '../src/server/app.ts';
import { recordWebhookEvent, saveSubscription } from '../src/sync/webhookEvents.ts';
import { anonymous, setupOwner, type TestSession } from './support/auth.ts';
import { openTestDatabase } from './support/db.ts';

/** The Data page's "Live updates" card: webhook health as the API reports it. */

let database: OpenDatabase;
let app: FastifyInstance;
let owner: TestSession;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await createApp({
    config: loadConfig({ SNOWTORCH_SYNC_INTERVAL_MINUTES: '30' }),
    db: database.db,
    webDir: null,
  });
  owner = await setupOwner(app, 'demo');
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('GET /api/webhooks/health', () => {
  it('asks for a login first', async () => {
    const res = await (await anonymous(app)).inject('/api/webhooks/health');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('says polling only when no webhook is set up (the common case)', async () => {
    expect(await owner.get<WebhookHealthResponse>('/api/webhooks/health')).toEqual({
      state: 'none',
      pollIntervalMinutes: 30,
      subscriptions: 0,
      activeSubscriptions: 0,
      nextExpiry: null,
      expiresSoon: false,
      lastEventAt: null,
      eventsLast24h: 0,
    });
  });

  it('says ok with a live subscription and a recent delivery', async () => {
    const soon = new Date(Date.now() + 3 * 86_400_000);
    const later = new Date(Date.now() + 60 * 86_400_000);
    for (const [id, eventType, expirationTime] of [
      ['sub-create', 'create', later],
      ['sub-update', 'update', soon],
    ] as const) {
      await saveSubscription(database.db, {
        id,
        dataType: 'daily_sleep',
        eventType,
        callbackUrl: 'https://snowtorch.example/webhooks/oura',
        expirationTime,
      });
    }
    await recordWebhookEvent(database.db, {
      ouraUserId: 'oura-demo',
      userId: null,
      dataType: 'daily_sleep',
      eventType: 'update',
      objectId: 'doc-1',
      eventTime: new Date(),
      signatureTimestamp: new Date(),
      status: 'ignored',
      eventHash: 'hash-1',
    });
    const health = await owner.get<WebhookHealthResponse>('/api/webhooks/health');
    expect(health).toMatchObject({
      state: 'ok',
      subscriptions: 2,
      activeSubscriptions: 2,
      nextExpiry: soon.toISOString(),
      expiresSoon: true,
      eventsLast24h: 1,
    });
    expect(Date.now() - Date.parse(health.lastEventAt ?? '')).toBeLessThan(60_000);
    // Server configuration stays out of the answer.
    expect(JSON.stringify(health)).not.toContain('snowtorch.example');
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await owner.inject('/api/openapi.json')).json() as {
      paths: Record<string, { get?: { tags?: string[] } }>;
    };
    expect(doc.paths['/api/webhooks/health']?.get?.tags).toEqual(['data']);
  });
});
