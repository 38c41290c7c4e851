import { sql } from 'kysely';
import type { Db } from './database.ts';

/** Per user and data type: how far the stored history is known to be complete. */
export interface SyncStateRow {
  userId: number;
  dataType: string;
  /** Oldest day the history reaches back to (set by the first run, moved back by `--since`). */
  backfillFrom: string | null;
  /** Every day before this one has been fetched and committed. */
  completeUntil: string | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
}

export async function getSyncStates(db: Db, userId: number): Promise<SyncStateRow[]> {
  const rows = await db
    .selectFrom('sync_state')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('data_type')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    dataType: r.data_type,
    backfillFrom: r.backfill_from,
    completeUntil: r.complete_until,
    lastSuccessAt: r.last_success_at,
    lastError: r.last_error,
  }));
}

/**
 * Create the row if missing; an earlier `backfillFrom` moves the start back (a later one never
 * shortens the history already promised).
 */
export async function ensureSyncState(
  db: Db,
  args: { userId: number; dataType: string; backfillFrom: string | null },
): Promise<void> {
  await db
    .insertInto('sync_state')
    .values({
      user_id: args.userId,
      data_type: args.dataType,
      backfill_from: args.backfillFrom,
      complete_until: null,
      last_success_at: null,
      last_error: null,
    })
    .onConflict((oc) =>
      oc.columns(['user_id', 'data_type']).doUpdateSet({
        backfill_from: sql<string | null>`case
          when sync_state.backfill_from is null then excluded.backfill_from
          when excluded.backfill_from is null then sync_state.backfill_from
          else least(sync_state.backfill_from, excluded.backfill_from) end`,
      }),
    )
    .execute();
}

/**
 * Move `complete_until` to the end of a just-stored window, forward only, and only when the
 * window joins the complete prefix (it starts at or before `complete_until`, or at the history
 * start on a first run): a `--since` range after a gap must not claim the gap. Called in the
 * transaction that stores the window, so the cursor and the documents it vouches for commit
 * together.
 */
export async function advanceCompleteUntil(
  db: Db,
  args: { userId: number; dataType: string; windowFrom: string; completeUntil: string },
): Promise<void> {
  const until = sql<string>`${args.completeUntil}::date`;
  const windowFrom = sql<string>`${args.windowFrom}::date`;
  await db
    .updateTable('sync_state')
    .set({ complete_until: sql<string>`greatest(coalesce(complete_until, ${until}), ${until})` })
    .where('user_id', '=', args.userId)
    .where('data_type', '=', args.dataType)
    .where((eb) =>
      eb.or([
        eb('complete_until', '>=', windowFrom),
        eb.and([
          eb('complete_until', 'is', null),
          eb.or([eb('backfill_from', 'is', null), eb('backfill_from', '>=', windowFrom)]),
        ]),
      ]),
    )
    .execute();
}

/** Record how the type's last attempt ended: success clears the error. */
export async function recordTypeOutcome(
  db: Db,
  args: { userId: number; dataType: string; at: Date; error: string | null },
): Promise<void> {
  await db
    .updateTable('sync_state')
    .set(
      args.error === null
        ? { last_success_at: args.at, last_error: null }
        : { last_error: args.error },
    )
    .where('user_id', '=', args.userId)
    .where('data_type', '=', args.dataType)
    .execute();
}
