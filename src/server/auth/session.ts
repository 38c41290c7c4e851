import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashToken, randomToken, safeEqual } from '../../accounts/secrets.ts';
import type { Db } from '../../db/database.ts';
import {
  createSession,
  deleteExpiredSessions,
  deleteSession,
  findSession,
  touchSession,
} from '../../db/sessions.ts';
import { ApiError } from '../errors.ts';
import { routedPath } from '../paths.ts';

export const SESSION_COOKIE = 'snowtorch_session';
/** Before login there is no session to bind a CSRF token to: a double-submit cookie instead. */
export const PRE_CSRF_COOKIE = 'snowtorch_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SESSION_TTL_MS = 14 * 24 * 3600_000;
/** Sliding expiry, written at most this often (not on every request). */
const TOUCH_EVERY_MS = 3600_000;

export interface AuthState {
  userId: number;
  name: string;
  role: 'owner' | 'member';
  hasPassword: boolean;
  csrfToken: string;
  /** sha256 of the session id (what the table stores). */
  sessionHash: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthState | null;
  }
}

export class UnauthenticatedError extends ApiError {
  constructor() {
    super(401, 'unauthenticated', 'Log in to see this.');
    this.name = 'UnauthenticatedError';
  }
}

export class ForbiddenError extends ApiError {
  constructor(message: string, code = 'forbidden') {
    super(403, code, message);
    this.name = 'ForbiddenError';
  }
}

/** Routes under /api that answer without a session (matched on the routed path). */
const PUBLIC_API = [/^\/api\/me$/, /^\/api\/auth\//, /^\/api\/invites\//, /^\/api\/docs(\/|$)/];
const PUBLIC_API_EXACT = new Set(['/api/openapi.json']);
const NO_SESSION = new Set(['/healthz', '/readyz', '/metrics']);
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function cookieOptions(request: FastifyRequest, maxAgeSeconds: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    // request.protocol honours X-Forwarded-Proto only with SNOWTORCH_TRUST_PROXY.
    secure: request.protocol === 'https',
    maxAge: maxAgeSeconds,
  };
}

/** The CSRF token the client must echo: the session's, else a pre-login double-submit one. */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply): string {
  if (request.auth) return request.auth.csrfToken;
  const existing = request.cookies[PRE_CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomToken();
  reply.setCookie(PRE_CSRF_COOKIE, token, cookieOptions(request, 24 * 3600));
  return token;
}

/**
 * A fresh session for the user. Any session the request came with is deleted first (rotation:
 * an id planted before login never becomes a logged-in one).
 */
export async function startSession(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  user: { id: number; name: string; role: string; hasPassword: boolean },
): Promise<AuthState> {
  const old = request.cookies[SESSION_COOKIE];
  if (old) await deleteSession(db, hashToken(old));
  // Logins are rare: a good moment to drop sessions nobody can use any more.
  await deleteExpiredSessions(db);
  const id = randomToken();
  const csrfToken = randomToken();
  const sessionHash = hashToken(id);
  await createSession(db, {
    idHash: sessionHash,
    userId: user.id,
    csrfToken,
    expiresAt: new Date(Date.now() + SESSION_TTL_MS),
  });
  reply.setCookie(SESSION_COOKIE, id, cookieOptions(request, SESSION_TTL_MS / 1000));
  reply.clearCookie(PRE_CSRF_COOKIE, { path: '/' });
  const auth: AuthState = {
    userId: user.id,
    name: user.name,
    role: user.role === 'owner' ? 'owner' : 'member',
    hasPassword: user.hasPassword,
    csrfToken,
    sessionHash,
  };
  request.auth = auth;
  return auth;
}

export async function endSession(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const id = request.cookies[SESSION_COOKIE];
  if (id) await deleteSession(db, hashToken(id));
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  request.auth = null;
}

/**
 * Whether the browser's Origin is this server's: scheme, host and port, compared as origins.
 * The scheme is the request's (X-Forwarded-Proto only with SNOWTORCH_TRUST_PROXY) or, behind a
 * proxy, the configured public URL's.
 */
function sameOrigin(request: FastifyRequest, publicOrigin: string | undefined): boolean {
  const origin = request.headers.origin;
  if (!origin || origin === 'null') return origin === undefined;
  try {
    const sent = new URL(origin).origin;
    return (
      sent === new URL(`${request.protocol}://${request.host}`).origin || sent === publicOrigin
    );
  } catch {
    return false;
  }
}

/**
 * Cookies, the session of each request, the login gate for /api and CSRF checks. CSRF: every
 * POST/PUT/PATCH/DELETE under /api must send `x-csrf-token` equal to the session's token (or,
 * before login, to the `snowtorch_csrf` cookie) and, when the browser sends Origin, come from
 * this origin. Webhook deliveries (outside /api) are authenticated by their signature instead.
 */
export async function registerSessions(
  app: FastifyInstance,
  db: Db,
  opts: { publicUrl?: string | undefined } = {},
): Promise<void> {
  const publicOrigin = opts.publicUrl ? new URL(opts.publicUrl).origin : undefined;
  await app.register(fastifyCookie);
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request, reply) => {
    request.auth = null;
    // The routed path, never the raw URL (`/%61pi/sync` routes to /api/sync).
    const path = routedPath(request);
    // Liveness and readiness never look at the session: they must answer during an outage.
    if (NO_SESSION.has(path)) return;
    const id = request.cookies[SESSION_COOKIE];
    if (id && id.length <= 100) {
      const sessionHash = hashToken(id);
      let row: Awaited<ReturnType<typeof findSession>>;
      try {
        row = await findSession(db, sessionHash);
      } catch (error) {
        request.log.warn({ err: error }, 'session lookup failed');
        throw new ApiError(
          503,
          'database_unavailable',
          'The database is not answering: try again in a moment.',
        );
      }
      if (row) {
        request.auth = {
          userId: row.userId,
          name: row.userName,
          role: row.role === 'owner' ? 'owner' : 'member',
          hasPassword: row.hasPassword,
          csrfToken: row.csrfToken,
          sessionHash,
        };
        if (Date.now() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
          await touchSession(db, sessionHash, new Date(Date.now() + SESSION_TTL_MS));
        }
      } else {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    if (!path.startsWith('/api/')) return;
    if (STATE_CHANGING.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      const expected = request.auth
        ? request.auth.csrfToken
        : (request.cookies[PRE_CSRF_COOKIE] ?? '');
      if (
        typeof sent !== 'string' ||
        expected.length === 0 ||
        !safeEqual(sent, expected) ||
        !sameOrigin(request, publicOrigin)
      ) {
        throw new ForbiddenError(
          'Missing or wrong CSRF token: reload the page and try again.',
          'csrf_failed',
        );
      }
    }
    const isPublic = PUBLIC_API_EXACT.has(path) || PUBLIC_API.some((re) => re.test(path));
    if (!isPublic && !request.auth) throw new UnauthenticatedError();
  });
}

export function requireAuth(request: FastifyRequest): AuthState {
  if (!request.auth) throw new UnauthenticatedError();
  return request.auth;
}

export function requireOwner(request: FastifyRequest): AuthState {
  const auth = requireAuth(request);
  if (auth.role !== 'owner') throw new ForbiddenError('Only the owner can manage members.');
  return auth;
}
