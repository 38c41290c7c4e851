import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { latestRunId, markRunConnectionLost } from '../db/lostSyncRuns.ts';
import { SyncAlreadyRunningError, SyncConnectionLostError } from './errors.ts';

/** Advisory-lock namespace ('SNWT'); the second key is the user id. */
const LOCK_CLASS = 0x534e5754;

const LOCK_ATTEMPTS = 12;
const LOCK_RETRY_MS = 250;

const heldInProcess = new WeakMap<Db, Set<number>>();

/**
 * Runs that lost their lock's session while the database was still down, so their failure could
 * not be written then: written by the next run of the same user, once it holds the lock (before
 * the engine would call them 'interrupted').
 */
const unrecordedLosses = new WeakMap<Db, Map<number, { afterRunId: number; message: string }>>();

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Serialise sync runs of one user. Within a process a set answers at once; a session advisory
 * lock, held on a dedicated connection for the whole run, also excludes other processes; the
 * server drops it when its holder dies, which is what lets the next run mark a dead process's run 'interrupted'.
 *
 * If that session ends during the run (the server restarted, the backend was terminated), the
 * lock went with it: the run is marked failed with the reason and SyncConnectionLostError is
 * thrown, whatever the run itself concluded, so the job queue retries it.
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
      // The session sits idle while the run works on other connections: a server-wide
      // idle_session_timeout (PostgreSQL 14+) must not end it, and the lock with it.
      await sql`select set_config('idle_session_timeout', '0', false)
                from pg_settings where name = 'idle_session_timeout'`.execute(conn);
      await recordEarlierLoss(db, conn, userId);
      const afterRunId = await latestRunId(conn, userId);

      let outcome: { ok: true; value: T } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, value: await fn() };
      } catch (error) {
        outcome = { ok: false, error };
      }
      try {
        await sql`select pg_advisory_unlock(${LOCK_CLASS}, ${userId})`.execute(conn);
        await sql`select set_config(name, reset_val, false)
                  from pg_settings where name = 'idle_session_timeout'`.execute(conn);
      } catch (lost) {
        const message = `the sync lost its database connection part-way (${messageOf(lost)}); the next run completes it`;
        try {
          await markRunConnectionLost(db, { userId, afterRunId, message });
        } catch {
          pendingLosses(db).set(userId, { afterRunId, message });
        }
        throw new SyncConnectionLostError(userId, message, {
          cause: outcome.ok ? lost : outcome.error,
        });
      }
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    });
  } finally {
    held.delete(userId);
  }
}

function pendingLosses(db: Db) {
  let pending = unrecordedLosses.get(db);
  if (!pending) {
    pending = new Map();
    unrecordedLosses.set(db, pending);
  }
  return pending;
}

async function recordEarlierLoss(db: Db, conn: Db, userId: number): Promise<void> {
  const pending = unrecordedLosses.get(db);
  const loss = pending?.get(userId);
  if (!loss) return;
  await markRunConnectionLost(conn, { userId, ...loss });
  pending?.delete(userId);
}
