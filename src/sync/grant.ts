import type { Config } from '../config/env.ts';
import { createTokenCipher } from '../crypto/tokenCipher.ts';
import { saveConnection } from '../db/connections.ts';
import type { Db } from '../db/database.ts';
import { createOuraClient } from '../oura/client.ts';
import { exchangeCode, type TokenSet } from '../oura/oauth.ts';
import { staticTokenProvider } from './tokenStore.ts';

/**
 * The end of the OAuth2 code flow, shared by `snowtorch connect` and the browser's "Connect
 * Oura": redeem the code, then ask `personal_info` who granted it (its `id` maps webhook
 * `user_id` values to our users and is readable with any scope).
 */
export async function redeemAuthorizationCode(
  config: Config,
  client: { clientId: string; clientSecret: string },
  args: { code: string; redirectUri: string },
): Promise<{ tokens: TokenSet; ouraUserId: string }> {
  const tokens = await exchangeCode({ tokenUrl: config.oura.tokenUrl, ...client }, args);
  const info = await createOuraClient({
    baseUrl: config.oura.apiBaseUrl,
    tokens: staticTokenProvider(tokens.accessToken),
    maxRetries: 2,
  }).personalInfo();
  return { tokens, ouraUserId: info.id };
}

/** Store a new grant for a user, tokens encrypted with the configured key. */
export async function saveGrant(
  db: Db,
  key: Buffer,
  grant: { userId: number; ouraUserId: string; tokens: TokenSet; scopes: readonly string[] },
): Promise<void> {
  const cipher = createTokenCipher([key]);
  const { tokens } = grant;
  await saveConnection(db, {
    userId: grant.userId,
    ouraUserId: grant.ouraUserId,
    accessTokenEnc: cipher.encrypt(tokens.accessToken),
    refreshTokenEnc: tokens.refreshToken ? cipher.encrypt(tokens.refreshToken) : null,
    accessExpiresAt: tokens.expiresAt,
    scopes: grant.scopes,
  });
}
