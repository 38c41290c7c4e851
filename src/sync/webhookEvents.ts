import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** Webhook deliveries received (table webhook_event) and the subscriptions held (webhook_subscription). */

export type WebhookEventStatus = 'queued' | 'ignored';

export interface NewWebhookEvent {
  ouraUserId: string;
  userId: number | null;
  dataType: string;
  eventType: string;
  objectId: string;
  eventTime: Date | null;
  signatureTimestamp: Date;
  status: WebhookEventStatus;
  eventHash: string;
}

/** Record a delivery; 'duplicate' when the same event (same hash) was recorded before. */
export async function recordWebhookEvent(
  db: Db,
  event: NewWebhookEvent,
): Promise<'recorded' | 'duplicate'> {
  const row = await db
    .insertInto('webhook_event')
    .values({
      oura_user_id: event.ouraUserId,
      user_id: event.userId,
      data_type: event.dataType,
      event_type: event.eventType,
      object_id: event.objectId,
      event_time: event.eventTime,
      signature_timestamp: event.signatureTimestamp,
      status: event.status,
      event_hash: event.eventHash,
    })
    .onConflict((oc) => oc.column('event_hash').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? 'recorded' : 'duplicate';
}

export async function lastWebhookEventAt(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('webhook_event')
    .select((eb) => eb.fn.max('received_at').as('last'))
    .executeTakeFirst();
  return row?.last ?? null;
}

export async function countWebhookEventsSince(db: Db, since: Date): Promise<number> {
  const row = await db
    .selectFrom('webhook_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('received_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Forget deliveries received before `before` (replay protection needs only minutes of them). */
export async function pruneWebhookEvents(db: Db, before: Date): Promise<number> {
  const res = await db
    .deleteFrom('webhook_event')
    .where('received_at', '<', before)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

export interface StoredSubscription {
  id: string;
  dataType: string;
  eventType: string;
  callbackUrl: string;
  expirationTime: Date;
  createdAt: Date;
  renewedAt: Date | null;
}

export async function listStoredSubscriptions(db: Db): Promise<StoredSubscription[]> {
  const rows = await db
    .selectFrom('webhook_subscription')
    .selectAll()
    .orderBy('data_type')
    .orderBy('event_type')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    dataType: r.data_type,
    eventType: r.event_type,
    callbackUrl: r.callback_url,
    expirationTime: r.expiration_time,
    createdAt: r.created_at,
    renewedAt: r.renewed_at,
  }));
}

/** Insert or refresh one subscription as Oura reported it. */
export async function saveSubscription(
  db: Db,
  sub: {
    id: string;
    dataType: string;
    eventType: string;
    callbackUrl: string;
    expirationTime: Date;
    renewed?: boolean;
  },
): Promise<void> {
  await db
    .insertInto('webhook_subscription')
    .values({
      id: sub.id,
      data_type: sub.dataType,
      event_type: sub.eventType,
      callback_url: sub.callbackUrl,
      expiration_time: sub.expirationTime,
      renewed_at: sub.renewed ? new Date() : null,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        data_type: eb.ref('excluded.data_type'),
        event_type: eb.ref('excluded.event_type'),
        callback_url: eb.ref('excluded.callback_url'),
        expiration_time: eb.ref('excluded.expiration_time'),
        renewed_at: sub.renewed ? sql<Date>`now()` : eb.ref('webhook_subscription.renewed_at'),
      })),
    )
    .execute();
}

/** Drop stored subscriptions not in `keepIds` (Oura no longer lists them). */
export async function forgetSubscriptionsExcept(
  db: Db,
  keepIds: readonly string[],
): Promise<number> {
  let q = db.deleteFrom('webhook_subscription');
  if (keepIds.length > 0) q = q.where('id', 'not in', [...keepIds]);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}
