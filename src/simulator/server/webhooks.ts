import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { SimStats } from './stats.ts';

/**
 * Webhook subscriptions and deliveries as the spec's "Webhook Subscription Routes" describe
 * them: a verification GET on create, then signed POSTs of `{event_type, data_type, object_id,
 * event_time, user_id}`; failed deliveries are retried 10 times "for about an hour", a 410
 * cancels the subscription. The simulator only ever calls loopback URLs.
 */

export const WEBHOOK_EVENT_TYPES = ['create', 'update', 'delete'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** spec `ExtApiV2DataType` (no heartrate; `meal` exists upstream though no route serves it). */
export const WEBHOOK_DATA_TYPES = [
  'tag',
  'enhanced_tag',
  'workout',
  'session',
  'sleep',
  'daily_sleep',
  'daily_readiness',
  'daily_activity',
  'daily_spo2',
  'sleep_time',
  'rest_mode_period',
  'ring_configuration',
  'daily_stress',
  'daily_cardiovascular_age',
  'daily_resilience',
  'vo2_max',
  'meal',
] as const;
export type WebhookDataType = (typeof WEBHOOK_DATA_TYPES)[number];

export interface WebhookSubscription {
  id: string;
  callback_url: string;
  event_type: WebhookEventType;
  data_type: WebhookDataType;
  expiration_time: string;
}

interface StoredSubscription extends WebhookSubscription {
  clientId: string;
  verificationToken: string;
}

export interface WebhookEvent {
  /** Simulated user name ('demo', ...). */
  user: string;
  dataType: WebhookDataType;
  eventType: WebhookEventType;
  objectId: string;
}

export interface WebhookDelivery {
  subscriptionId: string;
  callbackUrl: string;
  /** HTTP status of the first attempt, or null when it failed to connect or timed out. */
  status: number | null;
  error?: string;
}

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Only http(s) URLs on this machine: the simulator must never send traffic elsewhere. */
export function isLoopbackUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  return (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK_HOSTS.has(u.hostname);
}

/** `x-oura-signature`: HMAC-SHA256(client secret, timestamp + JSON body), hex, upper-case. */
export function signWebhook(clientSecret: string, timestamp: string, body: string): string {
  return createHmac('sha256', clientSecret)
    .update(timestamp + body)
    .digest('hex')
    .toUpperCase();
}

/** Oura's event_time style: '2023-01-01T08:00:00+00:00'. */
function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

const DELIVERY_TIMEOUT_MS = 10_000;
const RETRIES = 10;
const MAX_RETRY_DELAY_MS = 10 * 60_000;

export interface WebhookHubOptions {
  clientSecret: string;
  ttlSeconds: number;
  /** First retry delay; doubles per retry up to 10 minutes (~1 hour in all with 15 s). */
  retryBaseMs: number;
  stats: SimStats;
  userIdOf(user: string): string | undefined;
}

export class WebhookHub {
  readonly #subs = new Map<string, StoredSubscription>();
  readonly #opts: WebhookHubOptions;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #closing = new AbortController();

  constructor(opts: WebhookHubOptions) {
    this.#opts = opts;
  }

  #public(sub: StoredSubscription): WebhookSubscription {
    const { id, callback_url, event_type, data_type, expiration_time } = sub;
    return { id, callback_url, event_type, data_type, expiration_time };
  }

  #expiry(): string {
    return new Date(Date.now() + this.#opts.ttlSeconds * 1000).toISOString();
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    promise.finally(() => this.#inFlight.delete(promise)).catch(() => {});
    return promise;
  }

  list(clientId: string): WebhookSubscription[] {
    return [...this.#subs.values()]
      .filter((s) => s.clientId === clientId)
      .map((s) => this.#public(s));
  }

  get(clientId: string, id: string): WebhookSubscription | undefined {
    const sub = this.#subs.get(id);
    return sub?.clientId === clientId ? this.#public(sub) : undefined;
  }

  /** The verification handshake: GET ?verification_token&challenge, expect {"challenge"} back. */
  async #verify(callbackUrl: string, verificationToken: string): Promise<void> {
    if (!isLoopbackUrl(callbackUrl)) {
      throw new WebhookVerificationError(
        'callback_url must be an http(s) URL on 127.0.0.1 or localhost',
      );
    }
    const challenge = randomBytes(16).toString('hex');
    const url = new URL(callbackUrl);
    url.searchParams.set('verification_token', verificationToken);
    url.searchParams.set('challenge', challenge);
    let res: Response;
    try {
      res = await this.#track(
        fetch(url, {
          redirect: 'manual',
          signal: AbortSignal.any([AbortSignal.timeout(DELIVERY_TIMEOUT_MS), this.#closing.signal]),
        }),
      );
    } catch (err) {
      throw new WebhookVerificationError(`verification request failed: ${(err as Error).message}`);
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      throw new WebhookVerificationError(`verification request answered ${res.status}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new WebhookVerificationError('verification response is not JSON');
    }
    if (
      typeof body !== 'object' ||
      body === null ||
      (body as Record<string, unknown>).challenge !== challenge
    ) {
      throw new WebhookVerificationError('verification response did not echo the challenge');
    }
  }

  async create(
    clientId: string,
    req: {
      callback_url: string;
      verification_token: string;
      event_type: WebhookEventType;
      data_type: WebhookDataType;
    },
  ): Promise<WebhookSubscription> {
    await this.#verify(req.callback_url, req.verification_token);
    const sub: StoredSubscription = {
      id: randomUUID(),
      callback_url: req.callback_url,
      event_type: req.event_type,
      data_type: req.data_type,
      expiration_time: this.#expiry(),
      clientId,
      verificationToken: req.verification_token,
    };
    this.#subs.set(sub.id, sub);
    return this.#public(sub);
  }

  async update(
    clientId: string,
    id: string,
    req: {
      verification_token: string;
      callback_url?: string | null;
      event_type?: WebhookEventType | null;
      data_type?: WebhookDataType | null;
    },
  ): Promise<WebhookSubscription | undefined> {
    const sub = this.#subs.get(id);
    if (sub?.clientId !== clientId) return undefined;
    const callbackUrl = req.callback_url ?? sub.callback_url;
    await this.#verify(callbackUrl, req.verification_token);
    sub.callback_url = callbackUrl;
    sub.verificationToken = req.verification_token;
    sub.event_type = req.event_type ?? sub.event_type;
    sub.data_type = req.data_type ?? sub.data_type;
    return this.#public(sub);
  }

  delete(clientId: string, id: string): boolean {
    const sub = this.#subs.get(id);
    if (sub?.clientId !== clientId) return false;
    this.#subs.delete(id);
    return true;
  }

  renew(clientId: string, id: string): WebhookSubscription | undefined {
    const sub = this.#subs.get(id);
    if (sub?.clientId !== clientId) return undefined;
    sub.expiration_time = this.#expiry();
    return this.#public(sub);
  }

  /** Active (unexpired) subscriptions for an event. */
  #matching(event: Pick<WebhookEvent, 'dataType' | 'eventType'>): StoredSubscription[] {
    const now = Date.now();
    return [...this.#subs.values()].filter(
      (s) =>
        s.data_type === event.dataType &&
        s.event_type === event.eventType &&
        Date.parse(s.expiration_time) > now,
    );
  }

  hasSubscribers(event: Pick<WebhookEvent, 'dataType' | 'eventType'>): boolean {
    return this.#matching(event).length > 0;
  }

  /**
   * POST the event to every matching subscription. Resolves after each first attempt; failed
   * attempts are retried in the background.
   */
  async deliver(event: WebhookEvent): Promise<WebhookDelivery[]> {
    const userId = this.#opts.userIdOf(event.user);
    if (userId === undefined) throw new Error(`Unknown simulated user: ${event.user}`);
    const body = JSON.stringify({
      event_type: event.eventType,
      data_type: event.dataType,
      object_id: event.objectId,
      event_time: eventTime(Date.now()),
      user_id: userId,
    });
    return Promise.all(
      this.#matching(event).map((sub) => this.#track(this.#attempt(sub, body, 0))),
    );
  }

  async #attempt(sub: StoredSubscription, body: string, retry: number): Promise<WebhookDelivery> {
    const result: WebhookDelivery = {
      subscriptionId: sub.id,
      callbackUrl: sub.callback_url,
      status: null,
    };
    if (!isLoopbackUrl(sub.callback_url)) {
      return { ...result, error: 'refused: callback_url is not on the loopback interface' };
    }
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const res = await fetch(sub.callback_url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'x-oura-timestamp': timestamp,
          'x-oura-signature': signWebhook(this.#opts.clientSecret, timestamp, body),
        },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(DELIVERY_TIMEOUT_MS), this.#closing.signal]),
      });
      await res.arrayBuffer().catch(() => undefined);
      result.status = res.status;
    } catch (err) {
      result.error = (err as Error).message;
    }
    // 2xx and 3xx are accepted (spec FAQ); 410 cancels the subscription.
    if (result.status !== null && result.status >= 200 && result.status < 400) {
      this.#opts.stats.webhookDeliveries++;
      return result;
    }
    this.#opts.stats.webhookFailures++;
    if (result.status === 410) {
      this.#subs.delete(sub.id);
    } else if (retry < RETRIES && !this.#closing.signal.aborted) {
      const delay = Math.min(MAX_RETRY_DELAY_MS, this.#opts.retryBaseMs * 2 ** retry);
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        if (this.#subs.has(sub.id)) this.#track(this.#attempt(sub, body, retry + 1));
      }, delay);
      timer.unref();
      this.#timers.add(timer);
    }
    return result;
  }

  /** Resolves when no verification or delivery request is in flight. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  close(): void {
    this.#closing.abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
