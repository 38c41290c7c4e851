import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../../config/env.ts';
import { findConnectionByOuraUserId } from '../../db/connections.ts';
import type { Db } from '../../db/database.ts';
import { isDataType, ROUTES } from '../../oura/routes.ts';
import { type EnqueueArgs, enqueueJob } from '../../sync/jobs.ts';
import { recordWebhookEvent } from '../../sync/webhookEvents.ts';
import {
  checkWebhookTimestamp,
  constantTimeEqual,
  parseWebhookTimestamp,
  verifyWebhookSignature,
  webhookEventHash,
  webhookVerificationToken,
} from '../../sync/webhookSignature.ts';
import { WEBHOOK_CALLBACK_PATH } from '../../sync/webhookSubscriptions.ts';

/**
 * Oura's webhook callback (NOTES "Webhooks").
 *
 * GET: the verification call made when a subscription is created or updated; the token is the
 * one `snowtorch webhooks sync` sent (derived from the client secret), the challenge is echoed.
 *
 * POST: a delivery. It is authenticated (signature over timestamp + body, in constant time),
 * must be fresh (at most 5 minutes old), and is recorded once: a second delivery of the same
 * event is answered 200 `{"status":"duplicate"}` and does nothing (not an error status: Oura
 * would otherwise retry it for an hour). The work is queued and the answer sent at once, well
 * within Oura's 10 s. Events for users not connected here are answered 200 and ignored.
 */

export interface WebhookRouteDeps {
  db: Db;
  config: Config;
  logger?: Logger;
  /** Queue a job in the given transaction (default: enqueueJob). */
  enqueue?: (db: Db, job: EnqueueArgs) => Promise<unknown>;
  /** Called after a job was queued and committed (e.g. wake the scheduler's worker). */
  onQueued?: () => void;
  /** Clock (tests pin it). */
  now?: () => Date;
}

/** Deliveries are a few hundred bytes; anything big is not from Oura. */
const BODY_LIMIT = 64 * 1024;

const eventSchema = z.object({
  event_type: z.string().min(1),
  data_type: z.string().min(1),
  object_id: z.string().min(1),
  event_time: z.string().nullish(),
  user_id: z.string().min(1),
});

function refuse(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

export async function registerWebhookRoutes(
  app: FastifyInstance,
  deps: WebhookRouteDeps,
): Promise<void> {
  const log = deps.logger;
  const enqueue = deps.enqueue ?? enqueueJob;
  const now = deps.now ?? (() => new Date());

  // Its own scope: the raw body is needed for the signature, without changing how the rest of
  // the app parses JSON.
  await app.register(async (scope) => {
    // Every content type arrives as raw bytes: the signature decides, not the header (a signed
    // delivery labelled text/plain used to reach Fastify's text parser and fail the check).
    scope.removeAllContentTypeParsers();
    const keepRaw = (_req: unknown, body: Buffer, done: (err: null, body: Buffer) => void) =>
      done(null, body);
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, keepRaw);

    scope.get<{ Querystring: { verification_token?: string; challenge?: string } }>(
      WEBHOOK_CALLBACK_PATH,
      async (req, reply) => {
        const secret = deps.config.oura.clientSecret;
        if (!secret) {
          return refuse(reply, 503, 'webhooks_unavailable', 'OURA_CLIENT_SECRET is not set');
        }
        const { verification_token: token, challenge } = req.query;
        if (typeof challenge !== 'string' || challenge === '') {
          return refuse(reply, 400, 'bad_request', 'challenge is missing');
        }
        if (
          typeof token !== 'string' ||
          !constantTimeEqual(token, webhookVerificationToken(secret))
        ) {
          log?.warn('webhook verification with a wrong verification_token');
          return refuse(reply, 401, 'bad_verification_token', 'verification_token does not match');
        }
        return reply.send({ challenge });
      },
    );

    scope.post(WEBHOOK_CALLBACK_PATH, async (req, reply) => {
      const secret = deps.config.oura.clientSecret;
      if (!secret) {
        return refuse(reply, 503, 'webhooks_unavailable', 'OURA_CLIENT_SECRET is not set');
      }
      const signature = header(req.headers['x-oura-signature']);
      const timestampText = header(req.headers['x-oura-timestamp']);
      if (!signature || !timestampText) {
        return refuse(
          reply,
          401,
          'bad_signature',
          'x-oura-signature and x-oura-timestamp are required',
        );
      }
      const rawBody = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawBody);
      } catch {
        parsed = undefined;
      }
      if (
        !verifyWebhookSignature({
          clientSecret: secret,
          timestamp: timestampText,
          signature,
          rawBody,
          parsedBody: parsed,
        })
      ) {
        log?.warn('webhook delivery with a bad signature refused');
        return refuse(reply, 401, 'bad_signature', 'x-oura-signature does not match');
      }
      const signedAt = parseWebhookTimestamp(timestampText);
      const freshness = signedAt ? checkWebhookTimestamp(signedAt, now()) : 'stale';
      if (!signedAt || freshness !== 'fresh') {
        log?.warn(
          { timestamp: timestampText, freshness },
          'webhook delivery with a stale timestamp refused',
        );
        return refuse(
          reply,
          401,
          'stale_timestamp',
          `x-oura-timestamp is ${freshness === 'future' ? 'in the future' : 'too old (more than 5 minutes)'}`,
        );
      }
      const event = eventSchema.safeParse(parsed);
      if (!event.success) {
        return refuse(reply, 400, 'bad_request', 'body is not a webhook event');
      }
      const e = event.data;
      const eventTimeMs = e.event_time ? Date.parse(e.event_time) : Number.NaN;
      const handled = isDataType(e.data_type) && ROUTES[e.data_type].webhook;
      const kind = e.event_type === 'delete' ? 'webhook_delete' : 'webhook_fetch';
      const knownEvent =
        e.event_type === 'create' || e.event_type === 'update' || e.event_type === 'delete';

      const outcome = await deps.db.transaction().execute(async (trx) => {
        const connection = await findConnectionByOuraUserId(trx, e.user_id);
        const act = connection !== undefined && handled && knownEvent;
        const recorded = await recordWebhookEvent(trx, {
          ouraUserId: e.user_id,
          userId: connection?.userId ?? null,
          dataType: e.data_type,
          eventType: e.event_type,
          objectId: e.object_id,
          eventTime: Number.isNaN(eventTimeMs) ? null : new Date(eventTimeMs),
          signatureTimestamp: signedAt,
          status: act ? 'queued' : 'ignored',
          eventHash: webhookEventHash(e),
        });
        if (recorded === 'duplicate') return 'duplicate' as const;
        if (!act || !connection)
          return connection ? ('ignored' as const) : ('unknown_user' as const);
        await enqueue(trx, {
          userId: connection.userId,
          kind,
          payload: { dataType: e.data_type, objectId: e.object_id, eventType: e.event_type },
        });
        return 'queued' as const;
      });

      if (outcome === 'queued') {
        deps.onQueued?.();
      } else if (outcome === 'duplicate') {
        log?.info(
          { dataType: e.data_type, objectId: e.object_id },
          'webhook event already received: ignored',
        );
      } else if (outcome === 'unknown_user') {
        log?.warn(
          { ouraUserId: e.user_id },
          'webhook event for an Oura user not connected here: ignored',
        );
      } else {
        log?.info(
          { dataType: e.data_type, eventType: e.event_type },
          'webhook event not handled: ignored',
        );
      }
      return reply.send({ status: outcome === 'unknown_user' ? 'ignored' : outcome });
    });
  });
}
