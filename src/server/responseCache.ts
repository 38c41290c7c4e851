import type { FastifyInstance, FastifyRequest } from 'fastify';
import { routedPath } from './paths.ts';

/** How long a cached answer is reused: bounds staleness after a sync in another process. */
const TTL_MS = 10_000;
const MAX_ENTRIES = 300;
/** Answers that describe live state are never cached. */
const LIVE = /^\/api\/(me|sync|members|audit|invites|auth|oura|webhooks|export|docs)(\/|$)/;

/** Cacheable: a dashboard GET under /api, judged on the routed path (not its spelling). */
function cacheable(request: FastifyRequest): boolean {
  const path = routedPath(request);
  return (
    request.method === 'GET' &&
    path.startsWith('/api/') &&
    !LIVE.test(path) &&
    path !== '/api/openapi.json'
  );
}

/** Answers are per user: the key is the logged-in user's id and the URL. */
function keyOf(request: FastifyRequest): string | null {
  return request.auth ? `${request.auth.userId} ${request.url}` : null;
}

/**
 * A small cache of dashboard GET answers, keyed by user and URL. Stored data only changes when a sync
 * writes it, so an answer stays right until then: a sync in this process clears the cache when it
 * finishes (and bypasses it while running); one in another process (CLI or scheduler on
 * PostgreSQL) shows within TTL_MS. On a small machine this is what keeps page navigation and
 * concurrent viewers fast.
 */
export function registerResponseCache(app: FastifyInstance, opts: { bypass: () => boolean }) {
  const cache = new Map<string, { at: number; body: string }>();
  app.addHook('onRequest', async (request, reply) => {
    if (!cacheable(request)) return;
    if (opts.bypass()) return;
    const key = keyOf(request);
    if (key === null) return;
    const hit = cache.get(key);
    if (!hit) return;
    if (Date.now() - hit.at > TTL_MS) {
      cache.delete(key);
      return;
    }
    // Refresh its place in the LRU order.
    cache.delete(key);
    cache.set(key, hit);
    reply.header('x-cache', 'hit');
    return reply.code(200).type('application/json; charset=utf-8').send(hit.body);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const key = keyOf(request);
    if (
      key !== null &&
      cacheable(request) &&
      reply.statusCode === 200 &&
      typeof payload === 'string' &&
      !opts.bypass() &&
      reply.getHeader('x-cache') !== 'hit'
    ) {
      cache.set(key, { at: Date.now(), body: payload });
      if (cache.size > MAX_ENTRIES) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
    }
    return payload;
  });
  return {
    clear(): void {
      cache.clear();
    },
  };
}
