/**
 * Client-side rate limiter: a token bucket (refilled at `requestsPerSecond`, holding at most
 * `burst` tokens) plus a cap on requests in flight. Oura allows 5000 requests per 5 minutes
 * (spec 1.37 FAQ); in any window of W seconds this limiter lets through at most
 * burst + requestsPerSecond * W requests, i.e. 15 + 15 * 300 = 4515 with the defaults, so a sync
 * stays under the limit instead of discovering it through 429s.
 */
export interface LimiterOptions {
  requestsPerSecond: number;
  burst?: number;
  maxConcurrency?: number;
  now?: () => number;
}

export interface Limiter {
  /** Run `fn` once a token and a concurrency slot are free. */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Hold every queued request until `ms` from now (after a 429 with Retry-After). */
  pauseFor(ms: number): void;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export function createLimiter(opts: LimiterOptions): Limiter {
  if (!(opts.requestsPerSecond > 0)) throw new RangeError('requestsPerSecond must be > 0');
  const rate = opts.requestsPerSecond / 1000; // tokens per ms
  const capacity = Math.max(1, opts.burst ?? Math.ceil(opts.requestsPerSecond));
  const maxConcurrency = Math.max(1, opts.maxConcurrency ?? 4);
  const now = opts.now ?? Date.now;

  let tokens = capacity;
  let refilledAt = now();
  let active = 0;
  let pausedUntil = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const queue: Waiter[] = [];

  const refill = () => {
    const t = now();
    if (t <= refilledAt) return;
    tokens = Math.min(capacity, tokens + (t - refilledAt) * rate);
    refilledAt = t;
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
  };

  const drain = () => {
    while (queue.length > 0 && active < maxConcurrency) {
      refill();
      const t = now();
      if (t < pausedUntil) {
        wakeAt(pausedUntil - t);
        return;
      }
      if (tokens < 1) {
        wakeAt((1 - tokens) / rate);
        return;
      }
      const waiter = queue.shift();
      if (!waiter) return;
      tokens -= 1;
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
        drain();
      }
    },
    pauseFor(ms) {
      refill();
      pausedUntil = Math.max(pausedUntil, now() + ms);
      // Neither the tokens held now nor those "earned" during the pause may be spent in one
      // burst the moment it ends: refilling restarts when the pause is over.
      tokens = Math.min(tokens, 1);
      refilledAt = Math.max(refilledAt, pausedUntil);
    },
  };
}
