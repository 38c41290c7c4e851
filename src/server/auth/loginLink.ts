import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashToken, safeEqual } from '../../accounts/secrets.ts';
import { consumeAuthToken, isTokenUsable } from '../../db/authTokens.ts';
import type { Db } from '../../db/database.ts';
import { csrfTokenFor, PRE_CSRF_COOKIE } from './session.ts';

const TOKEN = { type: 'string', maxLength: 100 } as const;

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A plain page (no script, no inline style: the CSP allows neither) with one POST button. */
function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title} · Snowtorch</title></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function sendPage(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(page(title, body));
}

/**
 * One-time login links (`snowtorch demo`, `snowtorch users login-link`). Opening the link (GET)
 * only shows a page with a "Log in" button: link-preview bots and prefetchers that fetch it do
 * not use it up, and another site cannot log a visitor into an account of its choosing (login
 * CSRF). The button POSTs the token with the pre-login double-submit token, which a cross-site
 * form cannot read or send (the cookie is SameSite=Lax).
 */
export async function registerLoginLinkRoutes(
  app: FastifyInstance,
  db: Db,
  opts: {
    rateLimit: { max: number; timeWindow: string };
    logIn: (request: FastifyRequest, reply: FastifyReply, userId: number) => Promise<unknown>;
  },
): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(formbody, { bodyLimit: 4096 });

    scope.get<{ Querystring: { token?: string } }>(
      '/login/link',
      {
        config: { rateLimit: opts.rateLimit },
        schema: { hide: true, querystring: { type: 'object', properties: { token: TOKEN } } },
      },
      async (request, reply) => {
        const token = request.query.token ?? '';
        const usable = token !== '' && (await isTokenUsable(db, hashToken(token), 'login'));
        if (!usable) return reply.redirect('/login?link=invalid', 303);
        const csrf = csrfTokenFor(request, reply);
        return sendPage(
          reply,
          200,
          'Log in to Snowtorch',
          `<p>This one-time link logs you in on this browser.</p>
<form method="post" action="/login/link">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<button type="submit">Log in</button></form>`,
        );
      },
    );

    scope.post<{ Body: { token?: string; csrf?: string } }>(
      '/login/link',
      {
        config: { rateLimit: opts.rateLimit },
        schema: {
          hide: true,
          body: {
            type: 'object',
            properties: { token: TOKEN, csrf: { type: 'string', maxLength: 100 } },
          },
        },
      },
      async (request, reply) => {
        const expected = request.cookies[PRE_CSRF_COOKIE] ?? '';
        const sent = request.body?.csrf ?? '';
        if (expected === '' || !safeEqual(sent, expected)) {
          return sendPage(
            reply,
            403,
            'Link page expired',
            '<p>Open the login link again from where you got it, and press the button there.</p>',
          );
        }
        const token = request.body?.token ?? '';
        const used = token ? await consumeAuthToken(db, hashToken(token), 'login') : undefined;
        if (!used?.userId) return reply.redirect('/login?link=invalid', 303);
        await opts.logIn(request, reply, used.userId);
        return reply.redirect('/night', 303);
      },
    );
  });
}
