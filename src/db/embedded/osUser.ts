import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EmbeddedDatabaseError } from './errors.ts';

const run = promisify(execFile);

/** Whom the PostgreSQL programs run as: undefined means "as this process". */
export interface ServerOwner {
  readonly uid: number;
  readonly gid: number;
  readonly name: string;
}

const OWNER_NAME = 'postgres';

async function lookup(name: string): Promise<ServerOwner | undefined> {
  try {
    const uid = Number((await run('id', ['-u', name])).stdout.trim());
    const gid = Number((await run('id', ['-g', name])).stdout.trim());
    return { uid, gid, name };
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root. When Snowtorch runs as root (containers, CI, a Pi set up
 * as root) the server runs as the `postgres` system user, created here when missing; otherwise
 * it runs as the invoking user and no other account is involved.
 */
export async function serverOwner(): Promise<ServerOwner | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookup(OWNER_NAME);
  if (existing) return existing;
  const attempts: [string, string[]][] = [
    ['useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', OWNER_NAME]],
    ['adduser', ['-S', '-D', '-H', OWNER_NAME]], // BusyBox (Alpine)
  ];
  for (const [command, args] of attempts) {
    try {
      await run(command, args);
      break;
    } catch {
      // Another process may have created it meanwhile, or this tool is absent: try the next.
    }
  }
  const created = await lookup(OWNER_NAME);
  if (!created) {
    throw new EmbeddedDatabaseError(
      `running as root, the embedded PostgreSQL needs a "${OWNER_NAME}" system user and it could not be created (useradd/adduser failed); create it, or run Snowtorch as an ordinary user`,
    );
  }
  return created;
}
