import { loadConfig } from '../../config/env.ts';
import {
  embeddedServerStatus,
  startEmbeddedServer,
  stopEmbeddedServer,
} from '../../db/embedded/server.ts';
import { parseCommandArgs, UsageError } from '../usage.ts';

const HELP = `Usage: snowtorch db status|start|stop [--json]

The embedded PostgreSQL in SNOWTORCH_DATA_DIR (default ./data), used when neither DATABASE_URL
nor SQL_* is set. The first Snowtorch command that needs it starts it; it then keeps running,
shared by every Snowtorch process on that directory (serve in one terminal, sync or users
login-link in another), until you stop it.
  status   whether it is initialised and running (exit 3 when not running)
  start    start it now (otherwise the next command does)
  stop     fast shutdown: open sessions end, committed data is kept
  --json   machine-readable output`;

export async function runDbCommand(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  const { values } = parseCommandArgs('db', rest, {
    help: { type: 'boolean', short: 'h' },
    json: { type: 'boolean' },
  });
  if (values.help || action === '--help' || action === '-h' || action === undefined) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const config = loadConfig();
  if (config.database.kind !== 'embedded') {
    throw new UsageError(
      'db: DATABASE_URL or SQL_* is set, so Snowtorch uses that PostgreSQL and runs none of its own',
    );
  }
  const { dataDir } = config.database;
  const print = (text: string, json: object) =>
    process.stdout.write(values.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
  switch (action) {
    case 'status': {
      const status = await embeddedServerStatus(dataDir);
      const text = !status.initialised
        ? `No embedded database in ${status.dataDir} yet (the first command creates it).`
        : status.running
          ? `Embedded PostgreSQL running (pid ${status.pid}), socket in ${status.socketDir}.`
          : `Embedded PostgreSQL in ${status.dataDir} is stopped.`;
      print(text, status);
      if (!status.running) process.exitCode = 3;
      return;
    }
    case 'start': {
      const connection = await startEmbeddedServer(dataDir);
      const status = await embeddedServerStatus(dataDir);
      print(
        `Embedded PostgreSQL running (pid ${status.pid}), socket in ${connection.host}.`,
        status,
      );
      return;
    }
    case 'stop': {
      const stopped = await stopEmbeddedServer(dataDir);
      print(stopped ? 'Embedded PostgreSQL stopped.' : 'Embedded PostgreSQL was not running.', {
        stopped,
      });
      return;
    }
    default:
      throw new UsageError(`db: unknown action "${action}" (status, start or stop)`);
  }
}
