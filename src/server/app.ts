import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Config } from '../config/env.ts';
import { registerAuthRoutes } from './auth/routes.ts';
import { registerSessions } from './auth/session.ts';
import { createUserResolver } from './currentUser.ts';
import type { AppDeps } from './deps.ts';
import {
  type ApiErrorBody,
  errorResponseSchema,
  REQUEST_BUDGET_MS,
  registerErrorHandling,
} from './errors.ts';
import { registerHealthRoutes } from './health.ts';
import { isLoopbackHost } from './loopback.ts';
import { registerMetrics } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { registerPathNormalisation } from './paths.ts';
import { registerResponseCache } from './responseCache.ts';
import { type ApiContext, createMemo, createOverviewCache } from './routes/context.ts';
import { registerDataRoutes } from './routes/data.ts';
import { registerExportRoutes } from './routes/export.ts';
import { registerHeartRateRoutes } from './routes/heartRate.ts';
import { registerInsightRoutes } from './routes/insights.ts';
import { registerTagInsightRoutes } from './routes/insightsTags.ts';
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

/** The first visitor of a server reachable beyond this machine must not become its owner. */
export function setupTokenRequired(config: Config): boolean {
  return !isLoopbackHost(config.server.host);
}

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
    // Every handler runs under a time budget: past it the client gets 503 `timeout` in the JSON
    // error shape (routes that stream, like the export, set their own).
    handlerTimeout: deps.requestBudgetMs ?? REQUEST_BUDGET_MS,
    // URLs the router refuses (bad encoding, an over-long parameter) answer in the same shape.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = error.statusCode === 414;
      const body: ApiErrorBody = {
        error: {
          code: tooLong ? 'uri_too_long' : 'invalid_path',
          message: tooLong ? 'A path parameter is too long.' : 'The URL is not valid.',
        },
      };
      // Fastify types the reply by route; these errors come before any route is known.
      (reply as unknown as FastifyReply).code(tooLong ? 414 : 400).send(body);
    },
  });
  registerErrorHandling(app);
  app.addSchema({ $id: 'ApiError', ...errorResponseSchema });
  registerPathNormalisation(app);
  await registerSecurity(app);
  // Before the response cache: cached answers are per logged-in user.
  await registerSessions(app, deps.db, { publicUrl: deps.config.publicUrl });
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
    setupTokenRequired: setupTokenRequired(deps.config),
  };
  await registerAuthRoutes(app, deps.db, {
    setupToken: ctx.setupTokenRequired ? (deps.setupToken ?? null) : undefined,
  });
  await registerMeRoutes(app, ctx);
  await registerMemberRoutes(app, ctx);
  await registerOuraConnectRoutes(app, ctx);
  await registerNightRoutes(app, ctx);
  await registerTrendRoutes(app, ctx);
  await registerInsightRoutes(app, ctx);
  await registerHeartRateRoutes(app, ctx);
  await registerWorkoutRoutes(app, ctx);
  await registerTagInsightRoutes(app, ctx);
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
