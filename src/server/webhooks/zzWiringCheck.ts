// temporary: typecheck of the wiring snippet for the report (deleted after checking)
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../../config/env.ts';
import type { OpenDatabase } from '../../db/database.ts';
import { createWebhookApi } from '../../oura/webhookApi.ts';
import { startScheduler } from '../../sync/scheduler.ts';
import type { SyncContext } from '../../sync/types.ts';
import { renewExpiringSubscriptions } from '../../sync/webhookSubscriptions.ts';
import { registerWebhookRoutes } from './ouraWebhookRoutes.ts';

export async function wire(
  app: FastifyInstance,
  config: Config,
  database: OpenDatabase,
  logger: Logger,
  sync: SyncContext | undefined,
  clearCaches: () => void,
) {
  const { clientId, clientSecret } = config.oura;
  const scheduler = sync
    ? startScheduler({
        ctx: sync,
        db: database.db,
        intervalMs: config.sync.intervalMinutes * 60_000,
        logger,
        onJobFinished: () => clearCaches(),
        ...(config.publicUrl && clientId && clientSecret
          ? {
              renewSubscriptions: () =>
                renewExpiringSubscriptions(
                  database.db,
                  createWebhookApi({ baseUrl: config.oura.apiBaseUrl, clientId, clientSecret }),
                ),
            }
          : {}),
      })
    : undefined;
  await registerWebhookRoutes(app, {
    db: database.db,
    config,
    logger,
    ...(scheduler ? { onQueued: () => scheduler.wake() } : {}),
  });
  await scheduler?.stop({ timeoutMs: 8_000 });
}
