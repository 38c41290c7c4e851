import type { Logger } from 'pino';
import { createTokenCipher } from '../crypto/tokenCipher.ts';
import {
  type Connection,
  getConnection,
  lockConnection,
  markReconnectNeeded,
  updateConnectionTokens,
} from '../db/connections.ts';
import type { Db } from '../db/database.ts';
import type { TokenProvider } from '../oura/client.ts';
import { OuraAuthError } from '../oura/errors.ts';
import { type OAuthClientConfig, refreshTokens } from '../oura/oauth.ts';

/**
 * Access tokens for one user, read from oura_connection and refreshed when needed.
 *
 * Oura refresh tokens are single-use [ERR]: two processes refreshing with the same one would
 * leave one of them with `invalid_grant` and, worse, possibly a stored token that is already
 * spent. So a refresh happens only while holding the connection row (`SELECT ... FOR UPDATE`),
 * and `token_version` tells whether another process refreshed since we read the row; the new
 * tokens are stored, encrypted, in that same transaction.
 */

export interface DbTokenProviderOptions {
  userId: number;
  oauth: OAuthClientConfig;
  /** Decryption keys; the first one encrypts (key rotation: keep old keys after it). */
  keys: readonly Buffer[];
  /** Refresh ahead of expiry when fewer than this many seconds remain (default 300). */
  refreshMarginSeconds?: number;
  logger?: Logger;
}

interface Cached {
  token: string;
  version: number;
  expiresAt: number;
}

type RefreshReason = 'expiring' | 'unauthorized';

export function createDbTokenProvider(db: Db, opts: DbTokenProviderOptions): TokenProvider {
  const cipher = createTokenCipher(opts.keys);
  const marginMs = (opts.refreshMarginSeconds ?? 300) * 1000;
  const log = opts.logger;
  let cached: Cached | undefined;
  let inFlight: Promise<string> | undefined;

  const fresh = (expiresAt: number) => expiresAt - Date.now() > marginMs;

  const usable = (conn: Connection | undefined): Connection => {
    if (!conn) {
      throw new OuraAuthError(
        `user ${opts.userId} has no Oura connection; run: snowtorch connect --user <name>`,
        { reconnectNeeded: true },
      );
    }
    if (conn.status !== 'active' || !conn.accessTokenEnc) {
      throw new OuraAuthError(
        `the Oura connection of user ${opts.userId} is ${conn.status}; run snowtorch connect again`,
        { reconnectNeeded: true },
      );
    }
    return conn;
  };

  const remember = (conn: Connection, token?: string): string => {
    const value = token ?? cipher.decrypt(conn.accessTokenEnc);
    cached = {
      token: value,
      version: conn.tokenVersion,
      expiresAt: conn.accessExpiresAt.getTime(),
    };
    return value;
  };

  /** Only one refresh per provider at a time; other callers wait for its result. */
  const singleFlight = (work: () => Promise<string>): Promise<string> => {
    if (!inFlight) {
      inFlight = work().finally(() => {
        inFlight = undefined;
      });
    }
    return inFlight;
  };

  async function refresh(seenVersion: number, reason: RefreshReason): Promise<string> {
    const outcome = await db.transaction().execute(async (trx) => {
      const conn = usable(await lockConnection(trx, opts.userId));
      const refreshedElsewhere = conn.tokenVersion !== seenVersion;
      if (
        refreshedElsewhere &&
        (reason === 'unauthorized' || fresh(conn.accessExpiresAt.getTime()))
      ) {
        log?.debug({ userId: opts.userId }, 'Oura token already refreshed by another process');
        return { kind: 'stored' as const, conn };
      }
      if (!conn.refreshTokenEnc) {
        await markReconnectNeeded(trx, opts.userId);
        return {
          kind: 'dead' as const,
          error: new OuraAuthError(
            `the Oura access token of user ${opts.userId} expired and no refresh token is stored; run snowtorch connect again`,
            { reconnectNeeded: true },
          ),
        };
      }
      try {
        const set = await refreshTokens(opts.oauth, cipher.decrypt(conn.refreshTokenEnc));
        const updated = await updateConnectionTokens(trx, {
          userId: opts.userId,
          accessTokenEnc: cipher.encrypt(set.accessToken),
          // Oura always rotates it; should one ever not, the stored one stays valid.
          refreshTokenEnc: set.refreshToken
            ? cipher.encrypt(set.refreshToken)
            : conn.refreshTokenEnc,
          accessExpiresAt: set.expiresAt,
          scopes: set.scopes,
        });
        log?.info({ userId: opts.userId, reason }, 'Oura token refreshed');
        return { kind: 'refreshed' as const, conn: updated, token: set.accessToken };
      } catch (err) {
        if (err instanceof OuraAuthError && err.reconnectNeeded) {
          // Committed (not thrown) so the status survives: only invalid_grant clears credentials.
          await markReconnectNeeded(trx, opts.userId);
          return { kind: 'dead' as const, error: err };
        }
        throw err;
      }
    });
    if (outcome.kind === 'dead') {
      cached = undefined;
      log?.warn({ userId: opts.userId }, 'Oura grant is no longer valid: reconnect needed');
      throw outcome.error;
    }
    return remember(outcome.conn, outcome.kind === 'refreshed' ? outcome.token : undefined);
  }

  return {
    accessToken() {
      if (cached && fresh(cached.expiresAt)) return Promise.resolve(cached.token);
      return singleFlight(async () => {
        const conn = usable(await getConnection(db, opts.userId));
        if (fresh(conn.accessExpiresAt.getTime())) return remember(conn);
        return refresh(conn.tokenVersion, 'expiring');
      });
    },

    async refreshAfterUnauthorized(rejectedToken) {
      // A load or refresh already under way may produce the replacement.
      const pending = await inFlight?.catch(() => undefined);
      if (pending && pending !== rejectedToken) return pending;
      if (cached && cached.token !== rejectedToken && fresh(cached.expiresAt)) return cached.token;
      return singleFlight(async () => {
        if (cached?.token === rejectedToken) return refresh(cached.version, 'unauthorized');
        const conn = usable(await getConnection(db, opts.userId));
        const stored = cipher.decrypt(conn.accessTokenEnc);
        if (stored !== rejectedToken && fresh(conn.accessExpiresAt.getTime())) {
          return remember(conn, stored);
        }
        return refresh(conn.tokenVersion, 'unauthorized');
      });
    },
  };
}

/** A provider for a token just obtained (e.g. during connect), which cannot be refreshed. */
export function staticTokenProvider(accessToken: string): TokenProvider {
  return {
    accessToken: () => Promise.resolve(accessToken),
    refreshAfterUnauthorized: () =>
      Promise.reject(
        new OuraAuthError('Oura rejected the access token just issued', { reconnectNeeded: true }),
      ),
  };
}
