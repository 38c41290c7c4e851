import type { ResponseHeaders } from './transport.ts';
/**
 * Exponential backoff with "full jitter" (a random delay in [0, min(cap, base * 2^attempt)]), so
 * many clients retrying after the same outage spread out instead of arriving together.
 */
export function backoffDelayMs(
  attempt: number,
  opts: { baseMs: number; capMs: number; random?: () => number },
): number {
  const ceiling = Math.min(opts.capMs, opts.baseMs * 2 ** attempt);
  return Math.floor((opts.random ?? Math.random)() * ceiling);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Seconds to wait after a 429, from `Retry-After` (seconds or an HTTP date) or else
 * `X-RateLimit-Reset` (epoch seconds), as spec 1.37 "Rate limits" lists them. Null when neither
 * header is usable.
 */
export function retryAfterSeconds(
  headers: ResponseHeaders,
  nowMs: number = Date.now(),
): number | null {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, (at - nowMs) / 1000);
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    return Math.max(0, Number(reset) - nowMs / 1000);
  }
  return null;
}
