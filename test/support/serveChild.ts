/**
 * `snowtorch serve` in a child process, for the connection-loss tests:
 * `node test/support/serveChild.ts` with DATABASE_URL, OURA_* and SNOWTORCH_SECRET_KEY in the
 * environment. The same parts as serve (migrations, the app with its health routes, the
 * scheduler), wired the same way; only the dashboard build is left out and the scheduler's
 * delays are short, so a retry comes within the test's time. Prints `{"url": ...}` once
 * listening; logs go to stdout as JSON lines; SIGTERM stops it the way serve does.
 */
import { loadConfig } from '../../src/config/env.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createApp } from '../../src/server/app.ts';
import { createLogger } from '../../src/server/logger.ts';
import { createSyncContext } from '../../src/sync/context.ts';
import { startScheduler } from '../../src/sync/scheduler.ts';

const config = loadConfig();
const logger = createLogger(config);
const database = await openDatabase(config.database, { poolSize: 6 });
await migrateToLatest(database.db);
const sync = createSyncContext({
  config,
  database,
  logger,
  clientOptions: { retryBaseDelayMs: 20, maxRetries: 4 },
});
const scheduler = startScheduler({
  ctx: sync,
  db: database.db,
  intervalMs: 0,
  tickMs: 0,
  pollMs: 50,
  leaseMs: 1_500,
  retry: { baseDelayMs: 100, maxDelayMs: 1_000 },
  logger,
});
const app = await createApp({ config, db: database.db, logger, sync, webDir: null });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
process.once('SIGTERM', () => {
  app
    .close()
    .then(() => scheduler.stop({ timeoutMs: 2_000 }))
    .then(() => database.close())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exit(1);
      },
    );
});
