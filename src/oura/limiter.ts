import type { ResponseHeaders } from './transport.ts';
/**
 * Client-side rate limiter: Oura's own budget, at most `limit` requests in any `windowMs`
 * (5000 per 5 minutes per token, spec 1.37 FAQ), plus a cap on requests in flight. Requests go
 * out in bursts as fast as the cap allows until the budget is spent, then wait for the oldest
 * to leave the window: a whole backfill (a few hundred requests) never waits at all, and a
 * longer one never discovers the limit through 429s.
 *
 * A request counts from when it starts until its response has been in the window for
 * `windowMs`: the server counts it on arrival, which lies between the two, so counting
 * completions (and everything in flight) can never see fewer requests than the server does.
 * The server's stated budget (`X-RateLimit-Limit` / `X-RateLimit-Window`, spec "Rate Limit
 * Response Headers") replaces the default when a response carries it; a 429 pauses everything
 * (`pauseFor`).
 */
export interface LimiterOptions {
  /** Requests allowed per window (default 5000). */
  limit?: number;
  /** The window, in ms (default 300 000). */
  windowMs?: number;
  /** Requests in flight at once (default 8). */
  maxConcurrency?: number;
  now?: () => number;
}

export const OURA_REQUEST_LIMIT = 5000;
export const OURA_LIMIT_WINDOW_MS = 300_000;

export interface Limiter {
  /** Run `fn` once the budget and a concurrency slot allow it. */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Hold every queued request until `ms` from now (after a 429 with Retry-After). */
  pauseFor(ms: number): void;
  /** Adopt the budget a response states in its rate-limit headers, if any. */
  observe(headers: ResponseHeaders): void;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

function positive(value: string | null): number | undefined {
  if (value === null || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

export function createLimiter(opts: LimiterOptions = {}): Limiter {
  let limit = Math.max(1, Math.floor(opts.limit ?? OURA_REQUEST_LIMIT));
  let windowMs = Math.max(1, opts.windowMs ?? OURA_LIMIT_WINDOW_MS);
  const maxConcurrency = Math.max(1, opts.maxConcurrency ?? 8);
  const now = opts.now ?? Date.now;

  /** Completion times still inside the window, oldest first (a queue with a moving head). */
  let done: number[] = [];
  let head = 0;
  let active = 0;
  let pausedUntil = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const queue: Waiter[] = [];

  const prune = (t: number) => {
    while (head < done.length && (done[head] ?? 0) <= t - windowMs) head++;
    if (head > 1024 && head * 2 > done.length) {
      done = done.slice(head);
      head = 0;
    }
  };

  const wakeAt = (ms: number) => {
    if (timer) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        drain();
      },
      Math.max(1, Math.ceil(ms)),
    );
    timer.unref?.();
  };

  const drain = () => {
    while (queue.length > 0 && active < maxConcurrency) {
      const t = now();
      if (t < pausedUntil) {
        wakeAt(pausedUntil - t);
        return;
      }
      prune(t);
      if (active + done.length - head >= limit) {
        // Full: the oldest completion leaves the window first.
        if (head < done.length) wakeAt((done[head] ?? t) + windowMs - t);
        return;
      }
      const waiter = queue.shift();
      if (!waiter) return;
      active += 1;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
  };

  const acquire = (signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      queue.push(waiter);
      drain();
    });

  return {
    async run(fn, signal) {
      await acquire(signal);
      try {
        return await fn();
      } finally {
        active -= 1;
        done.push(now());
        drain();
      }
    },
    pauseFor(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
    observe(headers) {
      // The application-wide layer is shared with other users' clients: its figure is not this
      // client's to spend (its 429s still pause this client).
      if (headers.get('x-ratelimit-tier')?.trim() === 'application') return;
      const stated = positive(headers.get('x-ratelimit-limit'));
      const window = positive(headers.get('x-ratelimit-window'));
      if (stated !== undefined) limit = Math.max(1, Math.floor(stated));
      if (window !== undefined) windowMs = window * 1000;
    },
  };
}
