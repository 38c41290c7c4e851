import { loadDatabaseConfig } from '../../config/database.ts';
import { openDatabase } from '../../db/database.ts';
import { findUserByName } from '../../db/users.ts';
import {
  getSyncStatus,
  getUserStatus,
  type SampleSpan,
  type UserStatus,
} from '../../sync/status.ts';
import { migrateIfBehind } from '../schema.ts';
import { parseCommandArgs, UsageError } from '../usage.ts';

const HELP = `Usage: snowtorch status [--user NAME] [--json]

Shows, per user and data type, what is stored (documents, newest day), how far the history is
complete, the last sync run (time, status, errors) and the Oura connection (active, or
reconnect_needed: run snowtorch connect again).

  --user NAME   only this user
  --json        machine-readable output

Environment: DATABASE_URL or SQL_* (PostgreSQL), else the embedded database in SNOWTORCH_DATA_DIR.`;

const time = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-');

/** "540 (2026-11-26 04:00 to 2026-11-28 03:55 UTC)": a series is its samples, not its day documents. */
function samplesText(s: SampleSpan): string {
  if (s.count === 0) return '0';
  return `${s.count.toLocaleString('en-US')} (${time(s.first)} to ${time(s.last)} UTC)`;
}

export function formatUserStatus(u: UserStatus): string {
  const conn = u.connection;
  const lines = [
    `${u.name} (connection: ${conn.status}${conn.ouraUserId ? `, Oura user ${conn.ouraUserId}` : ''})`,
  ];
  if (conn.status === 'reconnect_needed') {
    lines.push(`  Oura access was revoked or expired: run snowtorch connect --user ${u.name}`);
  }
  const run = u.lastRun;
  lines.push(
    run
      ? `  last run: ${time(run.startedAt)} UTC ${run.status} (${run.trigger}), ${run.errors.length} error(s)`
      : '  last run: never',
  );
  const header = [
    'type',
    'docs',
    'deleted',
    'samples',
    'oldest',
    'newest',
    'complete until',
    'errors',
  ];
  const rows = u.types
    .filter((t) => t.documents > 0 || t.completeUntil !== null || t.lastError || t.deleted > 0)
    .map((t) => [
      t.dataType,
      String(t.documents),
      String(t.deleted),
      t.samples ? samplesText(t.samples) : '-',
      t.oldestDay ?? '-',
      t.newestDay ?? '-',
      t.completeUntil ?? '-',
      [t.invalidDocuments ? `${t.invalidDocuments} invalid document(s)` : '', t.lastError ?? '']
        .filter(Boolean)
        .join('; ') || '-',
    ]);
  if (rows.length === 0) {
    lines.push('  nothing stored yet: run snowtorch sync');
    return lines.join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    `  ${r
      .map((v, i) => (i === 1 || i === 2 ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()}`;
  lines.push(fmt(header), ...rows.map(fmt));
  if (run?.errors.length) {
    lines.push('  last run errors:');
    for (const e of run.errors.slice(0, 5)) {
      lines.push(`    ${e.dataType}${e.docId ? ` ${e.docId}` : ''}: ${e.code}: ${e.message}`);
    }
    if (run.errors.length > 5) lines.push(`    ... ${run.errors.length - 5} more`);
  }
  return lines.join('\n');
}

export async function runStatusCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs('status', argv, {
    user: { type: 'string', short: 'u' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  // Only the database's variables: the rest of the configuration (and zod) is not needed here.
  const database = await openDatabase(loadDatabaseConfig());
  try {
    await migrateIfBehind(database.db);
    let statuses: UserStatus[];
    if (values.user !== undefined) {
      const user = await findUserByName(database.db, values.user);
      if (!user) throw new UsageError(`status: no user named "${values.user}"`);
      statuses = [await getUserStatus(database.db, user)];
    } else {
      statuses = await getSyncStatus(database.db);
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
      return;
    }
    if (statuses.length === 0) {
      process.stdout.write('No users yet: connect one with snowtorch connect --user NAME\n');
      return;
    }
    process.stdout.write(`${statuses.map(formatUserStatus).join('\n\n')}\n`);
  } finally {
    await database.close();
  }
}
