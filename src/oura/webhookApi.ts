import { OuraError, OuraProtocolError, OuraTimeoutError, OuraUpstreamError } from './errors.ts';
import { describeUrl, errorDetail } from './http.ts';

/**
 * Oura's webhook subscription API (spec "Webhook Subscription Routes", NOTES "Webhooks"):
 * application-level, authenticated with the `x-client-id` / `x-client-secret` headers rather
 * than a user's token. An unknown subscription id answers 403 (recorded body
 * `{"detail":"Forbidden"}`), not 404.
 */

export const WEBHOOK_EVENT_TYPES = ['create', 'update', 'delete'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface OuraWebhookSubscription {
  id: string;
  callback_url: string;
  event_type: string;
  data_type: string;
  expiration_time: string;
}

export interface WebhookApiOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per request; creating a subscription waits for Oura's verification call (default 30 000). */
  timeoutMs?: number;
}

export class OuraWebhookApiError extends OuraError {
  constructor(message: string, opts: { status: number | null; cause?: unknown }) {
    super(message, { status: opts.status, code: 'webhook_api_error', cause: opts.cause });
    this.name = 'OuraWebhookApiError';
  }
}

export interface WebhookApi {
  list(): Promise<OuraWebhookSubscription[]>;
  create(args: {
    callbackUrl: string;
    verificationToken: string;
    eventType: WebhookEventType;
    dataType: string;
  }): Promise<OuraWebhookSubscription>;
  renew(id: string): Promise<OuraWebhookSubscription>;
  delete(id: string): Promise<void>;
}

function isSubscription(v: unknown): v is OuraWebhookSubscription {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.callback_url === 'string' &&
    typeof r.event_type === 'string' &&
    typeof r.data_type === 'string' &&
    typeof r.expiration_time === 'string'
  );
}

export function createWebhookApi(opts: WebhookApiOptions): WebhookApi {
  const base = `${opts.baseUrl.replace(/\/+$/, '')}/v2/webhook/subscription`;
  const timeoutMs = opts.timeoutMs ?? 30_000;

  async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) {
    const what = `${method} ${describeUrl(url)}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        redirect: 'error',
        signal: timeout,
        headers: {
          'x-client-id': opts.clientId,
          'x-client-secret': opts.clientSecret,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      if (timeout.aborted) {
        throw new OuraTimeoutError(`${what}: no response within ${timeoutMs} ms`, {
          timeoutMs,
          cause: err,
        });
      }
      throw new OuraUpstreamError(`${what}: could not reach Oura (${String(err)})`, {
        code: 'network_error',
        cause: err,
      });
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch (err) {
      if (res.ok) {
        throw new OuraProtocolError(`${what}: response is not JSON`, {
          status: res.status,
          cause: err,
        });
      }
    }
    if (!res.ok) {
      throw new OuraWebhookApiError(
        `${what} answered ${res.status}: ${errorDetail({ body: parsed, text })}`,
        { status: res.status },
      );
    }
    return parsed;
  }

  const one = (what: string, v: unknown): OuraWebhookSubscription => {
    if (!isSubscription(v)) {
      throw new OuraProtocolError(`${what}: response is not a webhook subscription`);
    }
    return v;
  };

  return {
    async list() {
      const body = await call('GET', base);
      if (!Array.isArray(body)) throw new OuraProtocolError('GET subscriptions: not a list');
      return body.map((s) => one('GET subscriptions', s));
    },
    async create(args) {
      const body = await call('POST', base, {
        callback_url: args.callbackUrl,
        verification_token: args.verificationToken,
        event_type: args.eventType,
        data_type: args.dataType,
      });
      return one('POST subscription', body);
    },
    async renew(id) {
      return one('PUT renew', await call('PUT', `${base}/renew/${encodeURIComponent(id)}`));
    },
    async delete(id) {
      await call('DELETE', `${base}/${encodeURIComponent(id)}`);
    },
  };
}
