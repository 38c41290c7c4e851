import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.ts';

/**
 * The dashboard's policy: only its own scripts, styles and API (no inline script anywhere: the
 * theme is applied by /theme-init.js), images also as data: URIs (favicon), never framed.
 */
export const DASHBOARD_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // Would rewrite http:// assets to https:// on a plain-http loopback install.
  upgradeInsecureRequests: null,
};

/** Swagger UI at /api/docs sets inline styles; its page alone allows them. */
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

export async function registerSecurity(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: DASHBOARD_CSP },
    referrerPolicy: { policy: 'same-origin' },
    // Cross-origin isolation headers would block nothing here but complicate proxies.
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/docs')) reply.header('content-security-policy', DOCS_CSP);
    return payload;
  });
  // Per client address, only on routes that opt in (login, setup, invites, login links).
  await app.register(rateLimit, {
    global: false,
    // Thrown by the plugin: an ApiError keeps the one error shape.
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        429,
        'rate_limited',
        `Too many attempts from your address. Try again in ${Math.ceil(context.ttl / 1000)} seconds.`,
      ),
  });
}
