import type { Logger } from 'pino';
import { randomToken } from '../../accounts/secrets.ts';
import { type Config, ConfigError, loadConfig } from '../../config/env.ts';
import { hasOwner } from '../../db/accounts.ts';
import { type OpenDatabase, openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { createWebhookApi } from '../../oura/webhookApi.ts';
import { setupTokenRequired } from '../../server/app.ts';
import { REQUEST_BUDGET_MS } from '../../server/errors.ts';
import { createLogger } from '../../server/logger.ts';
import { isLoopbackHost } from '../../server/loopback.ts';
import { serveDashboard } from '../../server/serveDashboard.ts';
import { createSyncContext } from '../../sync/context.ts';
import { startScheduler } from '../../sync/scheduler.ts';
import type { SyncContext } from '../../sync/types.ts';
import { renewExpiringSubscriptions } from '../../sync/webhookSubscriptions.ts';
import { parseCommandArgs, UsageError } from '../usage.ts';

const HELP = `Usage: snowtorch serve

Serves the dashboard and JSON API (OpenAPI docs at /api/docs, metrics at /metrics).
  SNOWTORCH_HOST          address to bind (default 127.0.0.1)
  SNOWTORCH_PORT          port (default 3000)
  SNOWTORCH_ALLOW_REMOTE  must be "true" to bind anything but loopback (e.g. 0.0.0.0 in a container)
  SNOWTORCH_SYNC_INTERVAL_MINUTES  incremental sync of every connected user (default 60; 0: off)
  SNOWTORCH_PUBLIC_URL    https URL Oura's webhooks reach (POST /webhooks/oura); subscriptions
                          are renewed daily when set (create them with snowtorch webhooks sync)
Bound beyond loopback with no owner yet, serve prints a one-time setup token that the setup
page asks for (or create the owner with: snowtorch users create NAME --owner).
The dashboard's assets (web/dist) are built on start when missing or out of date.
"Sync now" needs SNOWTORCH_SECRET_KEY, OURA_CLIENT_ID and OURA_CLIENT_SECRET.
Migrations run first, under a lock. SIGTERM/SIGINT stop accepting, finish requests, close the DB
(the embedded PostgreSQL keeps running for other commands: snowtorch db stop stops it).`;

export async function runServeCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs('serve', argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const config = loadConfig();
  if (!isLoopbackHost(config.server.host) && !config.server.allowRemote) {
    throw new UsageError(
      `serve: refusing to listen on ${config.server.host}: set SNOWTORCH_ALLOW_REMOTE=true to expose Snowtorch beyond this machine (put TLS in front of it)`,
    );
  }
  const logger = createLogger(config);
  const database = await openDatabase(config.database);
  const { applied } = await migrateToLatest(database.db);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  let sync: SyncContext | undefined;
  try {
    sync = createSyncContext({ config, database, logger });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    logger.info(
      { missing: error.issues.map((i) => i.variable) },
      'sync from the dashboard disabled',
    );
  }
  const scheduler = sync ? startLiveSync(config, database, sync, logger) : undefined;
  // The dashboard's queries get their own pool whose statements stop at the request budget;
  // sync and migrations keep the unbounded one.
  const apiDatabase =
    database.kind === 'postgres'
      ? await openDatabase(config.database, {
          poolSize: 5,
          statementTimeoutMs: REQUEST_BUDGET_MS,
        })
      : database;
  // Beyond loopback, whoever opens the dashboard first must not become the owner: setup
  // needs this token, printed once to the server's own output (not the structured log).
  const ownerMissing = !(await hasOwner(database.db));
  const setupToken = ownerMissing && setupTokenRequired(config) ? randomToken() : undefined;
  const dashboard = await serveDashboard({
    config,
    db: apiDatabase.db,
    ...(setupToken ? { setupToken } : {}),
    logger,
    ...(sync ? { sync } : {}),
    ...(scheduler ? { onWebhookQueued: () => scheduler.wake() } : {}),
  });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    await dashboard.close();
    // A sync still running after 8 s is interrupted; it resumes where it stopped next time.
    await scheduler?.stop({ timeoutMs: 8_000 });
    if (apiDatabase !== database) await apiDatabase.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  logger.info({ url: dashboard.url }, 'Snowtorch is serving');
  if (ownerMissing) {
    logger.info(
      { url: `${dashboard.url}/setup` },
      'no owner account yet: open the dashboard to create it',
    );
  }
  if (setupToken) {
    process.stderr.write(
      `\nNo owner account yet. Setup token (enter it on the setup page; valid until restart):\n  ${setupToken}\nOr create the owner here: snowtorch users create NAME --owner\n\n`,
    );
  }
}

/**
 * The scheduler: periodic incremental syncs, backfills of new connections and webhook jobs,
 * through the PostgreSQL-backed queue (safe with several instances on one database).
 */
function startLiveSync(config: Config, database: OpenDatabase, sync: SyncContext, logger: Logger) {
  const { clientId, clientSecret } = config.oura;
  const webhookApi =
    config.publicUrl && clientId && clientSecret
      ? createWebhookApi({ baseUrl: config.oura.apiBaseUrl, clientId, clientSecret })
      : undefined;
  return startScheduler({
    ctx: sync,
    db: database.db,
    intervalMs: config.sync.intervalMinutes * 60_000,
    logger,
    ...(webhookApi
      ? { renewSubscriptions: () => renewExpiringSubscriptions(database.db, webhookApi) }
      : {}),
  });
}
