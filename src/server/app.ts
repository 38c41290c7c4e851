import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerAuthRoutes } from './auth/routes.ts';
import { registerSessions } from './auth/session.ts';
import { createUserResolver } from './currentUser.ts';
import type { AppDeps } from './deps.ts';
import { errorResponseSchema, registerErrorHandling } from './errors.ts';
import { registerHealthRoutes } from './health.ts';
import { registerMetrics } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { registerResponseCache } from './responseCache.ts';
import { type ApiContext, createMemo, createOverviewCache } from './routes/context.ts';
import { registerDataRoutes } from './routes/data.ts';
import { registerExportRoutes } from './routes/export.ts';
import { registerHeartRateRoutes } from './routes/heartRate.ts';
import { registerMeRoutes } from './routes/me.ts';
import { registerMemberRoutes } from './routes/members.ts';
import { registerNightRoutes } from './routes/nights.ts';
import { registerOuraConnectRoutes } from './routes/ouraConnect.ts';
import { registerTrendRoutes } from './routes/trends.ts';
import { registerWebhookHealthRoutes } from './routes/webhooks.ts';
import { registerWorkoutRoutes } from './routes/workouts.ts';
import { registerSecurity } from './security.ts';
import { createSyncRunner } from './syncJobs.ts';
import { registerWeb, WEB_DIST } from './web.ts';
import { registerWebhookRoutes } from './webhooks/ouraWebhookRoutes.ts';

export type { AppDeps } from './deps.ts';

/** The app factory: routes and plugins only. `listen` is the caller's (serve command, tests). */
export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino 10's Logger is structurally Fastify's base logger; the cast bridges two pino typings.
    loggerInstance: deps.logger ? (deps.logger as unknown as FastifyBaseLogger) : undefined,
    logger: deps.logger === undefined ? false : undefined,
    // Request ids in logs (Fastify never logs bodies; the logger redacts auth headers).
    bodyLimit: 1024 * 1024,
    trustProxy: deps.config.trustProxy ?? false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true } },
  });
  registerErrorHandling(app);
  app.addSchema({ $id: 'ApiError', ...errorResponseSchema });
  await registerSecurity(app);
  // Before the response cache: cached answers are per logged-in user.
  await registerSessions(app, deps.db);
  await registerMetrics(app);
  await registerOpenApi(app);
  await registerHealthRoutes(app, deps);

  const overviews = createOverviewCache(deps.db);
  let responses: { clear(): void } | undefined;
  const sync = createSyncRunner(deps.sync, deps.logger, () => {
    overviews.clear();
    memo.clear();
    responses?.clear();
  });
  const memo = createMemo(() => sync.isRunning() || deps.responseCache === false);
  if (deps.responseCache !== false) {
    responses = registerResponseCache(app, { bypass: () => sync.isRunning() });
  }
  app.addHook('onClose', async () => sync.stop());
  const ctx: ApiContext = {
    config: deps.config,
    db: deps.db,
    log: deps.logger || undefined,
    clearCaches() {
      overviews.clear();
      memo.clear();
      responses?.clear();
    },
    users: createUserResolver(),
    sync,
    overviews,
    memo,
    today: deps.today ?? (() => new Date().toISOString().slice(0, 10)),
  };
  await registerAuthRoutes(app, deps.db);
  await registerMeRoutes(app, ctx);
  await registerMemberRoutes(app, ctx);
  await registerOuraConnectRoutes(app, ctx);
  await registerNightRoutes(app, ctx);
  await registerTrendRoutes(app, ctx);
  await registerHeartRateRoutes(app, ctx);
  await registerWorkoutRoutes(app, ctx);
  await registerDataRoutes(app, ctx);
  await registerWebhookHealthRoutes(app, ctx);
  await registerExportRoutes(app, ctx);
  await registerWebhookRoutes(app, {
    db: deps.db,
    config: deps.config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.onWebhookQueued ? { onQueued: deps.onWebhookQueued } : {}),
  });

  const webDir =
    deps.webDir === undefined
      ? existsSync(join(WEB_DIST, 'index.html'))
        ? WEB_DIST
        : null
      : deps.webDir;
  await registerWeb(app, webDir);
  return app;
}
