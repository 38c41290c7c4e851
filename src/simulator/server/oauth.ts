import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OURA_SCOPES } from '../../oura/routes.ts';
import { consentPage } from './consentPage.ts';
import type { SimContext } from './context.ts';
import { oauthError, type SimHttpError } from './errors.ts';
import { param, type Query } from './query.ts';

/**
 * OAuth2 authorization-code flow as Oura runs it (spec securitySchemes.OAuth2, NOTES "OAuth2"):
 * `GET /oauth/authorize`, `POST /oauth/token` (form body), `GET|POST /oauth/revoke`.
 */

function invalidRequest(description: string): SimHttpError {
  return oauthError(400, 'invalid_request', description);
}

function redirectWith(
  reply: FastifyReply,
  redirectUri: string,
  params: Record<string, string | undefined>,
) {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return reply.redirect(url.toString(), 302);
}

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
}

/**
 * Problems with the client or redirect URI are shown to the user (never redirected: the URI is
 * not trusted yet); problems with the rest go back to the redirect URI as `error=`.
 */
function readAuthorizeRequest(
  ctx: SimContext,
  query: Query,
  reply: FastifyReply,
): AuthorizeRequest | FastifyReply {
  const clientId = param(query, 'client_id');
  const redirectUri = param(query, 'redirect_uri');
  if (clientId !== ctx.config.clientId)
    throw oauthError(400, 'invalid_client', 'unknown client_id');
  if (
    redirectUri === undefined ||
    !URL.canParse(redirectUri) ||
    !/^https?:$/.test(new URL(redirectUri).protocol)
  ) {
    throw invalidRequest('redirect_uri must be an absolute http(s) URL');
  }
  const state = param(query, 'state');
  if (param(query, 'response_type') !== 'code') {
    return redirectWith(reply, redirectUri, { error: 'unsupported_response_type', state });
  }
  // "If omitted, the user is asked for all scopes" (NOTES "OAuth2").
  const rawScope = param(query, 'scope');
  const scopes =
    rawScope === undefined || rawScope.trim() === ''
      ? [...OURA_SCOPES]
      : [...new Set(rawScope.split(/[\s+]+/).filter((s) => s !== ''))];
  const unknown = scopes.filter((s) => !(OURA_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    return redirectWith(reply, redirectUri, {
      error: 'invalid_scope',
      error_description: `unknown scope: ${unknown.join(' ')}`,
      state,
    });
  }
  return { clientId, redirectUri, state, scopes };
}

function clientCredentials(req: FastifyRequest, body: Query): { id?: string; secret?: string } {
  const header = req.headers.authorization;
  if (typeof header === 'string' && /^Basic\s+/i.test(header)) {
    const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      return {
        id: decodeURIComponent(decoded.slice(0, colon)),
        secret: decodeURIComponent(decoded.slice(colon + 1)),
      };
    }
  }
  return { id: param(body, 'client_id'), secret: param(body, 'client_secret') };
}

function formBody(req: FastifyRequest): Query {
  return typeof req.body === 'object' && req.body !== null ? (req.body as Query) : {};
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: SimContext): void {
  const userNames = [...ctx.users.keys()];
  const firstUser = userNames[0] ?? 'demo';

  app.get('/oauth/authorize', async (req, reply) => {
    const query = req.query as Query;
    const request = readAuthorizeRequest(ctx, query, reply);
    if (!('clientId' in request)) return request;
    const user = param(query, 'user') ?? firstUser;
    if (!ctx.users.has(user)) throw invalidRequest(`unknown simulated user: ${user}`);
    if (ctx.config.autoApprove) {
      const code = ctx.tokens.createCode({ ...request, user });
      return redirectWith(reply, request.redirectUri, { code, state: request.state });
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(consentPage({ ...request, users: userNames, selectedUser: user }));
  });

  // The consent form posts back here.
  app.post('/oauth/authorize', async (req, reply) => {
    const body = formBody(req);
    const requested = param(body, 'requested_scope');
    // The form only ever continues a code-flow request that GET /oauth/authorize accepted.
    const request = readAuthorizeRequest(
      ctx,
      { ...body, response_type: 'code', scope: requested },
      reply,
    );
    if (!('clientId' in request)) return request;
    if (param(body, 'decision') !== 'approve') {
      return redirectWith(reply, request.redirectUri, {
        error: 'access_denied',
        state: request.state,
      });
    }
    const user = param(body, 'user') ?? firstUser;
    if (!ctx.users.has(user)) throw invalidRequest(`unknown simulated user: ${user}`);
    const ticked = body.scope === undefined ? [] : [body.scope].flat();
    // Users can untick scopes, never add ones the application did not ask for.
    const scopes = request.scopes.filter((s) => ticked.includes(s));
    const code = ctx.tokens.createCode({ ...request, scopes, user });
    return redirectWith(reply, request.redirectUri, { code, state: request.state });
  });

  app.post('/oauth/token', async (req, reply) => {
    const body = formBody(req);
    const client = clientCredentials(req, body);
    if (client.id !== ctx.config.clientId || client.secret !== ctx.config.clientSecret) {
      throw oauthError(401, 'invalid_client', 'unknown client or wrong client secret');
    }
    const grantType = param(body, 'grant_type');
    let result: ReturnType<typeof ctx.tokens.refresh>;
    if (grantType === 'authorization_code') {
      const code = param(body, 'code');
      const redirectUri = param(body, 'redirect_uri');
      if (!code) throw invalidRequest('code is required');
      if (!redirectUri) throw invalidRequest('redirect_uri is required');
      result = ctx.tokens.exchangeCode({ code, clientId: client.id, redirectUri });
    } else if (grantType === 'refresh_token') {
      const refreshToken = param(body, 'refresh_token');
      if (!refreshToken) throw invalidRequest('refresh_token is required');
      result = ctx.tokens.refresh({ refreshToken, clientId: client.id });
    } else {
      throw oauthError(400, 'unsupported_grant_type', `grant_type ${grantType ?? '(missing)'}`);
    }
    if (!result.ok) throw oauthError(400, 'invalid_grant', result.reason);
    return reply.header('cache-control', 'no-store').send(result.tokens);
  });

  const revoke = async (req: FastifyRequest, reply: FastifyReply) => {
    const body = formBody(req);
    const query = req.query as Query;
    const token =
      param(query, 'access_token') ??
      param(body, 'access_token') ??
      param(query, 'token') ??
      param(body, 'token');
    if (!token) throw invalidRequest('access_token is required');
    // RFC 7009: an unknown token is not an error.
    ctx.tokens.revokeToken(token);
    return reply.code(200).send();
  };
  app.get('/oauth/revoke', revoke);
  app.post('/oauth/revoke', revoke);
}
