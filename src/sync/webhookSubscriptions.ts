import type { Db } from '../db/database.ts';
import { DATA_TYPES, type DataType, ROUTES } from '../oura/routes.ts';
import {
  type OuraWebhookSubscription,
  WEBHOOK_EVENT_TYPES,
  type WebhookApi,
  type WebhookEventType,
} from '../oura/webhookApi.ts';
import { forgetSubscriptionsExcept, saveSubscription } from './webhookEvents.ts';
import { RENEW_WITHIN_MS } from './webhookHealth.ts';
import { webhookVerificationToken } from './webhookSignature.ts';

/**
 * Keep Oura's webhook subscriptions in line with what this app handles: one per (data type,
 * event type) for every data type Oura announces and we can fetch (routes.ts `webhook`), all
 * pointing at our callback. Oura does not document the lifetime of a subscription (NOTES
 * "Webhooks"), so ones expiring within 7 days are renewed; run this daily (the scheduler does).
 */

export const WEBHOOK_DATA_TYPES: readonly DataType[] = DATA_TYPES.filter((t) => ROUTES[t].webhook);

/** The callback path the server serves (src/server/webhooks/). */
export const WEBHOOK_CALLBACK_PATH = '/webhooks/oura';

export function webhookCallbackUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${WEBHOOK_CALLBACK_PATH}`;
}

export interface SubscriptionChange {
  id: string;
  dataType: string;
  eventType: string;
  expirationTime: string;
}

export interface SubscriptionSyncResult {
  created: SubscriptionChange[];
  renewed: SubscriptionChange[];
  /** Pointing elsewhere, duplicated, or for a data type not handled: deleted at Oura. */
  deleted: SubscriptionChange[];
  unchanged: SubscriptionChange[];
  errors: { dataType: string; eventType: string; message: string }[];
}

const change = (s: OuraWebhookSubscription): SubscriptionChange => ({
  id: s.id,
  dataType: s.data_type,
  eventType: s.event_type,
  expirationTime: s.expiration_time,
});

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function syncWebhookSubscriptions(
  db: Db,
  args: {
    api: WebhookApi;
    callbackUrl: string;
    clientSecret: string;
    now?: Date;
    renewWithinMs?: number;
  },
): Promise<SubscriptionSyncResult> {
  const { api, callbackUrl } = args;
  const now = (args.now ?? new Date()).getTime();
  const renewWithin = args.renewWithinMs ?? RENEW_WITHIN_MS;
  const result: SubscriptionSyncResult = {
    created: [],
    renewed: [],
    deleted: [],
    unchanged: [],
    errors: [],
  };
  const wanted = new Set(
    WEBHOOK_DATA_TYPES.flatMap((t) => WEBHOOK_EVENT_TYPES.map((e) => `${t}/${e}`)),
  );
  const held = new Map<string, OuraWebhookSubscription>();
  for (const sub of await api.list()) {
    const key = `${sub.data_type}/${sub.event_type}`;
    if (sub.callback_url === callbackUrl && wanted.has(key) && !held.has(key)) {
      held.set(key, sub);
      continue;
    }
    try {
      await api.delete(sub.id);
      result.deleted.push(change(sub));
    } catch (e) {
      result.errors.push({
        dataType: sub.data_type,
        eventType: sub.event_type,
        message: message(e),
      });
    }
  }

  const keep: OuraWebhookSubscription[] = [];
  const verificationToken = webhookVerificationToken(args.clientSecret);
  for (const dataType of WEBHOOK_DATA_TYPES) {
    for (const eventType of WEBHOOK_EVENT_TYPES) {
      const existing = held.get(`${dataType}/${eventType}`);
      try {
        if (existing) {
          const expires = Date.parse(existing.expiration_time);
          if (Number.isNaN(expires) || expires - now < renewWithin) {
            const renewed = await api.renew(existing.id);
            keep.push(renewed);
            result.renewed.push(change(renewed));
          } else {
            keep.push(existing);
            result.unchanged.push(change(existing));
          }
        } else {
          const created = await api.create({
            callbackUrl,
            verificationToken,
            eventType: eventType as WebhookEventType,
            dataType,
          });
          keep.push(created);
          result.created.push(change(created));
        }
      } catch (e) {
        result.errors.push({ dataType, eventType, message: message(e) });
        if (existing) keep.push(existing);
      }
    }
  }
  await mirrorSubscriptions(db, keep, new Set(result.renewed.map((r) => r.id)));
  return result;
}

/** Store what Oura holds, so the dashboard can show webhook health without asking Oura. */
export async function mirrorSubscriptions(
  db: Db,
  subs: readonly OuraWebhookSubscription[],
  renewedIds: ReadonlySet<string> = new Set(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await forgetSubscriptionsExcept(
      trx,
      subs.map((s) => s.id),
    );
    for (const s of subs) {
      const expires = Date.parse(s.expiration_time);
      await saveSubscription(trx, {
        id: s.id,
        dataType: s.data_type,
        eventType: s.event_type,
        callbackUrl: s.callback_url,
        expirationTime: Number.isNaN(expires) ? new Date(0) : new Date(expires),
        renewed: renewedIds.has(s.id),
      });
    }
  });
}

/** Delete every subscription of the app at Oura and forget them here. */
export async function deleteAllWebhookSubscriptions(
  db: Db,
  api: WebhookApi,
): Promise<{ deleted: SubscriptionChange[]; errors: { id: string; message: string }[] }> {
  const deleted: SubscriptionChange[] = [];
  const errors: { id: string; message: string }[] = [];
  const remaining: OuraWebhookSubscription[] = [];
  for (const sub of await api.list()) {
    try {
      await api.delete(sub.id);
      deleted.push(change(sub));
    } catch (e) {
      errors.push({ id: sub.id, message: message(e) });
      remaining.push(sub);
    }
  }
  await mirrorSubscriptions(db, remaining);
  return { deleted, errors };
}

/**
 * Renew the app's subscriptions that expire within 7 days (and nothing else): what a running
 * server does daily. Safe when several instances do it at once.
 */
export async function renewExpiringSubscriptions(
  db: Db,
  api: WebhookApi,
  opts: { now?: Date; renewWithinMs?: number } = {},
): Promise<{ renewed: SubscriptionChange[]; errors: { id: string; message: string }[] }> {
  const now = (opts.now ?? new Date()).getTime();
  const renewWithin = opts.renewWithinMs ?? RENEW_WITHIN_MS;
  const renewed: SubscriptionChange[] = [];
  const errors: { id: string; message: string }[] = [];
  const held: OuraWebhookSubscription[] = [];
  for (const sub of await api.list()) {
    const expires = Date.parse(sub.expiration_time);
    if (!Number.isNaN(expires) && expires - now >= renewWithin) {
      held.push(sub);
      continue;
    }
    try {
      const fresh = await api.renew(sub.id);
      held.push(fresh);
      renewed.push(change(fresh));
    } catch (e) {
      held.push(sub);
      errors.push({ id: sub.id, message: message(e) });
    }
  }
  await mirrorSubscriptions(db, held, new Set(renewed.map((r) => r.id)));
  return { renewed, errors };
}
