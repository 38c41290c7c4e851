import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../../config/env.ts';
import { openDatabase } from '../../db/database.ts';
import { findUserByName, listUsers } from '../../db/users.ts';
import { exportStream } from '../../export/exportStream.ts';
import { ExportOptionError, parseExportOptions } from '../../export/options.ts';
import { DATA_TYPES } from '../../oura/routes.ts';
import { migrateIfBehind } from '../schema.ts';
import { parseCommandArgs, UsageError } from '../usage.ts';

const HELP = `Usage: snowtorch export --out FILE [--format csv|ndjson] [--types T,...]
                        [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--user NAME]

Writes one person's stored data to FILE ("-" for standard output), streamed in constant memory.
  --format ndjson   (default) the raw documents exactly as Oura sent them, one JSON per line:
                    {dataType, id, day, fetchedAt, document}
  --format csv      the typed tables as a zip: one <type>.csv per data type and a README.md of
                    columns and units
  --types T,...     data types to export (default: all): ${DATA_TYPES.join(', ')}
  --since, --until  first and last day (inclusive; heart rate and battery by UTC day)
  --user NAME       whose data (needed when there is more than one user)
Database: DATABASE_URL or SQL_* for PostgreSQL; otherwise the embedded database in
SNOWTORCH_DATA_DIR (default ./data).`;

export async function runExportCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs('export', argv, {
    help: { type: 'boolean', short: 'h' },
    out: { type: 'string', short: 'o' },
    format: { type: 'string' },
    types: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    user: { type: 'string', short: 'u' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (!values.out) throw new UsageError('export: --out FILE is required ("-" for stdout)');
  let opts: ReturnType<typeof parseExportOptions>;
  try {
    opts = parseExportOptions(values);
  } catch (error) {
    if (error instanceof ExportOptionError) throw new UsageError(`export: ${error.message}`);
    throw error;
  }
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    const { db } = database;
    await migrateIfBehind(db);
    let user: { id: number; name: string } | undefined;
    if (values.user !== undefined) {
      user = await findUserByName(db, values.user);
      if (!user) throw new UsageError(`export: there is no user named "${values.user}"`);
    } else {
      const users = await listUsers(db);
      if (users.length !== 1) {
        throw new UsageError(
          users.length === 0
            ? 'export: there are no users yet'
            : `export: name whose data with --user (${users.map((u) => u.name).join(', ')})`,
        );
      }
      user = users[0];
    }
    if (!user) throw new UsageError('export: no user');
    const { stream } = await exportStream(db, user.id, opts);
    if (values.out === '-') {
      await pipeline(stream, process.stdout);
      return;
    }
    // Written beside the target and renamed at the end: a failed export never leaves a file
    // that looks complete.
    const partial = `${values.out}.partial`;
    try {
      await pipeline(stream, createWriteStream(partial));
      await rename(partial, values.out);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const { size } = await stat(values.out);
    process.stdout.write(
      `Exported ${user.name}'s ${opts.format === 'csv' ? 'typed tables (CSV, zipped)' : 'raw documents (NDJSON)'} to ${values.out} (${size.toLocaleString('en-US')} bytes)\n`,
    );
  } finally {
    await database.close();
  }
}
