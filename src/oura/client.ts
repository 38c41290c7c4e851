import type { Logger } from 'pino';
import {
  OuraAppUpdateError,
  OuraAuthError,
  OuraError,
  OuraNotFoundError,
  OuraProtocolError,
  OuraRateLimitError,
  OuraScopeError,
  OuraTimeoutError,
  OuraUpstreamError,
  OuraValidationError,
} from './errors.ts';
import { describeUrl, errorDetail, type HttpResponse, sendRequest } from './http.ts';
import { createLimiter, type Limiter } from './limiter.ts';
import { followNextToken } from './paging.ts';
import { dateRangeQuery, datetimeWindows } from './ranges.ts';
import { backoffDelayMs, retryAfterSeconds, sleep } from './retry.ts';
import { type DataType, ROUTES } from './routes.ts';
import { checkDocument, describeIssues, personalInfoSchema } from './schemas.ts';

export interface TokenProvider {
  accessToken(): Promise<string>;
  /** called after a 401; returns a fresh token or throws OuraAuthError */
  refreshAfterUnauthorized(rejectedToken: string): Promise<string>;
}

export interface OuraClientOptions {
  baseUrl: string;
  tokens: TokenProvider;
  /** Requests allowed per window (default 5000: Oura's budget per token). */
  requestLimit?: number;
  /** The budget's window in ms (default 300 000: five minutes). */
  limitWindowMs?: number;
  /** Requests in flight at once (default 8). */
  maxConcurrency?: number;
  /**
   * Share one limiter among several clients (e.g. one per user); when given, requestLimit /
   * limitWindowMs / maxConcurrency are unused.
   */
  limiter?: Limiter;
  /** Retries after 429 / 5xx / timeout / network error / truncated body (default 4). */
  maxRetries?: number;
  /** Per-attempt timeout, headers and body included (default 30 000). */
  timeoutMs?: number;
  /** First backoff ceiling; doubles per attempt, capped at 30 s (default 500). */
  retryBaseDelayMs?: number;
  /** A 429 asking to wait longer than this is thrown at once instead (default 300). */
  maxRetryAfterSeconds?: number;
  logger?: Logger;
}

/** date routes: 'YYYY-MM-DD' inclusive both ends; datetime routes: ISO instants, [start, end) */
export interface ListRange {
  start: string;
  end: string;
}

export interface Page {
  dataType: DataType;
  /** Valid documents (time-series rows for heartrate / ring_battery_level), exactly as received. */
  documents: Record<string, unknown>[];
  /** Documents failing their schema, as received, with `path: issue` messages. */
  invalid: { document: unknown; message: string }[];
}

export interface OuraClientStats {
  requests: number;
  retries: number;
  rateLimited: number;
}

export interface OuraClient {
  /** Follows next_token; windows datetime ranges to <= 30 days. */
  listPages(
    type: DataType,
    range?: ListRange,
    opts?: { signal?: AbortSignal },
  ): AsyncGenerator<Page>;
  /** null on 404. The document is returned as received; check it with `checkDocument`. */
  getDocument(
    type: DataType,
    id: string,
    opts?: { signal?: AbortSignal },
  ): Promise<Record<string, unknown> | null>;
  personalInfo(opts?: { signal?: AbortSignal }): Promise<{ id: string } & Record<string, unknown>>;
  readonly stats: OuraClientStats;
}

const RETRY_CAP_MS = 30_000;

/** A time-series row's instant in ms, or undefined when it is not an object with one. */
function seriesRowTime(row: unknown): number | undefined {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return undefined;
  const { timestamp } = row as { timestamp?: unknown };
  const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  return Number.isNaN(at) ? undefined : at;
}

function isTransient(err: unknown): err is OuraError {
  return (
    err instanceof OuraTimeoutError ||
    err instanceof OuraUpstreamError ||
    err instanceof OuraProtocolError
  );
}

export function createOuraClient(opts: OuraClientOptions): OuraClient {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const maxRetries = opts.maxRetries ?? 4;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const retryBaseMs = opts.retryBaseDelayMs ?? 500;
  const maxRetryAfterSeconds = opts.maxRetryAfterSeconds ?? 300;
  const limiter =
    opts.limiter ??
    createLimiter({
      ...(opts.requestLimit !== undefined ? { limit: opts.requestLimit } : {}),
      ...(opts.limitWindowMs !== undefined ? { windowMs: opts.limitWindowMs } : {}),
      ...(opts.maxConcurrency !== undefined ? { maxConcurrency: opts.maxConcurrency } : {}),
    });
  const log = opts.logger;
  const stats: OuraClientStats = { requests: 0, retries: 0, rateLimited: 0 };

  const backoff = (attempt: number) =>
    backoffDelayMs(attempt, { baseMs: retryBaseMs, capMs: RETRY_CAP_MS });

  /** GET a JSON body: retries what is transient, refreshes the token once after a 401. */
  async function getJson(
    path: string,
    query: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const qs = new URLSearchParams(query).toString();
    const url = `${baseUrl}${path}${qs ? `?${qs}` : ''}`;
    const what = `GET ${describeUrl(url)}`;
    let token = await opts.tokens.accessToken();
    let refreshedAfter401 = false;
    let attempt = 0;

    const retryOrThrow = async (err: OuraError, delayMs: number) => {
      if (attempt >= maxRetries) throw err;
      attempt += 1;
      stats.retries += 1;
      log?.warn({ path: describeUrl(url), attempt, delayMs, code: err.code }, 'retrying Oura');
      await sleep(delayMs, signal);
    };

    for (;;) {
      let res: HttpResponse;
      try {
        res = await limiter.run(() => {
          stats.requests += 1;
          return sendRequest({
            url,
            headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
            timeoutMs,
            ...(signal ? { signal } : {}),
          });
        }, signal);
      } catch (err) {
        if (!isTransient(err)) throw err;
        await retryOrThrow(err, backoff(attempt));
        continue;
      }

      limiter.observe(res.headers);
      const { status } = res;
      if (status >= 200 && status < 300) return res.body;
      const detail = errorDetail(res);
      const message = `${what}: ${status} ${detail}`;

      if (status === 401) {
        if (refreshedAfter401) {
          throw new OuraAuthError(`${message} (rejected again after a token refresh)`, {
            status,
            reconnectNeeded: false,
          });
        }
        refreshedAfter401 = true;
        log?.info({ path: describeUrl(url) }, 'Oura rejected the access token; refreshing');
        token = await opts.tokens.refreshAfterUnauthorized(token);
        continue;
      }
      if (status === 403) throw new OuraScopeError(`${message} (scope not granted?)`, { status });
      if (status === 404) throw new OuraNotFoundError(message, { status });
      if (status === 400 || status === 422) throw new OuraValidationError(message, { status });
      if (status === 426) {
        throw new OuraAppUpdateError(
          `${message} (the user's Oura app is too old to share this data)`,
          {
            status,
          },
        );
      }
      if (status === 429) {
        stats.rateLimited += 1;
        const wait = retryAfterSeconds(res.headers);
        const err = new OuraRateLimitError(message, { retryAfterSeconds: wait });
        if (wait !== null && wait > maxRetryAfterSeconds) throw err;
        const delayMs = wait === null ? backoff(attempt) : Math.ceil(wait * 1000);
        // Every request of this client waits, not only this one: the budget is shared.
        limiter.pauseFor(delayMs);
        await retryOrThrow(err, delayMs);
        continue;
      }
      if (status >= 500) {
        await retryOrThrow(new OuraUpstreamError(message, { status }), backoff(attempt));
        continue;
      }
      throw new OuraError(message, { status, code: 'unexpected_status' });
    }
  }

  async function* listPages(
    type: DataType,
    range?: ListRange,
    listOpts: { signal?: AbortSignal } = {},
  ): AsyncGenerator<Page> {
    const route = ROUTES[type];
    const path = `/v2/usercollection/${route.path}`;
    const windows: { query: Record<string, string>; startMs?: number; endMs?: number }[] =
      route.range === 'date' && range
        ? [{ query: dateRangeQuery(range) }]
        : route.range === 'datetime' && range
          ? datetimeWindows(range)
          : [{ query: {} }];

    for (const window of windows) {
      const pages = followNextToken(
        (nextToken) =>
          getJson(
            path,
            nextToken ? { ...window.query, next_token: nextToken } : window.query,
            listOpts.signal,
          ),
        `GET ${path}`,
      );
      for await (const data of pages) {
        const page: Page = { dataType: type, documents: [], invalid: [] };
        if (window.startMs !== undefined && window.endMs !== undefined) {
          // Time-series rows (hundreds of thousands in a backfill) are only placed here; storage
          // reads and checks each row's values once, and keeps a row it cannot read aside.
          for (const row of data) {
            const at = seriesRowTime(row);
            if (at === undefined) {
              const check = checkDocument(type, row);
              page.invalid.push({
                document: row,
                message: check.ok ? `${type}: timestamp: not a date-time` : check.message,
              });
              continue;
            }
            // Windows are [start, end): a row on a boundary belongs to the next window only,
            // whatever inclusivity the server applies to end_datetime (undocumented).
            if (at < window.startMs || at >= window.endMs) continue;
            page.documents.push(row as Record<string, unknown>);
          }
          yield page;
          continue;
        }
        for (const doc of data) {
          const check = checkDocument(type, doc);
          if (!check.ok) {
            page.invalid.push({ document: doc, message: check.message });
            continue;
          }
          page.documents.push(check.document);
        }
        yield page;
      }
    }
  }

  return {
    listPages,
    async getDocument(type, id, getOpts = {}) {
      const route = ROUTES[type];
      if (!route.single) {
        throw new OuraValidationError(`${type} has no single-document route`);
      }
      try {
        const body = await getJson(
          `/v2/usercollection/${route.path}/${encodeURIComponent(id)}`,
          {},
          getOpts.signal,
        );
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw new OuraProtocolError(`GET ${route.path}/${id}: response is not a JSON object`);
        }
        return body as Record<string, unknown>;
      } catch (err) {
        // A missing document returns 404 {"detail":"Document not found."} (NOTES, recorded).
        if (err instanceof OuraNotFoundError) return null;
        throw err;
      }
    },
    async personalInfo(piOpts = {}) {
      const body = await getJson('/v2/usercollection/personal_info', {}, piOpts.signal);
      const parsed = personalInfoSchema.safeParse(body);
      if (!parsed.success) {
        throw new OuraProtocolError(
          `GET /v2/usercollection/personal_info: unexpected response (${describeIssues(parsed.error)})`,
        );
      }
      return body as { id: string } & Record<string, unknown>;
    },
    stats,
  };
}
