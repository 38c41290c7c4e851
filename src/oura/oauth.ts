import { z } from 'zod';
import { OuraAuthError, OuraError, OuraProtocolError, OuraUpstreamError } from './errors.ts';
import { errorDetail, sendRequest } from './http.ts';
import { OURA_SCOPES, type OuraScope } from './routes.ts';
import { describeIssues } from './schemas.ts';

/**
 * OAuth2 authorization-code flow against Oura (spec 1.37 securitySchemes.OAuth2, [AUTH]).
 * Pure HTTP: every URL comes from config because some apps from the new developer portal must use
 * a different token endpoint (NOTES "Pitfalls"). Each call is a single attempt: retrying a refresh
 * whose answer was lost would spend the single-use refresh token twice.
 */

export interface OAuthClientConfig {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

export interface TokenSet {
  accessToken: string;
  /** Absent if Oura did not issue one (then the grant cannot be refreshed). */
  refreshToken: string | null;
  expiresIn: number;
  expiresAt: Date;
  /** Granted scopes, normalised (`extapi:daily` -> `daily`); null when the response omits `scope`. */
  scopes: string[] | null;
}

export function buildAuthorizeUrl(args: {
  authorizeUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  /** Omitted or empty: Oura asks the user for all scopes [AUTH]. */
  scopes?: readonly string[];
}): string {
  const url = new URL(args.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', args.clientId);
  url.searchParams.set('redirect_uri', args.redirectUri);
  url.searchParams.set('state', args.state);
  if (args.scopes && args.scopes.length > 0) url.searchParams.set('scope', args.scopes.join(' '));
  return url.toString();
}

/**
 * Oura reportedly began granting scopes as `extapi:<name>` (NOTES "Versions", third-party);
 * Snowtorch compares bare names.
 */
export function normaliseScope(scope: string): string {
  return scope.startsWith('extapi:') ? scope.slice('extapi:'.length) : scope;
}

export function parseScopes(scope: string | null | undefined): string[] | null {
  if (scope === null || scope === undefined) return null;
  return [
    ...new Set(
      scope
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(normaliseScope),
    ),
  ];
}

/** Spec 1.40+ renamed `spo2Daily` to `spo2` (NOTES "Versions"): either grants the route. */
const SCOPE_ALIASES: Partial<Record<OuraScope, readonly string[]>> = { spo2Daily: ['spo2'] };

export function grantsScope(granted: readonly string[], scope: OuraScope): boolean {
  const names = [scope, ...(SCOPE_ALIASES[scope] ?? [])];
  return granted.map(normaliseScope).some((g) => names.includes(g));
}

export const ALL_SCOPES: readonly OuraScope[] = OURA_SCOPES;

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).nullish(),
  expires_in: z.coerce.number().positive(),
  token_type: z.string().nullish(),
  scope: z.string().nullish(),
});

async function postForm(
  url: string,
  form: Record<string, string>,
  timeoutMs: number,
  what: string,
): Promise<unknown> {
  const res = await sendRequest({
    method: 'POST',
    url,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    body: new URLSearchParams(form).toString(),
    timeoutMs,
  });
  if (res.status >= 200 && res.status < 300) return res.body;
  const detail = errorDetail(res);
  const errorCode =
    typeof res.body === 'object' && res.body !== null && 'error' in res.body
      ? String(res.body.error)
      : undefined;
  const message = `${what}: ${res.status} ${detail}`;
  // invalid_grant: the code or refresh token is expired, used or revoked (RFC 6749 5.2).
  if (errorCode === 'invalid_grant') {
    throw new OuraAuthError(`${message} (the Oura connection must be made again)`, {
      status: res.status,
      reconnectNeeded: true,
    });
  }
  if (errorCode === 'invalid_client' || res.status === 401) {
    throw new OuraAuthError(`${message} (check OURA_CLIENT_ID / OURA_CLIENT_SECRET)`, {
      status: res.status,
      code: 'invalid_client',
      reconnectNeeded: false,
    });
  }
  if (res.status >= 500) throw new OuraUpstreamError(message, { status: res.status });
  throw new OuraError(message, { status: res.status, code: errorCode ?? 'oauth_error' });
}

function toTokenSet(body: unknown, what: string, now: number): TokenSet {
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new OuraProtocolError(
      `${what}: unexpected token response (${describeIssues(parsed.error)})`,
    );
  }
  const t = parsed.data;
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? null,
    expiresIn: t.expires_in,
    expiresAt: new Date(now + t.expires_in * 1000),
    scopes: parseScopes(t.scope),
  };
}

export async function exchangeCode(
  config: OAuthClientConfig,
  args: { code: string; redirectUri: string },
): Promise<TokenSet> {
  const what = 'POST token (authorization_code)';
  const now = Date.now();
  const body = await postForm(
    config.tokenUrl,
    {
      grant_type: 'authorization_code',
      code: args.code,
      client_id: config.clientId,
      client_secret: config.clientSecret,
      redirect_uri: args.redirectUri,
    },
    config.timeoutMs ?? 30_000,
    what,
  );
  return toTokenSet(body, what, now);
}

/** Refresh tokens are single-use [ERR]: persist the returned refresh token before anything else. */
export async function refreshTokens(
  config: OAuthClientConfig,
  refreshToken: string,
): Promise<TokenSet> {
  const what = 'POST token (refresh_token)';
  const now = Date.now();
  const body = await postForm(
    config.tokenUrl,
    {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: config.clientId,
      client_secret: config.clientSecret,
    },
    config.timeoutMs ?? 30_000,
    what,
  );
  return toTokenSet(body, what, now);
}

/**
 * Revoke a grant. The endpoint is undocumented in the spec; clients call
 * `/oauth/revoke?access_token=...` (NOTES "OAuth2", third-party).
 */
export async function revokeToken(
  config: { revokeUrl: string; timeoutMs?: number },
  accessToken: string,
): Promise<void> {
  const url = new URL(config.revokeUrl);
  url.searchParams.set('access_token', accessToken);
  const res = await sendRequest({
    method: 'POST',
    url: url.toString(),
    timeoutMs: config.timeoutMs ?? 30_000,
    expect: 'none',
  });
  if (res.status >= 200 && res.status < 300) return;
  // Revoking an already invalid token leaves the grant revoked: nothing to undo.
  if (res.status === 400 || res.status === 401) return;
  const message = `POST revoke: ${res.status} ${errorDetail(res)}`;
  if (res.status >= 500) throw new OuraUpstreamError(message, { status: res.status });
  throw new OuraError(message, { status: res.status, code: 'oauth_error' });
}
