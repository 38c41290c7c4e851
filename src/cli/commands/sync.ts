import pino, { type Logger } from 'pino';
import { type Config, loadConfig } from '../../config/env.ts';
import { listConnections } from '../../db/connections.ts';
import { type OpenDatabase, openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { findUserByName, listUsers, type User } from '../../db/users.ts';
import { DATA_TYPES, type DataType, isDataType } from '../../oura/routes.ts';
import { createSyncContext, requireSyncConfig } from '../../sync/context.ts';
import { addDays, isDay, utcDay } from '../../sync/days.ts';
import { syncUser } from '../../sync/engine.ts';
import { SyncAlreadyRunningError } from '../../sync/errors.ts';
import type { SyncRunSummary } from '../../sync/types.ts';
import { createProgressDisplay, formatRunSummary } from '../progress.ts';
import { parseCommandArgs, UsageError } from '../usage.ts';

const HELP = `Usage: snowtorch sync [--user NAME] [--since YYYY-MM-DD] [--types a,b] [--json]

Fetches new and changed Oura data into the database. A user's first sync backfills the whole
history (from the ring's set-up date); later syncs continue where the last one stopped,
re-fetching the last ${7} days (1 for heart rate) to pick up revisions and deletions.
A sync that is interrupted (Ctrl-C, crash) resumes on the next run.

  --user NAME      sync only this user (default: every connected user)
  --since DAY      (re-)fetch from this day, YYYY-MM-DD (default: where the last sync stopped)
  --types a,b      only these data types (default: all):
                   ${DATA_TYPES.join(', ')}
  --json           print the run summaries as JSON on stdout (progress goes to stderr)

Environment:
  DATABASE_URL or SQL_*         PostgreSQL (default: embedded database in SNOWTORCH_DATA_DIR)
  SNOWTORCH_SECRET_KEY          decrypts the stored Oura tokens
  OURA_CLIENT_ID, OURA_CLIENT_SECRET   your Oura app (to refresh tokens)
  OURA_API_BASE_URL             Oura API (default https://api.ouraring.com)
  OURA_REQUESTS_PER_5_MINUTES   request budget per token (default 5000, Oura's limit)

Exit status: 0 every run succeeded; 1 a run failed or was interrupted; 3 a run stored what it
could but recorded errors (see snowtorch status).`;

export interface SyncCommandArgs {
  help: boolean;
  user?: string;
  since?: string;
  types?: DataType[];
  json: boolean;
}

/** Validate the flags (pure: throws UsageError with the valid values). */
export function parseSyncArgs(argv: string[], today: string = utcDay(new Date())): SyncCommandArgs {
  const { values } = parseCommandArgs('sync', argv, {
    user: { type: 'string', short: 'u' },
    since: { type: 'string' },
    types: { type: 'string', short: 't' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const out: SyncCommandArgs = { help: values.help === true, json: values.json === true };
  if (out.help) return out;
  if (values.user !== undefined) {
    const name = values.user.trim();
    if (!name) throw new UsageError('sync: --user needs a name');
    out.user = name;
  }
  if (values.since !== undefined) {
    const since = values.since.trim();
    if (!isDay(since)) {
      throw new UsageError(`sync: --since must be a date YYYY-MM-DD, got "${values.since}"`);
    }
    if (since > addDays(today, 1)) {
      throw new UsageError(`sync: --since ${since} is in the future (today is ${today})`);
    }
    out.since = since;
  }
  if (values.types !== undefined) {
    const names = values.types
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    // Oura's URL spells it vO2_max; accept that too.
    const normalised = names.map((n) => (n === 'vO2_max' ? 'vo2_max' : n));
    const unknown = normalised.filter((n) => !isDataType(n));
    if (unknown.length || normalised.length === 0) {
      throw new UsageError(
        `sync: unknown data type${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => `"${u}"`).join(', ') || '(none given)'}; valid types: ${DATA_TYPES.join(', ')}`,
      );
    }
    out.types = [...new Set(normalised as DataType[])];
  }
  return out;
}

/**
 * Logs on stderr, so stdout stays the display (or JSON). Only errors unless LOG_LEVEL asks for
 * more: retries and per-type failures already show in the progress display and the summary.
 */
export function cliLogger(
  config: Pick<Config, 'logLevel'>,
  env: NodeJS.ProcessEnv = process.env,
): Logger {
  const level = env.LOG_LEVEL?.trim() ? config.logLevel : 'error';
  return pino(
    {
      level,
      redact: { paths: ['*.access_token', '*.refresh_token'], censor: '[redacted]' },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** Users to sync: the named one, or everyone with an Oura connection. */
async function selectUsers(database: OpenDatabase, name: string | undefined): Promise<User[]> {
  const db = database.db;
  if (name !== undefined) {
    const user = await findUserByName(db, name);
    if (!user) {
      const known = (await listUsers(db)).map((u) => u.name);
      throw new UsageError(
        `sync: no user named "${name}"${known.length ? ` (users: ${known.join(', ')})` : ''}; connect one with: snowtorch connect --user ${name}`,
      );
    }
    return [user];
  }
  const connected = new Set((await listConnections(db)).map((c) => c.userId));
  return (await listUsers(db)).filter((u) => connected.has(u.id));
}

export function exitCodeFor(summaries: readonly Pick<SyncRunSummary, 'status'>[]): number {
  if (summaries.some((s) => s.status === 'failed' || s.status === 'interrupted')) return 1;
  if (summaries.some((s) => s.status === 'partial')) return 3;
  return 0;
}

export async function runSyncCommand(argv: string[]): Promise<void> {
  const args = parseSyncArgs(argv);
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const config = loadConfig();
  // Missing credentials are reported before anything is opened.
  requireSyncConfig(config);
  const logger = cliLogger(config);
  const database = await openDatabase(config.database);
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write('\nStopping after the current requests (Ctrl-C again to quit now)...\n');
    stop.abort(new Error('interrupted by the user'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await migrateToLatest(database.db);
    const ctx = createSyncContext({ config, database, logger });
    const users = await selectUsers(database, args.user);
    if (users.length === 0) {
      throw new UsageError(
        'sync: no user has connected Oura yet; run: snowtorch connect --user NAME',
      );
    }
    const out = args.json ? process.stderr : process.stdout;
    const summaries: { user: string; summary: SyncRunSummary }[] = [];
    for (const user of users) {
      if (stop.signal.aborted) break;
      if (!args.json) out.write(`Syncing ${user.name}...\n`);
      const display = createProgressDisplay({ stream: out, label: user.name });
      let summary: SyncRunSummary;
      try {
        summary = await syncUser(ctx, {
          userId: user.id,
          trigger: 'cli',
          ...(args.types ? { types: args.types } : {}),
          ...(args.since ? { since: args.since } : {}),
          onProgress: display.onProgress,
          signal: stop.signal,
        });
      } catch (error) {
        if (error instanceof SyncAlreadyRunningError) {
          display.finish();
          process.stderr.write(`snowtorch: ${user.name}: another sync of this user is running\n`);
          process.exitCode = 1;
          continue;
        }
        throw error;
      } finally {
        display.finish();
      }
      summaries.push({ user: user.name, summary });
      if (!args.json) out.write(`${formatRunSummary(summary, user.name)}\n`);
      if (summary.status === 'failed' && summary.message) {
        process.stderr.write(`snowtorch: ${user.name}: ${summary.message}\n`);
      }
    }
    if (args.json) {
      process.stdout.write(
        `${JSON.stringify(
          summaries.map((s) => ({ user: s.user, ...s.summary })),
          null,
          2,
        )}\n`,
      );
    }
    const code = exitCodeFor(summaries.map((s) => s.summary));
    if (code !== 0) process.exitCode = code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await database.close();
  }
}
