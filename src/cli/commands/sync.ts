import { DATA_TYPES, type DataType, isDataType } from '../../oura/routes.ts';
import { addDays, isDay, utcDay } from '../../sync/days.ts';
import type { SyncRunSummary } from '../../sync/types.ts';
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
  // The engine, the database drivers and the logger load only once there is work for them.
  const { runSync } = await import('./syncRun.ts');
  process.exitCode = await runSync(args);
}
