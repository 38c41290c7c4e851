import { randomBytes } from 'node:crypto';

/**
 * Authorization codes, access tokens and refresh tokens, with Oura's rules: codes live 10
 * minutes and are single use (spec OAuth2 flow); refresh tokens are single use, each refresh
 * returns a new one ([ERR] "it can only be used once"); revoking a grant kills all its tokens.
 */

export interface Grant {
  readonly id: string;
  readonly user: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  revoked: boolean;
}

interface AccessToken {
  grant: Grant;
  expiresAt: number;
}

interface RefreshToken {
  grant: Grant;
  used: boolean;
}

interface AuthCode {
  user: string;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  expiresAt: number;
  used: boolean;
}

export interface IssuedTokens {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

export type AccessCheck =
  | { ok: true; grant: Grant; token: string }
  | { ok: false; reason: 'invalid' | 'expired' | 'revoked' };

export type GrantResult = { ok: true; tokens: IssuedTokens } | { ok: false; reason: string };

const secret = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

export class TokenStore {
  readonly #access = new Map<string, AccessToken>();
  readonly #refresh = new Map<string, RefreshToken>();
  readonly #codes = new Map<string, AuthCode>();
  readonly #grants: Grant[] = [];
  readonly #accessTtlMs: number;
  readonly #codeTtlMs: number;
  readonly #now: () => number;

  constructor(opts: { accessTokenTtlSeconds: number; authCodeTtlSeconds: number }) {
    this.#accessTtlMs = opts.accessTokenTtlSeconds * 1000;
    this.#codeTtlMs = opts.authCodeTtlSeconds * 1000;
    this.#now = Date.now;
  }

  createCode(args: {
    user: string;
    clientId: string;
    redirectUri: string;
    scopes: readonly string[];
  }): string {
    const code = secret('code');
    this.#codes.set(code, { ...args, expiresAt: this.#now() + this.#codeTtlMs, used: false });
    return code;
  }

  exchangeCode(args: { code: string; clientId: string; redirectUri: string }): GrantResult {
    const code = this.#codes.get(args.code);
    if (code === undefined) return { ok: false, reason: 'unknown authorization code' };
    if (code.used) return { ok: false, reason: 'authorization code already used' };
    if (this.#now() >= code.expiresAt) return { ok: false, reason: 'authorization code expired' };
    if (code.clientId !== args.clientId) {
      return { ok: false, reason: 'authorization code was issued to another client' };
    }
    if (code.redirectUri !== args.redirectUri) {
      return { ok: false, reason: 'redirect_uri does not match the authorization request' };
    }
    code.used = true;
    return { ok: true, tokens: this.issue(code.user, code.clientId, code.scopes) };
  }

  refresh(args: { refreshToken: string; clientId: string }): GrantResult {
    const entry = this.#refresh.get(args.refreshToken);
    if (entry === undefined) return { ok: false, reason: 'unknown refresh token' };
    if (entry.used) return { ok: false, reason: 'refresh token already used' };
    if (entry.grant.revoked) return { ok: false, reason: 'access was revoked' };
    if (entry.grant.clientId !== args.clientId) {
      return { ok: false, reason: 'refresh token was issued to another client' };
    }
    entry.used = true;
    return { ok: true, tokens: this.#issueFor(entry.grant) };
  }

  /** Start a new grant for a user and issue its first token pair. */
  issue(user: string, clientId: string, scopes: readonly string[]): IssuedTokens {
    const grant: Grant = {
      id: secret('grant'),
      user,
      clientId,
      scopes: [...scopes],
      revoked: false,
    };
    this.#grants.push(grant);
    return this.#issueFor(grant);
  }

  #issueFor(grant: Grant): IssuedTokens {
    const accessToken = secret('at');
    const refreshToken = secret('rt');
    this.#access.set(accessToken, { grant, expiresAt: this.#now() + this.#accessTtlMs });
    this.#refresh.set(refreshToken, { grant, used: false });
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: Math.round(this.#accessTtlMs / 1000),
      refresh_token: refreshToken,
      scope: grant.scopes.join(' '),
    };
  }

  check(token: string): AccessCheck {
    const entry = this.#access.get(token);
    if (entry === undefined) return { ok: false, reason: 'invalid' };
    if (entry.grant.revoked) return { ok: false, reason: 'revoked' };
    if (this.#now() >= entry.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, grant: entry.grant, token };
  }

  /** Revoke the grant behind an access or refresh token. Returns whether one was found. */
  revokeToken(token: string): boolean {
    const grant = this.#access.get(token)?.grant ?? this.#refresh.get(token)?.grant;
    if (grant === undefined) return false;
    grant.revoked = true;
    return true;
  }

  /** Revoke every grant of a user (the user disconnected the app in Oura). */
  revokeUser(user: string): number {
    let n = 0;
    for (const grant of this.#grants) {
      if (grant.user === user && !grant.revoked) {
        grant.revoked = true;
        n++;
      }
    }
    return n;
  }

  /** Make every access token issued so far expired; refresh tokens keep working. */
  expireAccessTokensNow(): void {
    const now = this.#now();
    for (const entry of this.#access.values()) entry.expiresAt = Math.min(entry.expiresAt, now);
  }
}
