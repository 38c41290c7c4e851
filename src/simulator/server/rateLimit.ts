/**
 * Oura's two rate-limit layers (spec "Rate Limits"): per access token and per application. A
 * request that trips either gets 429 with `Retry-After`, `X-RateLimit-Limit`,
 * `X-RateLimit-Window`, `X-RateLimit-Reset` and `X-RateLimit-Tier` (spec "Rate Limit Response
 * Headers"). The 1.37 FAQ still names 5000 requests per 5 minutes.
 */

export interface RateLimitSettings {
  limit: number;
  windowSeconds: number;
}

export type RateLimitTier = 'access_token' | 'application';

export interface RateLimitDenial {
  tier: RateLimitTier;
  limit: number;
  windowSeconds: number;
  retryAfterSeconds: number;
  resetEpochSeconds: number;
}

/** Timestamps of accepted requests per key, oldest first, within a rolling window. */
class SlidingWindow {
  readonly settings: RateLimitSettings;
  readonly #hits = new Map<string, number[]>();

  constructor(settings: RateLimitSettings) {
    this.settings = settings;
  }

  #prune(key: string, now: number): number[] {
    const hits = this.#hits.get(key) ?? [];
    const cutoff = now - this.settings.windowSeconds * 1000;
    let drop = 0;
    while (drop < hits.length && (hits[drop] ?? 0) <= cutoff) drop++;
    if (drop > 0) hits.splice(0, drop);
    if (hits.length === 0) this.#hits.delete(key);
    else this.#hits.set(key, hits);
    return hits;
  }

  /** Undefined when a request is allowed now, else when a slot frees and when all do. */
  blocked(key: string, now: number): { retryAtMs: number; resetAtMs: number } | undefined {
    const hits = this.#prune(key, now);
    if (hits.length < this.settings.limit) return undefined;
    const windowMs = this.settings.windowSeconds * 1000;
    const oldest = hits[hits.length - this.settings.limit] ?? now;
    const newest = hits[hits.length - 1] ?? now;
    return { retryAtMs: oldest + windowMs, resetAtMs: newest + windowMs };
  }

  record(key: string, now: number): void {
    const hits = this.#hits.get(key);
    if (hits === undefined) this.#hits.set(key, [now]);
    else hits.push(now);
  }
}

export class RateLimiter {
  readonly #token: SlidingWindow;
  readonly #app: SlidingWindow;

  constructor(perToken: RateLimitSettings, perApplication: RateLimitSettings) {
    this.#token = new SlidingWindow(perToken);
    this.#app = new SlidingWindow(perApplication);
  }

  /** Count one request for a token and its application, or say which layer refuses it. */
  take(tokenKey: string, appKey: string, now = Date.now()): RateLimitDenial | undefined {
    for (const [tier, window, key] of [
      ['access_token', this.#token, tokenKey],
      ['application', this.#app, appKey],
    ] as const) {
      const blocked = window.blocked(key, now);
      if (blocked) {
        return {
          tier,
          limit: window.settings.limit,
          windowSeconds: window.settings.windowSeconds,
          retryAfterSeconds: Math.max(1, Math.ceil((blocked.retryAtMs - now) / 1000)),
          resetEpochSeconds: Math.ceil(blocked.resetAtMs / 1000),
        };
      }
    }
    this.#token.record(tokenKey, now);
    this.#app.record(appKey, now);
    return undefined;
  }

  /** A denial for the `rateLimitNext` fault: what the token layer would say if it were full. */
  simulated(now = Date.now()): RateLimitDenial {
    const { limit, windowSeconds } = this.#token.settings;
    return {
      tier: 'access_token',
      limit,
      windowSeconds,
      retryAfterSeconds: 1,
      resetEpochSeconds: Math.ceil(now / 1000) + 1,
    };
  }
}

export function rateLimitHeaders(denial: RateLimitDenial): Record<string, string> {
  return {
    'retry-after': String(denial.retryAfterSeconds),
    'x-ratelimit-limit': String(denial.limit),
    'x-ratelimit-window': String(denial.windowSeconds),
    'x-ratelimit-reset': String(denial.resetEpochSeconds),
    'x-ratelimit-tier': denial.tier,
  };
}
