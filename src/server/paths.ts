import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';

/**
 * The path as the router sees it: percent-decoded once, repeated slashes collapsed. Null when
 * it does not decode (the router answers those with 400 itself).
 */
export function normalisedPath(url: string): string | null {
  const raw = url.split('?')[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return decoded.replace(/\/{2,}/g, '/');
}

/**
 * The path a request's security decisions are made on: the route the router matched (e.g.
 * `/api/members/:id`), else the normalised path. Never the raw URL, which the router decodes.
 */
export function routedPath(request: FastifyRequest): string {
  return request.routeOptions.url ?? normalisedPath(request.url) ?? request.url;
}

/**
 * Refuses /api requests spelled any other way than plainly (`/%61pi/sync`, `//api/sync`,
 * `/api%2Fsync`): every check that looks at a path (CSRF, login gate, caching, log redaction)
 * then sees the same path the router does.
 */
export function registerPathNormalisation(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const raw = request.url.split('?')[0] ?? '';
    const normal = normalisedPath(request.url);
    if (normal === null) throw new ApiError(400, 'invalid_path', 'The path is not valid UTF-8.');
    const plain = raw === normal;
    if (!plain && (normal === '/api' || normal.startsWith('/api/'))) {
      if (!raw.startsWith('/api/') || /%2f/i.test(raw) || raw.includes('//')) {
        throw new ApiError(
          400,
          'invalid_path',
          'Encoded or repeated characters in an /api path are not accepted: send the path plainly.',
        );
      }
    }
  });
}
