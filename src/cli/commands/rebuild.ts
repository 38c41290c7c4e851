import { loadConfig } from '../../config/env.ts';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { rebuildProjections } from '../../db/rebuild.ts';
import { nameKey } from '../../db/users.ts';
import { parseCommandArgs, UsageError } from '../usage.ts';

const HELP = `Usage: snowtorch rebuild [--user NAME] [--json]

Empties every typed table (sleep_period, daily_*, heart_rate_sample, ...) and derives it again
from the stored raw documents, in one transaction. Needs no Oura access. Use it after an upgrade
that changes a projection, or to check that the typed tables match the raw data.
  --user NAME          only this user's rows (default: every user)
  --json               print the row counts as JSON
Database: DATABASE_URL or SQL_* for PostgreSQL; otherwise the embedded database in
SNOWTORCH_DATA_DIR (default ./data). Stop other Snowtorch processes first when using the embedded
database (only one process can open it).`;

export async function runRebuildCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs('rebuild', argv, {
    help: { type: 'boolean', short: 'h' },
    user: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    const { db } = database;
    await migrateToLatest(db);
    let userId: number | undefined;
    if (values.user !== undefined) {
      const user = await db
        .selectFrom('app_user')
        .select('id')
        .where(nameKey, '=', values.user.trim().toLowerCase())
        .executeTakeFirst();
      if (!user) throw new UsageError(`rebuild: there is no user named "${values.user}"`);
      userId = user.id;
    }
    const started = Date.now();
    const counts = await rebuildProjections(db, userId === undefined ? {} : { userId });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(counts)}\n`);
      return;
    }
    const width = Math.max(...Object.keys(counts).map((t) => t.length));
    const lines = Object.entries(counts).map(
      ([table, n]) => `  ${table.padEnd(width)}  ${n.toLocaleString('en-US').padStart(10)}`,
    );
    const who = values.user === undefined ? 'all users' : `user "${values.user}"`;
    process.stdout.write(
      `Rebuilt typed tables for ${who} in ${((Date.now() - started) / 1000).toFixed(1)} s:\n${lines.join('\n')}\n`,
    );
    if (counts.invalid) {
      process.stdout.write(
        `${counts.invalid} stored document(s) could not be projected; see \`snowtorch status\`.\n`,
      );
    }
  } finally {
    await database.close();
  }
}
