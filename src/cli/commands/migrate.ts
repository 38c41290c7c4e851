import { loadConfig } from '../../config/env.ts';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { parseCommandArgs } from '../usage.ts';

const HELP = `Usage: snowtorch migrate [--json]

Applies pending database migrations (serve and sync also do this at start-up, under the same
lock, so running it by hand is optional). Safe to run while other Snowtorch processes start.
  --json               print {"applied": [...]} instead of text
Database: DATABASE_URL or SQL_HOST/SQL_PORT/SQL_USER/SQL_PASSWORD/SQL_DATABASE/SQL_SSLMODE for
PostgreSQL; otherwise the embedded database in SNOWTORCH_DATA_DIR (default ./data).`;

export async function runMigrateCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs('migrate', argv, {
    help: { type: 'boolean', short: 'h' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    const { applied } = await migrateToLatest(database.db);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ applied })}\n`);
    } else if (applied.length === 0) {
      process.stdout.write('Database schema is up to date; nothing to apply.\n');
    } else {
      process.stdout.write(
        `Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}:\n${applied.map((n) => `  ${n}\n`).join('')}`,
      );
    }
  } finally {
    await database.close();
  }
}
