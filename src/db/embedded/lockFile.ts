import { open, readFile, rename, rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { EmbeddedDatabaseError } from './errors.ts';

const POLL_MS = 50;
/** Initialising takes a few seconds on a slow machine; starting well under one. */
const WAIT_MS = 120_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Run `fn` holding an exclusive lock file (created with O_EXCL, holding our pid). A lock whose
 * process has died is taken over: it is renamed away first, so two processes that both found
 * it stale cannot both remove a lock a third one has just taken.
 */
export async function withLockFile<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
      const moved = `${path}.stale.${process.pid}`;
      if (
        await rename(path, moved).then(
          () => true,
          () => false,
        )
      ) {
        const content = Number.parseInt(await readFile(moved, 'utf8').catch(() => ''), 10);
        // Another process replaced the stale lock between our read and rename: give it back.
        if (content !== holder) await rename(moved, path).catch(() => {});
        else await rm(moved, { force: true });
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new EmbeddedDatabaseError(
        `the embedded PostgreSQL is being started by process ${holder} for more than ${WAIT_MS / 1000} s (lock ${path})`,
      );
    }
    await delay(POLL_MS);
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
