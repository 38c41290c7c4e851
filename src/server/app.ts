import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/env.ts';
import type { Db } from '../db/database.ts';
import { registerHealthRoutes } from './health.ts';

export interface AppDeps {
  readonly config: Config;
  readonly db: Db;
  readonly logger?: Logger | false;
}

/** The app factory: routes and plugins only. `listen` is the caller's (serve command, tests). */
export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger || undefined,
    logger: deps.logger === undefined ? false : undefined,
    // Request ids in logs, never request bodies or auth headers.
    disableRequestLogging: false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  });
  await registerHealthRoutes(app, deps);
  return app;
}
