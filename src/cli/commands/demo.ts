import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { type Config, decodeKey, loadConfig } from '../../config/env.ts';
import { claimOwnerIfNone } from '../../db/accounts.ts';
import { type OpenDatabase, openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import type { User } from '../../db/users.ts';
import { serveDashboardUntilSignal } from '../../server/serveDashboard.ts';
import { type Simulator, startSimulator } from '../../simulator/index.ts';
import { createSyncContext } from '../../sync/context.ts';
import { syncUser } from '../../sync/engine.ts';
import { getUserStatus, type UserStatus } from '../../sync/status.ts';
import type { SyncRunSummary } from '../../sync/types.ts';
import { cliLogger } from '../logger.ts';
import { createProgressDisplay, formatRunSummary } from '../progress.ts';
import { parseCommandArgs, UsageError } from '../usage.ts';
import { connectUser } from './connect.ts';

export const DEMO_SEED = 42;
export const DEMO_USERS = 3;
export const DEMO_DEFAULT_DAYS = 3 * 365;
/** The simulator's development OAuth client. */
const DEMO_CLIENT_ID = 'snowtorch-dev';
const DEMO_CLIENT_SECRET = 'snowtorch-dev-secret';
const SECRET_FILE = 'demo-secret.key';

const HELP = `Usage: snowtorch demo [--days N] [--latency MS] [--no-serve]

Runs Snowtorch end to end with no Oura account: starts the built-in Oura simulator (seed ${DEMO_SEED},
user "demo" plus two household members, ${DEMO_DEFAULT_DAYS} days of data), connects "demo" through
the real OAuth2 code flow (the simulator approves at once), syncs the whole history into the
database with a progress display, prints what was loaded, then serves the dashboard on
http://SNOWTORCH_HOST:SNOWTORCH_PORT (default http://127.0.0.1:3000) until Ctrl-C. Running it
again resumes or updates (nothing is duplicated).

  --days N       days of generated history (default ${DEMO_DEFAULT_DAYS})
  --latency MS   simulated network latency per request (default 0)
  --no-serve     exit after the sync instead of serving the dashboard

Environment:
  SNOWTORCH_DATA_DIR     where the embedded database lives (default ./data)
  DATABASE_URL / SQL_*   use PostgreSQL instead
  SNOWTORCH_SECRET_KEY   token encryption key; if unset, one is generated and kept in
                         SNOWTORCH_DATA_DIR/${SECRET_FILE} (mode 0600)
OURA_* variables are ignored: the demo always talks to its own simulator on 127.0.0.1.`;

export interface DemoOptions {
  days?: number;
  latencyMs?: number;
  /** Environment to read (default process.env); OURA_* entries are replaced by the simulator's. */
  env?: NodeJS.ProcessEnv;
  /** Where progress and the report go (default stdout). */
  out?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/** A running demo: the pieces a caller (e.g. `serve` after the demo) needs. */
export interface DemoSession {
  config: Config;
  database: OpenDatabase;
  simulator: Simulator;
  user: User;
  summary: SyncRunSummary;
  status: UserStatus;
  /** Stop the simulator and close the database. */
  close(): Promise<void>;
}

/** The demo's token key: SNOWTORCH_SECRET_KEY if set, else one kept in the data dir (0600). */
export async function demoSecretKey(dataDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const configured = env.SNOWTORCH_SECRET_KEY?.trim();
  if (configured) return configured;
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, SECRET_FILE);
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (decodeKey(existing) === undefined) {
      throw new UsageError(`demo: ${file} does not hold a 32-byte key; delete it to start over`);
    }
    if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
    return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32).toString('hex');
  // 'wx': never overwrite a key another demo process just wrote (its tokens depend on it).
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

/** Nights (main sleep periods) stored for the user, and the days they span. */
async function nightsOf(database: OpenDatabase, userId: number) {
  const row = await database.db
    .selectFrom('raw_document')
    .select([
      sql<number>`count(distinct day)::int`.as('nights'),
      sql<string | null>`min(day)`.as('first'),
      sql<string | null>`max(day)`.as('last'),
    ])
    .where('user_id', '=', userId)
    .where('data_type', '=', 'sleep')
    .where('deleted_at', 'is', null)
    .where(sql<boolean>`document->>'type' = 'long_sleep'`)
    .executeTakeFirst();
  return { nights: Number(row?.nights ?? 0), first: row?.first ?? null, last: row?.last ?? null };
}

/**
 * Start the simulator, point the configuration at it, connect "demo" with OAuth and sync.
 * The caller owns the returned session and must close() it.
 */
export async function prepareDemo(opts: DemoOptions = {}): Promise<DemoSession> {
  const env = opts.env ?? process.env;
  const out = opts.out ?? process.stdout;
  const days = opts.days ?? DEMO_DEFAULT_DAYS;
  const dataDir = env.SNOWTORCH_DATA_DIR?.trim() || './data';
  const secretKey = await demoSecretKey(dataDir, env);

  const simulator = await startSimulator({
    seed: DEMO_SEED,
    users: DEMO_USERS,
    days,
    autoApprove: true,
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    ...(opts.latencyMs ? { latencyMs: opts.latencyMs } : {}),
  });
  let database: OpenDatabase | undefined;
  try {
    const demoEnv: NodeJS.ProcessEnv = { ...env, SNOWTORCH_SECRET_KEY: secretKey };
    for (const k of Object.keys(demoEnv)) if (k.startsWith('OURA_')) delete demoEnv[k];
    Object.assign(demoEnv, {
      OURA_API_BASE_URL: simulator.url,
      OURA_AUTHORIZE_URL: `${simulator.url}/oauth/authorize`,
      OURA_CLIENT_ID: DEMO_CLIENT_ID,
      OURA_CLIENT_SECRET: DEMO_CLIENT_SECRET,
    });
    const config = loadConfig(demoEnv);
    database = await openDatabase(config.database);
    const opened = database;
    await migrateToLatest(opened.db);

    out.write(
      `Oura simulator on ${simulator.url} (seed ${DEMO_SEED}, ${simulator.users.length} users, ${days} days)\n` +
        `Database: ${config.database.kind === 'embedded' ? `embedded PostgreSQL in ${config.database.dataDir} (stop it with snowtorch db stop)` : 'PostgreSQL'}\n` +
        'Connecting "demo" with OAuth2 (the simulator approves at once)...\n',
    );
    const connected = await connectUser({
      config,
      db: opened.db,
      userName: 'demo',
      port: 0,
      onAuthorizeUrl: async (url) => {
        const u = new URL(url);
        u.searchParams.set('user', 'demo');
        // Auto-approve answers with a redirect to our callback, which fetch follows.
        const res = await fetch(u, { redirect: 'follow' });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`the simulated consent failed: HTTP ${res.status}`);
      },
    });
    // The demo instance belongs to its demo user: the dashboard then offers its login (by
    // one-time link) rather than "create the owner account" beside a member.
    await claimOwnerIfNone(opened.db, connected.user.id);
    out.write(`Connected (Oura user ${connected.ouraUserId}). Syncing...\n`);

    const logger = cliLogger(config, env);
    const ctx = createSyncContext({ config, database: opened, logger });
    const display = createProgressDisplay({ stream: out, label: 'demo' });
    let summary: SyncRunSummary;
    try {
      summary = await syncUser(ctx, {
        userId: connected.user.id,
        trigger: 'demo',
        onProgress: display.onProgress,
      });
    } finally {
      display.finish();
    }
    const status = await getUserStatus(opened.db, connected.user);
    return {
      config,
      database: opened,
      simulator,
      user: connected.user,
      summary,
      status,
      async close() {
        await opened.close();
        await simulator.close();
      },
    };
  } catch (error) {
    await database?.close();
    await simulator.close();
    throw error;
  }
}

/** What the demo loaded, for people: per type counts, date range, nights. */
export async function formatDemoReport(session: DemoSession): Promise<string> {
  const { summary, status, user } = session;
  const nights = await nightsOf(session.database, user.id);
  const stored = status.types.filter((t) => t.documents > 0);
  const first = stored
    .map((t) => t.oldestDay)
    .filter((d): d is string => d !== null)
    .sort()[0];
  const last = stored
    .map((t) => t.newestDay)
    .filter((d): d is string => d !== null)
    .sort()
    .at(-1);
  const width = Math.max(...stored.map((t) => t.dataType.length), 4);
  return [
    formatRunSummary(summary, user.name),
    '',
    `Stored for "${user.name}": ${first ?? '-'} .. ${last ?? '-'}, ${nights.nights} nights`,
    ...stored.map((t) => {
      const series = t.dataType === 'heartrate' || t.dataType === 'ring_battery_level';
      const range = t.oldestDay ? `  ${t.oldestDay} .. ${t.newestDay ?? ''}` : '';
      return `  ${t.dataType.padEnd(width)}  ${String(t.documents).padStart(6)} ${series ? 'days' : 'docs'}${range}`;
    }),
  ].join('\n');
}

export interface DemoHooks {
  /** Runs after the report, before shutdown (the dashboard can be served from here). */
  afterSync?: (session: DemoSession) => Promise<void>;
}

export async function runDemoCommand(argv: string[], hooks: DemoHooks = {}): Promise<void> {
  const { values } = parseCommandArgs('demo', argv, {
    days: { type: 'string' },
    latency: { type: 'string' },
    'no-serve': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const days = values.days === undefined ? DEMO_DEFAULT_DAYS : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 20 * 365) {
    throw new UsageError(`demo: --days must be a whole number 1-${20 * 365}, got "${values.days}"`);
  }
  const latencyMs = values.latency === undefined ? 0 : Number(values.latency);
  if (!Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > 10_000) {
    throw new UsageError(`demo: --latency must be 0-10000 ms, got "${values.latency}"`);
  }
  const session = await prepareDemo({ days, latencyMs });
  try {
    process.stdout.write(`${await formatDemoReport(session)}\n`);
    if (session.summary.status === 'failed' || session.summary.status === 'interrupted') {
      process.exitCode = 1;
    }
    if (values['no-serve']) {
      process.stdout.write(
        `\nTo log in: snowtorch serve, then open the one-time link from snowtorch users login-link ${session.user.name}\n` +
          '(or run snowtorch demo again: it serves the dashboard and prints a fresh link)\n',
      );
    }
    const serve =
      hooks.afterSync ??
      (values['no-serve'] || process.exitCode
        ? undefined
        : (s: DemoSession) =>
            serveDashboardUntilSignal({
              config: s.config,
              database: s.database,
              userName: s.user.name,
            }));
    await serve?.(session);
  } finally {
    await session.close();
  }
}
