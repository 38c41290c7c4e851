import type { FastifyInstance } from 'fastify';
import { hashToken, randomToken } from '../../accounts/secrets.ts';
import { createTokenCipher } from '../../crypto/tokenCipher.ts';
import { deleteUserData } from '../../db/accounts.ts';
import { recordAudit } from '../../db/auditLog.ts';
import { consumeAuthToken, createAuthToken } from '../../db/authTokens.ts';
import { findConnectionByOuraUserId, getConnection } from '../../db/connections.ts';
import { OuraError } from '../../oura/errors.ts';
import { buildAuthorizeUrl, revokeToken } from '../../oura/oauth.ts';
import { OURA_SCOPES } from '../../oura/routes.ts';
import { redeemAuthorizationCode, saveGrant } from '../../sync/grant.ts';
import { requireAuth } from '../auth/session.ts';
import { ApiError, ConflictError } from '../errors.ts';
import type { ApiContext } from './context.ts';

/** An authorization code lives 10 minutes at Oura; the state no longer. */
const STATE_TTL_MS = 10 * 60_000;

function oauthSettings(ctx: ApiContext) {
  const { clientId, clientSecret } = ctx.config.oura;
  const key = ctx.config.secretKey;
  if (!clientId || !clientSecret || !key) {
    throw new ApiError(
      503,
      'oauth_unavailable',
      'Connecting Oura is not configured on this server: set OURA_CLIENT_ID, OURA_CLIENT_SECRET and SNOWTORCH_SECRET_KEY.',
    );
  }
  return { clientId, clientSecret, key };
}

/**
 * Revokes the user's grant at Oura (best effort: a dead grant is already revoked) and deletes
 * the stored tokens. Returns whether Oura confirmed the revocation.
 */
export async function revokeAndForget(ctx: ApiContext, userId: number): Promise<boolean> {
  const connection = await getConnection(ctx.db, userId);
  if (!connection) return false;
  let revoked = false;
  if (connection.accessTokenEnc && ctx.config.secretKey) {
    try {
      const token = createTokenCipher([ctx.config.secretKey]).decrypt(connection.accessTokenEnc);
      await revokeToken({ revokeUrl: ctx.config.oura.revokeUrl, timeoutMs: 10_000 }, token);
      revoked = true;
    } catch (error) {
      ctx.log?.warn(
        { err: error instanceof Error ? error.message : 'revoke failed' },
        'Oura revoke failed',
      );
    }
  }
  await ctx.db.deleteFrom('oura_connection').where('user_id', '=', userId).execute();
  return revoked;
}

export async function registerOuraConnectRoutes(
  app: FastifyInstance,
  ctx: ApiContext,
): Promise<void> {
  app.post(
    '/api/oura/connect',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Start "Connect Oura": the Oura authorization URL to open (state bound to this session)',
        response: { 503: { $ref: 'ApiError#' } },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      const oauth = oauthSettings(ctx);
      const state = randomToken();
      await createAuthToken(ctx.db, {
        tokenHash: hashToken(state),
        purpose: 'oauth_state',
        userId: auth.userId,
        sessionHash: auth.sessionHash,
        expiresAt: new Date(Date.now() + STATE_TTL_MS),
      });
      return {
        authorizeUrl: buildAuthorizeUrl({
          authorizeUrl: ctx.config.oura.authorizeUrl,
          clientId: oauth.clientId,
          redirectUri: ctx.config.oura.redirectUri,
          state,
          scopes: OURA_SCOPES,
        }),
        redirectUri: ctx.config.oura.redirectUri,
      };
    },
  );

  // Oura's redirect back: a top-level GET, so outcomes are redirects into the Data page.
  app.get<{ Querystring: { code?: string; state?: string; error?: string } }>(
    '/oauth/callback',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: {
            code: { type: 'string', maxLength: 2048 },
            state: { type: 'string', maxLength: 200 },
            error: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (request, reply) => {
      const back = (outcome: string) => reply.redirect(`/data?oauth=${outcome}`, 303);
      const auth = request.auth;
      if (!auth) return reply.redirect('/login?oauth=session', 303);
      const oauth = oauthSettings(ctx);
      const { code, state, error } = request.query;
      // The state must be one this session asked for, unused and under 10 minutes old: anything
      // else is a forged or replayed redirect (login CSRF into someone else's Oura account).
      const used = state
        ? await consumeAuthToken(ctx.db, hashToken(state), 'oauth_state')
        : undefined;
      if (!used || used.sessionHash !== auth.sessionHash || used.userId !== auth.userId) {
        await recordAudit(ctx.db, {
          event: 'connect_rejected',
          actorId: auth.userId,
          actorName: auth.name,
          ip: request.ip,
          details: { reason: 'state_mismatch' },
        });
        return back('state_mismatch');
      }
      if (error || !code) return back('denied');
      try {
        const { tokens, ouraUserId } = await redeemAuthorizationCode(
          ctx.config,
          { clientId: oauth.clientId, clientSecret: oauth.clientSecret },
          { code, redirectUri: ctx.config.oura.redirectUri },
        );
        const other = await findConnectionByOuraUserId(ctx.db, ouraUserId);
        if (other && other.userId !== auth.userId) {
          await revokeToken({ revokeUrl: ctx.config.oura.revokeUrl }, tokens.accessToken).catch(
            () => {},
          );
          return back('already_connected');
        }
        const scopes = tokens.scopes ?? [...OURA_SCOPES];
        await saveGrant(ctx.db, oauth.key, { userId: auth.userId, ouraUserId, tokens, scopes });
        ctx.clearCaches();
        await recordAudit(ctx.db, {
          event: 'connect',
          actorId: auth.userId,
          actorName: auth.name,
          ip: request.ip,
          details: { scopes },
        });
      } catch (err) {
        if (!(err instanceof OuraError)) throw err;
        ctx.log?.warn({ code: err.code, status: err.status }, 'Oura connect failed');
        return back('exchange_failed');
      }
      // The backfill starts now; the Data page shows its progress.
      try {
        ctx.sync.start(auth.userId);
      } catch {
        // No sync configured here, or one already runs: the page says so.
      }
      return back('connected');
    },
  );

  app.post<{ Body: { deleteData?: boolean } | undefined }>(
    '/api/oura/disconnect',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Disconnect Oura: revoke the grant, delete the tokens and optionally the data',
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { deleteData: { type: 'boolean', default: false } },
        },
        response: { 404: { $ref: 'ApiError#' }, 409: { $ref: 'ApiError#' } },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      if (ctx.sync.isRunningFor(auth.userId)) {
        throw new ConflictError(
          'sync_running',
          'A sync is running: disconnect when it has finished.',
        );
      }
      const connection = await getConnection(ctx.db, auth.userId);
      const deleteData = request.body?.deleteData === true;
      if (!connection && !deleteData)
        throw new ApiError(404, 'not_connected', 'Oura is not connected.');
      const revoked = connection ? await revokeAndForget(ctx, auth.userId) : false;
      if (deleteData) await deleteUserData(ctx.db, auth.userId);
      ctx.clearCaches();
      await recordAudit(ctx.db, {
        event: 'disconnect',
        actorId: auth.userId,
        actorName: auth.name,
        ip: request.ip,
        details: { revoked, deletedData: deleteData },
      });
      return { revoked, deletedData: deleteData };
    },
  );
}
