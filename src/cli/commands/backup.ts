import { stat } from 'node:fs/promises';
import { loadConfig } from '../../config/env.ts';
import { backupDatabase } from '../../db/backup/backup.ts';
import type { BackupManifest } from '../../db/backup/manifest.ts';
import { BackupError } from '../../db/backup/manifest.ts';
import { restoreDatabase } from '../../db/backup/restore.ts';
import { openDatabase } from '../../db/database.ts';
import { parseCommandArgs, UsageError } from '../usage.ts';

const DATABASE_HELP = `Database: DATABASE_URL or SQL_* for PostgreSQL; otherwise the embedded database in
SNOWTORCH_DATA_DIR (default ./data).`;

const BACKUP_HELP = `Usage: snowtorch backup FILE [--json]

Writes the whole database (accounts, encrypted Oura tokens, raw documents, typed tables, sync
history) to FILE while Snowtorch keeps running: one consistent snapshot, every table through
COPY into a zip with a manifest.json of the schema version and each table's row count and
sha256. Needs no pg_dump and works on any PostgreSQL Snowtorch runs on. The Oura tokens stay
encrypted: keep SNOWTORCH_SECRET_KEY with the backup (but not in the same place).
  --json   print the manifest
${DATABASE_HELP}`;

const RESTORE_HELP = `Usage: snowtorch restore FILE [--json]

Restores a backup made by snowtorch backup into an EMPTY database (a new data directory, or a
new PostgreSQL database): migrates it to the backup's schema version, copies every table in one
transaction, checks each table's row count and sha256 against the manifest, and commits only if
all match. Refuses a database that already holds rows.
  --json   print the manifest of what was restored
${DATABASE_HELP}`;

function positionalFile(command: string, argv: string[]): { file: string; rest: string[] } {
  const file = argv.find((a) => !a.startsWith('-'));
  if (!file) throw new UsageError(`${command}: name the archive: snowtorch ${command} FILE`);
  return { file, rest: argv.filter((a) => a !== file) };
}

function summary(verb: string, file: string, m: BackupManifest, bytes?: number): string {
  const rows = m.tables.reduce((n, t) => n + t.rows, 0);
  const width = Math.max(...m.tables.map((t) => t.name.length));
  const lines = m.tables
    .filter((t) => t.rows > 0)
    .map((t) => `  ${t.name.padEnd(width)}  ${t.rows.toLocaleString('en-US').padStart(10)}`);
  const size = bytes === undefined ? '' : `, ${bytes.toLocaleString('en-US')} bytes`;
  return `${verb} ${file} (schema ${m.migration}, ${m.tables.length} tables, ${rows.toLocaleString('en-US')} rows${size}):\n${lines.join('\n')}\n`;
}

export async function runBackupCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(
    'backup',
    argv.filter((a) => a.startsWith('-')),
    {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
    },
  );
  if (values.help) {
    process.stdout.write(`${BACKUP_HELP}\n`);
    return;
  }
  const { file } = positionalFile('backup', argv);
  const database = await openDatabase(loadConfig().database);
  try {
    const manifest = await backupDatabase(database, file);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
      return;
    }
    process.stdout.write(summary('Backed up to', file, manifest, (await stat(file)).size));
  } catch (error) {
    if (error instanceof BackupError) throw new UsageError(`backup: ${error.message}`);
    throw error;
  } finally {
    await database.close();
  }
}

export async function runRestoreCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(
    'restore',
    argv.filter((a) => a.startsWith('-')),
    {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
    },
  );
  if (values.help) {
    process.stdout.write(`${RESTORE_HELP}\n`);
    return;
  }
  const { file } = positionalFile('restore', argv);
  await stat(file).catch(() => {
    throw new UsageError(`restore: there is no file ${file}`);
  });
  const database = await openDatabase(loadConfig().database);
  try {
    const { manifest, upgradedWith } = await restoreDatabase(database, file);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
      return;
    }
    process.stdout.write(summary('Restored from', file, manifest));
    if (upgradedWith.length > 0) {
      process.stdout.write(`Then upgraded the schema: ${upgradedWith.join(', ')}\n`);
    }
  } catch (error) {
    if (error instanceof BackupError) throw new UsageError(`restore: ${error.message}`);
    throw error;
  } finally {
    await database.close();
  }
}
