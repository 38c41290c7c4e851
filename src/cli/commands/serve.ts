import { loadConfig } from '../../config/env.ts';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { createApp } from '../../server/app.ts';
import { createLogger } from '../../server/logger.ts';
import { isLoopbackHost } from '../../server/loopback.ts';
import { parseCommandArgs, UsageError } from '../usage.ts';

const HELP = `Usage: snowtorch serve

Serves the dashboard and JSON API.
  SNOWTORCH_HOST          address to bind (default 127.0.0.1)
  SNOWTORCH_PORT          port (default 3000)
  SNOWTORCH_ALLOW_REMOTE  must be "true" to bind anything but loopback (e.g. 0.0.0.0 in a container)
Migrations run first, under a lock. SIGTERM/SIGINT stop accepting, finish requests, close the DB.`;

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
  const app = await createApp({ config, db: database.db, logger });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  const address = await app.listen({ host: config.server.host, port: config.server.port });
  logger.info({ address }, 'Snowtorch is serving');
}
