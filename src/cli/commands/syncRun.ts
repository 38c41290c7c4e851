import { loadConfig } from '../../config/env.ts';
import { listConnections } from '../../db/connections.ts';
import { type OpenDatabase, openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { findUserByName, listUsers, type User } from '../../db/users.ts';
import { createSyncContext, requireSyncConfig } from '../../sync/context.ts';
import { syncUser } from '../../sync/engine.ts';
import { SyncAlreadyRunningError } from '../../sync/errors.ts';
import type { SyncRunSummary } from '../../sync/types.ts';
import { cliLogger } from '../logger.ts';
import { createProgressDisplay, formatRunSummary } from '../progress.ts';
import { UsageError } from '../usage.ts';
import { exitCodeFor, type SyncCommandArgs } from './sync.ts';

/** `snowtorch sync` once its flags are valid; returns the exit code. */
export async function runSync(args: SyncCommandArgs): Promise<number> {
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
    let failedToStart = 0;
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
          failedToStart = 1;
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
    return Math.max(failedToStart, exitCodeFor(summaries.map((s) => s.summary)));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await database.close();
  }
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
