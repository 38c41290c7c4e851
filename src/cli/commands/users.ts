import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createLoginLink } from '../../accounts/links.ts';
import { checkUserName, hashPassword, WeakPasswordError } from '../../accounts/secrets.ts';
import { type Config, loadConfig } from '../../config/env.ts';
import {
  AccountExistsError,
  createAccount,
  deleteAccount,
  hasOwner,
  listAccounts,
  setPasswordHash,
} from '../../db/accounts.ts';
import { recordAudit } from '../../db/auditLog.ts';
import { listConnections } from '../../db/connections.ts';
import { openDatabase } from '../../db/database.ts';
import { deleteUserSessions } from '../../db/sessions.ts';
import { findUserByName } from '../../db/users.ts';
import { migrateIfBehind } from '../schema.ts';
import { UsageError } from '../usage.ts';

const HELP = `Usage: snowtorch users <list|create|reset-password|delete|login-link> [NAME] [options]

Manages the dashboard's accounts. There are no default passwords: set one here, or hand out a
one-time login link.

  list                       every account, its role, whether it has a password, Oura state
  create NAME [--owner]      a new account; asks for its password (or reads it from stdin)
  reset-password NAME        sets a new password (asked, or read from stdin) and logs the
                             user out everywhere; also gives accounts made by connect/demo one
  delete NAME --yes          deletes the account with its Oura tokens and ALL its data
  login-link NAME            prints a one-time login URL (valid 15 minutes, single use)

  --json                     (list) machine-readable output
  --url URL                  (login-link) base URL of the dashboard (default: SNOWTORCH_PUBLIC_URL,
                             else http://SNOWTORCH_HOST:SNOWTORCH_PORT)

Environment: DATABASE_URL or SQL_* (PostgreSQL), else the embedded database in SNOWTORCH_DATA_DIR.`;

/** The dashboard's own address for links printed in the terminal. */
export function dashboardBaseUrl(config: Config): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${config.server.port}`;
}

async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      // Echo nothing while the password is typed.
      const out = rl as unknown as { _writeToOutput: (s: string) => void };
      rl.question(question, (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
      out._writeToOutput = () => {};
    });
  process.stderr.write(prompt);
  const first = await ask('');
  process.stderr.write('Repeat it: ');
  const second = await ask('');
  if (first !== second) throw new UsageError('users: the two passwords differ');
  return first;
}

async function newHash(name: string): Promise<string> {
  const password = await readPassword(`New password for "${name}" (at least 10 characters): `);
  try {
    return await hashPassword(password);
  } catch (error) {
    if (error instanceof WeakPasswordError) throw new UsageError(`users: ${error.message}`);
    throw error;
  }
}

export async function runUsersCommand(argv: string[]): Promise<void> {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: {
        owner: { type: 'boolean' };
        yes: { type: 'boolean' };
        json: { type: 'boolean' };
        url: { type: 'string' };
        help: { type: 'boolean'; short: 'h' };
      };
      allowPositionals: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        owner: { type: 'boolean' },
        yes: { type: 'boolean' },
        json: { type: 'boolean' },
        url: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`users: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { values, positionals } = parsed;
  const [action, name] = positionals;
  if (values.help || !action) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const actions = ['list', 'create', 'reset-password', 'delete', 'login-link'];
  if (!actions.includes(action)) {
    throw new UsageError(`users: unknown action "${action}" (one of ${actions.join(', ')})`);
  }
  if (action !== 'list' && !name) throw new UsageError(`users ${action}: NAME is required`);

  const config = loadConfig();
  const database = await openDatabase(config.database);
  const db = database.db;
  try {
    await migrateIfBehind(db);
    if (action === 'list') {
      const [accounts, connections] = await Promise.all([listAccounts(db), listConnections(db)]);
      const conn = new Map(connections.map((c) => [c.userId, c.status]));
      const rows = accounts.map((a) => ({
        name: a.name,
        role: a.role,
        password: a.hasPassword,
        oura: conn.get(a.id) ?? 'none',
        createdAt: a.createdAt.toISOString(),
      }));
      if (values.json) {
        process.stdout.write(`${JSON.stringify(rows)}\n`);
        return;
      }
      if (rows.length === 0) {
        process.stdout.write('No accounts yet: open the dashboard to create the owner.\n');
        return;
      }
      const width = Math.max(4, ...rows.map((r) => r.name.length));
      process.stdout.write(`${'name'.padEnd(width)}  role    password  oura\n`);
      for (const r of rows) {
        process.stdout.write(
          `${r.name.padEnd(width)}  ${r.role.padEnd(6)}  ${(r.password ? 'set' : 'none').padEnd(8)}  ${r.oura}\n`,
        );
      }
      return;
    }
    const userName = (name ?? '').trim();
    if (action === 'create') {
      const problem = checkUserName(userName);
      if (problem) throw new UsageError(`users create: ${problem}`);
      if (values.owner && (await hasOwner(db))) {
        throw new UsageError('users create: there is already an owner');
      }
      const passwordHash = await newHash(userName);
      try {
        const account = await createAccount(db, {
          name: userName,
          passwordHash,
          role: values.owner ? 'owner' : 'member',
        });
        await recordAudit(db, { event: 'member_created', actorName: 'cli', subject: account.name });
        process.stdout.write(`Created ${account.role} "${account.name}".\n`);
      } catch (error) {
        if (error instanceof AccountExistsError)
          throw new UsageError(`users create: ${error.message}`);
        throw error;
      }
      return;
    }
    const user = await findUserByName(db, userName);
    if (!user) throw new UsageError(`users ${action}: no user named "${userName}"`);
    if (action === 'reset-password') {
      await setPasswordHash(db, user.id, await newHash(user.name));
      await deleteUserSessions(db, user.id);
      await recordAudit(db, { event: 'password_reset', actorName: 'cli', subject: user.name });
      process.stdout.write(`New password set for "${user.name}"; their sessions were ended.\n`);
    } else if (action === 'delete') {
      if (!values.yes) {
        throw new UsageError(
          `users delete: this deletes "${user.name}" with their Oura tokens and all their data; add --yes`,
        );
      }
      await deleteAccount(db, user.id);
      await recordAudit(db, { event: 'member_removed', actorName: 'cli', subject: user.name });
      process.stdout.write(`Deleted "${user.name}" and all their data.\n`);
    } else {
      const link = await createLoginLink(db, user.id, values.url ?? dashboardBaseUrl(config));
      await recordAudit(db, { event: 'login_link_created', actorName: 'cli', subject: user.name });
      process.stdout.write(
        `One-time login link for "${user.name}" (valid 15 minutes, works once):\n\n  ${link.url}\n`,
      );
    }
  } finally {
    await database.close();
  }
}
