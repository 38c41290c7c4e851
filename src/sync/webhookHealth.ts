import type { Db } from '../db/database.ts';
import {
  countWebhookEventsSince,
  lastWebhookEventAt,
  listStoredSubscriptions,
} from './webhookEvents.ts';

/**
 * Are webhooks working? Oura's webhooks can go silent for days while the subscriptions still
 * look active (NOTES "Known problems"), and subscriptions expire. The scheduler keeps polling
 * whatever this says; this tells the person looking at the data page whether to trust webhooks.
 */

/** No delivery for this long while subscriptions exist counts as silent. */
export const WEBHOOK_SILENCE_MS = 48 * 3_600_000;
/** Subscriptions expiring within this are renewed by `snowtorch webhooks sync`. */
export const RENEW_WITHIN_MS = 7 * 86_400_000;

export interface WebhookHealth {
  subscriptions: {
    id: string;
    dataType: string;
    eventType: string;
    callbackUrl: string;
    expirationTime: string;
    expired: boolean;
    /** Expires within 7 days: `snowtorch webhooks sync` renews it. */
    expiresSoon: boolean;
  }[];
  /** Last delivery received (any user or type), ISO, or null when none. */
  lastEventAt: string | null;
  eventsLast24h: number;
  /**
   * Subscriptions exist but nothing arrived for 48 h (counted from the oldest subscription when
   * no event ever arrived): data still comes in by polling, only later.
   */
  silent: boolean;
  /** 'none' (no subscriptions), 'ok', 'silent', or 'expired' (every subscription expired). */
  state: 'none' | 'ok' | 'silent' | 'expired';
}

export async function getWebhookHealth(
  db: Db,
  opts: { now?: Date; silentAfterMs?: number } = {},
): Promise<WebhookHealth> {
  const now = opts.now ?? new Date();
  const silentAfter = opts.silentAfterMs ?? WEBHOOK_SILENCE_MS;
  const [subs, last, recent] = await Promise.all([
    listStoredSubscriptions(db),
    lastWebhookEventAt(db),
    countWebhookEventsSince(db, new Date(now.getTime() - 86_400_000)),
  ]);
  const subscriptions = subs.map((s) => ({
    id: s.id,
    dataType: s.dataType,
    eventType: s.eventType,
    callbackUrl: s.callbackUrl,
    expirationTime: s.expirationTime.toISOString(),
    expired: s.expirationTime.getTime() <= now.getTime(),
    expiresSoon: s.expirationTime.getTime() - now.getTime() < RENEW_WITHIN_MS,
  }));
  let silent = false;
  if (subs.length > 0) {
    const since = last ?? new Date(Math.min(...subs.map((s) => s.createdAt.getTime())));
    silent = now.getTime() - since.getTime() > silentAfter;
  }
  const state =
    subs.length === 0
      ? 'none'
      : subscriptions.every((s) => s.expired)
        ? 'expired'
        : silent
          ? 'silent'
          : 'ok';
  return {
    subscriptions,
    lastEventAt: last ? last.toISOString() : null,
    eventsLast24h: recent,
    silent,
    state,
  };
}
