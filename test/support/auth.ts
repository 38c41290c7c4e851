import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

/** A logged-in (or anonymous) client of an app under test, via app.inject. */
export interface TestSession {
  cookies: Record<string, string>;
  csrf: string;
  inject(opts: InjectOptions | string): Promise<LightMyRequestResponse>;
  get<T>(url: string): Promise<T>;
}

export const PASSWORD = 'correct horse battery staple';

function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
}

/** An anonymous browser: keeps cookies and sends the CSRF token /api/me hands out. */
export async function anonymous(app: FastifyInstance): Promise<TestSession> {
  const session: TestSession = {
    cookies: {},
    csrf: '',
    async inject(opts) {
      const o: InjectOptions = typeof opts === 'string' ? { url: opts } : opts;
      const headers: Record<string, string> = {
        ...(Object.keys(session.cookies).length ? { cookie: cookieHeader(session.cookies) } : {}),
        ...(o.method && o.method !== 'GET' ? { 'x-csrf-token': session.csrf } : {}),
      };
      // A header given as undefined is left out (tests of missing headers).
      for (const [k, v] of Object.entries(o.headers ?? {})) {
        if (v === undefined) delete headers[k];
        else headers[k] = String(v);
      }
      const res = await app.inject({ ...o, headers });
      for (const c of res.cookies) {
        if (c.value === '' || (c.maxAge !== undefined && c.maxAge <= 0))
          delete session.cookies[c.name];
        else session.cookies[c.name] = c.value;
      }
      return res;
    },
    async get<T>(url: string): Promise<T> {
      const res = await session.inject(url);
      expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
      return res.json() as T;
    },
  };
  const me = (await session.inject('/api/me')).json() as { csrfToken: string };
  session.csrf = me.csrfToken;
  return session;
}

async function authenticate(
  app: FastifyInstance,
  url: string,
  payload: Record<string, string>,
): Promise<TestSession> {
  const s = await anonymous(app);
  const res = await s.inject({ method: 'POST', url, payload });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  s.csrf = (res.json() as { csrfToken: string }).csrfToken;
  return s;
}

export function setupOwner(app: FastifyInstance, name: string, password = PASSWORD) {
  return authenticate(app, '/api/auth/setup', { name, password });
}

export function login(app: FastifyInstance, name: string, password = PASSWORD) {
  return authenticate(app, '/api/auth/login', { name, password });
}

/** Invite (as the owner) and join as `name`. */
export async function addMember(
  app: FastifyInstance,
  owner: TestSession,
  name: string,
  password = PASSWORD,
): Promise<TestSession> {
  const invite = await owner.inject({ method: 'POST', url: '/api/members/invites' });
  expect(invite.statusCode, invite.body).toBe(201);
  const token = new URL((invite.json() as { url: string }).url).pathname.split('/').at(-1) ?? '';
  return authenticate(app, '/api/auth/accept-invite', { token, name, password });
}

/**
 * Opens a one-time login link as a browser does: the GET shows a page with a "Log in" button,
 * the button POSTs the token with the page's CSRF token. Returns the POST's answer.
 */
export async function useLoginLink(s: TestSession, linkUrl: string) {
  const u = new URL(linkUrl);
  const shown = await s.inject(`${u.pathname}${u.search}`);
  if (shown.statusCode !== 200) return shown;
  const field = (name: string) =>
    new RegExp(`name="${name}" value="([^"]*)"`).exec(shown.body)?.[1] ?? '';
  return s.inject({
    method: 'POST',
    url: '/login/link',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': undefined },
    payload: new URLSearchParams({ token: field('token'), csrf: field('csrf') }).toString(),
  });
}

/** Log in a password-less user (made by connect/demo) with a one-time login link. */
export async function loginWithLink(app: FastifyInstance, linkUrl: string): Promise<TestSession> {
  const s = await anonymous(app);
  const res = await useLoginLink(s, linkUrl);
  expect(res.headers.location).toBe('/night');
  s.csrf = (await s.get<{ csrfToken: string }>('/api/me')).csrfToken;
  return s;
}
