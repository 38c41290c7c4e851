import type { FastifyInstance } from 'fastify';
import type { WebhookHealthResponse } from '../../api/types.ts';
import { getWebhookHealth } from '../../sync/webhookHealth.ts';
import { type ApiContext, jsonResponse } from './context.ts';

export async function registerWebhookHealthRoutes(
  app: FastifyInstance,
  ctx: ApiContext,
): Promise<void> {
  app.get(
    '/api/webhooks/health',
    {
      schema: {
        tags: ['data'],
        summary:
          'Live updates: whether Oura webhooks arrive (none, ok, silent, expired); polling runs regardless',
        response: {
          200: jsonResponse('Webhook health', {
            state: { type: 'string', enum: ['none', 'ok', 'silent', 'expired'] },
          }),
          401: { $ref: 'ApiError#' },
        },
      },
    },
    async (request): Promise<WebhookHealthResponse> => {
      ctx.users.require(request);
      const health = await getWebhookHealth(ctx.db);
      const active = health.subscriptions.filter((s) => !s.expired);
      // The soonest expiry of those still running; when all expired, the last one that did.
      const expiries = (active.length > 0 ? active : health.subscriptions)
        .map((s) => s.expirationTime)
        .sort();
      const nextExpiry = (active.length > 0 ? expiries[0] : expiries[expiries.length - 1]) ?? null;
      // Subscriptions are server-wide (callback URLs are the server's configuration): members
      // see counts and times only.
      return {
        state: health.state,
        pollIntervalMinutes: ctx.config.sync.intervalMinutes,
        subscriptions: health.subscriptions.length,
        activeSubscriptions: active.length,
        nextExpiry,
        expiresSoon: active.some((s) => s.expiresSoon),
        lastEventAt: health.lastEventAt,
        eventsLast24h: health.eventsLast24h,
      };
    },
  );
}
