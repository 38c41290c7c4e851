import type { FastifyRequest } from 'fastify';
import type { OuraScope } from '../../oura/routes.ts';
import type { SimContext } from './context.ts';
import { forbidden, SimHttpError, unauthorized } from './errors.ts';
import { type RateLimitDenial, rateLimitHeaders } from './rateLimit.ts';
import type { SimUser } from './store.ts';
import type { Grant } from './tokens.ts';

/** Tokens only travel in the Authorization header in V2 ([UPG]: query tokens were removed). */
export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Later grants may carry an `extapi:` prefix (NOTES "Scope prefix"); accept both spellings. */
export function hasScope(grant: Grant, scope: OuraScope): boolean {
  return grant.scopes.some((s) => s === scope || s === `extapi:${scope}`);
}

const REASONS = {
  invalid: 'Invalid access token',
  expired: 'Access token expired',
  revoked: 'Access token revoked',
} as const;

export function tooManyRequests(ctx: SimContext, denial: RateLimitDenial): SimHttpError {
  ctx.stats.rateLimited++;
  return new SimHttpError(429, { detail: 'Too Many Requests' }, rateLimitHeaders(denial));
}

export interface Caller {
  user: SimUser;
  grant: Grant | undefined;
}

/**
 * Who is calling a data route: 401 for a missing/invalid/expired/revoked token, 429 when a
 * rate-limit layer is full, 403 when the grant lacks the route's scope (`null`: no scope needed).
 */
export function authorize(ctx: SimContext, req: FastifyRequest, scope: OuraScope | null): Caller {
  const token = bearerToken(req);
  if (token === undefined) throw unauthorized('Missing access token');
  const check = ctx.tokens.check(token);
  if (!check.ok) throw unauthorized(REASONS[check.reason]);
  const denial = ctx.limiter.take(token, check.grant.clientId);
  if (denial) throw tooManyRequests(ctx, denial);
  if (scope !== null && !hasScope(check.grant, scope)) {
    throw forbidden(`Access token is missing the required scope: ${scope}`);
  }
  const user = ctx.users.get(check.grant.user);
  if (user === undefined) throw unauthorized(REASONS.invalid);
  return { user, grant: check.grant };
}

/**
 * Sandbox routes need no token (clients call them without one); they share the caller's rate
 * limit (spec "Sandbox Routes"), so a valid token is still counted when one is sent.
 */
export async function authorizeSandbox(ctx: SimContext, req: FastifyRequest): Promise<Caller> {
  const token = bearerToken(req);
  const check = token === undefined ? undefined : ctx.tokens.check(token);
  const denial =
    token !== undefined && check?.ok
      ? ctx.limiter.take(token, check.grant.clientId)
      : ctx.limiter.take(`sandbox:${req.ip}`, ctx.config.clientId);
  if (denial) throw tooManyRequests(ctx, denial);
  return { user: await ctx.sandboxUser(), grant: check?.ok ? check.grant : undefined };
}
