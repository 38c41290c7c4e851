import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createLoginLink } from '../accounts/links.ts';
import type { Config } from '../config/env.ts';
import { ConfigError } from '../config/env.ts';
import type { Db, OpenDatabase } from '../db/database.ts';
import { findUserByName } from '../db/users.ts';
import { createSyncContext } from '../sync/context.ts';
import type { SyncContext } from '../sync/types.ts';
import { createApp } from './app.ts';
import { ensureWebBuild } from './webBuild.ts';

export interface ServeDashboardOptions {
  config: Config;
  db: Db;
  logger?: Logger | false;
  /** Engine context for the dashboard's "Sync now" button. */
  sync?: SyncContext;
  /** Wakes the scheduler's worker when a webhook delivery queued work. */
  onWebhookQueued?: () => void;
  /** The setup token creating the owner needs beyond loopback (see AppDeps.setupToken). */
  setupToken?: string;
  /** Default: config.server.host / config.server.port. */
  host?: string;
  port?: number;
}

export interface RunningDashboard {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

/**
 * Builds the web assets if they are missing or stale, creates the app and listens. Used by
 * `snowtorch serve` and `snowtorch demo`; the caller owns the database and closes it after.
 */
export async function serveDashboard(opts: ServeDashboardOptions): Promise<RunningDashboard> {
  const webDir = await ensureWebBuild(opts.logger);
  const app = await createApp({
    config: opts.config,
    db: opts.db,
    ...(opts.logger === undefined ? {} : { logger: opts.logger }),
    ...(opts.sync ? { sync: opts.sync } : {}),
    ...(opts.onWebhookQueued ? { onWebhookQueued: opts.onWebhookQueued } : {}),
    ...(opts.setupToken ? { setupToken: opts.setupToken } : {}),
    webDir,
  });
  const host = opts.host ?? opts.config.server.host;
  const port = opts.port ?? opts.config.server.port;
  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    app,
    url: `http://${shownHost}:${actualPort}`,
    close: () => app.close(),
  };
}

/**
 * For `snowtorch demo` (after its sync): serve the dashboard for the demo's database until
 * SIGINT/SIGTERM, printing the URL. "Sync now" syncs from the same simulator. The caller closes
 * the database and the simulator afterwards.
 */
export async function serveDashboardUntilSignal(opts: {
  config: Config;
  database: OpenDatabase;
  userName?: string;
  logger?: Logger | false;
  out?: NodeJS.WritableStream;
}): Promise<void> {
  let sync: SyncContext | undefined;
  try {
    sync = createSyncContext({
      config: opts.config,
      database: opts.database,
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  }
  const dashboard = await serveDashboard({
    config: opts.config,
    db: opts.database.db,
    logger: opts.logger ?? false,
    ...(sync ? { sync } : {}),
  });
  // One click into the dashboard: a one-time login link (no default password anywhere).
  const user = opts.userName ? await findUserByName(opts.database.db, opts.userName) : undefined;
  const shown = user
    ? `${(await createLoginLink(opts.database.db, user.id, dashboard.url)).url}\n  (one-time login link for "${user.name}", valid 15 minutes; later: snowtorch users login-link ${user.name})`
    : dashboard.url;
  (opts.out ?? process.stdout).write(`\nDashboard: ${shown}\n  (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await dashboard.close();
}
