import { sql } from 'kysely';
import type { Db } from './database.ts';

/** Id of the user's latest sync run (0 when none): runs above it were started after this call. */
export async function latestRunId(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('sync_run')
    .select((eb) => eb.fn.coalesce(eb.fn.max('id'), sql<number>`0`).as('id'))
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/**
 * The run a process started after `afterRunId` lost the database session that held the user's
 * sync lock: whatever it recorded, it ends 'failed' with the reason in its errors (the job queue
 * retries it). Returns whether a run was marked.
 */
export async function markRunConnectionLost(
  db: Db,
  args: { userId: number; afterRunId: number; message: string },
): Promise<boolean> {
  const error = JSON.stringify([
    { dataType: '*', code: 'database_connection_lost', message: args.message },
  ]);
  const res = await sql`
    UPDATE sync_run
    SET status = 'failed',
        finished_at = coalesce(finished_at, now()),
        errors = errors || ${error}::jsonb
    WHERE id = (SELECT min(id) FROM sync_run
                WHERE user_id = ${args.userId} AND id > ${args.afterRunId})`.execute(db);
  return Number(res.numAffectedRows ?? 0n) > 0;
}
