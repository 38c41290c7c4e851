import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { SyncAlreadyRunningError } from './errors.ts';

/** Advisory-lock namespace ('SNWT'); the second key is the user id. */
const LOCK_CLASS = 0x534e5754;

const LOCK_ATTEMPTS = 12;
const LOCK_RETRY_MS = 250;

const heldInProcess = new WeakMap<Db, Set<number>>();

/**
 * Serialise sync runs of one user. Within a process a set answers at once; a session advisory
 * lock, held on a dedicated connection for the whole run, also excludes other processes; the server drops it when its holder dies, which is what lets the
 * next run mark a dead process's run 'interrupted'.
 */
export async function withUserSyncLock<T>(
  db: Db,
  userId: number,
  fn: () => Promise<T>,
): Promise<T> {
  let held = heldInProcess.get(db);
  if (!held) {
    held = new Set();
    heldInProcess.set(db, held);
  }
  if (held.has(userId)) throw new SyncAlreadyRunningError(userId);
  held.add(userId);
  try {
    return await db.connection().execute(async (conn) => {
      // A holder that was just killed keeps the lock until its backend notices the closed
      // socket, which takes a moment: try for a few seconds before calling it a live run.
      for (let attempt = 0; ; attempt++) {
        const got = await sql<{
          ok: boolean;
        }>`select pg_try_advisory_lock(${LOCK_CLASS}, ${userId}) as ok`.execute(conn);
        if (got.rows[0]?.ok) break;
        if (attempt >= LOCK_ATTEMPTS) throw new SyncAlreadyRunningError(userId);
        await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
      }
      try {
        return await fn();
      } finally {
        await sql`select pg_advisory_unlock(${LOCK_CLASS}, ${userId})`.execute(conn);
      }
    });
  } finally {
    held.delete(userId);
  }
}
