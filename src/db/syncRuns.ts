import { sql } from 'kysely';
import type { Db } from './database.ts';

/** One `sync_run` row as the application reads it. */
export interface SyncRunRow {
  id: number;
  userId: number;
  startedAt: Date;
  finishedAt: Date | null;
  status: string;
  trigger: string;
  counts: Record<string, Record<string, number>>;
  errors: { dataType: string; docId?: string; code: string; message: string }[];
}

export async function insertRun(
  db: Db,
  args: { userId: number; trigger: string; startedAt: Date },
): Promise<number> {
  const row = await db
    .insertInto('sync_run')
    .values({
      user_id: args.userId,
      started_at: args.startedAt,
      status: 'running',
      trigger: args.trigger,
      counts: '{}',
      errors: '[]',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Record a run's outcome (also used mid-run to save counts so far). */
export async function updateRun(
  db: Db,
  args: {
    runId: number;
    status: string;
    counts: Record<string, object>;
    errors: readonly object[];
    finishedAt: Date | null;
  },
): Promise<void> {
  await db
    .updateTable('sync_run')
    .set({
      status: args.status,
      counts: JSON.stringify(args.counts),
      errors: JSON.stringify(args.errors),
      finished_at: args.finishedAt,
    })
    .where('id', '=', args.runId)
    .execute();
}

/**
 * Runs of this user still marked 'running' belong to a process that died (the caller holds the
 * user's sync lock, so no live run exists): mark them 'interrupted'.
 */
export async function markStaleRunsInterrupted(
  db: Db,
  args: { userId: number; at: Date },
): Promise<number> {
  const res = await db
    .updateTable('sync_run')
    .set({ status: 'interrupted', finished_at: args.at })
    .where('user_id', '=', args.userId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

function toRow(r: {
  id: number;
  user_id: number;
  started_at: Date;
  finished_at: Date | null;
  status: string;
  trigger: string;
  counts: Record<string, Record<string, number>>;
  errors: { dataType: string; docId?: string; code: string; message: string }[];
}): SyncRunRow {
  return {
    id: r.id,
    userId: r.user_id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    trigger: r.trigger,
    counts: r.counts,
    errors: r.errors,
  };
}

export async function getRun(db: Db, runId: number): Promise<SyncRunRow | undefined> {
  const r = await db.selectFrom('sync_run').selectAll().where('id', '=', runId).executeTakeFirst();
  return r ? toRow(r) : undefined;
}

/** The most recent runs of a user, newest first. */
export async function listRuns(
  db: Db,
  args: { userId: number; limit?: number },
): Promise<SyncRunRow[]> {
  const rows = await db
    .selectFrom('sync_run')
    .selectAll()
    .where('user_id', '=', args.userId)
    .orderBy('id', 'desc')
    .limit(args.limit ?? 10)
    .execute();
  return rows.map(toRow);
}

/** Keep documents that failed validation verbatim, so nothing Oura sent is lost. */
export async function insertErrorDocuments(
  db: Db,
  args: {
    userId: number;
    dataType: string;
    documents: readonly { docId: string | null; document: unknown; message: string }[];
    seenAt: Date;
  },
): Promise<void> {
  if (args.documents.length === 0) return;
  // The same bad document re-fetched by a later run replaces its earlier record.
  await clearErrorDocuments(db, {
    userId: args.userId,
    dataType: args.dataType,
    docIds: args.documents.flatMap((d) => (d.docId === null ? [] : [d.docId])),
  });
  await db
    .insertInto('sync_error_document')
    .values(
      args.documents.map((d) => ({
        user_id: args.userId,
        data_type: args.dataType,
        doc_id: d.docId,
        // A non-object (e.g. a bare string) is wrapped so the column stays a JSON object.
        document: JSON.stringify(
          d.document !== null && typeof d.document === 'object'
            ? d.document
            : { value: d.document },
        ),
        message: d.message,
        seen_at: args.seenAt,
      })),
    )
    .execute();
}

/** Forget recorded failures of documents that have since arrived valid. */
export async function clearErrorDocuments(
  db: Db,
  args: { userId: number; dataType: string; docIds: readonly string[] },
): Promise<number> {
  if (args.docIds.length === 0) return 0;
  const res = await db
    .deleteFrom('sync_error_document')
    .where('user_id', '=', args.userId)
    .where('data_type', '=', args.dataType)
    .where('doc_id', 'in', [...args.docIds])
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Count of kept invalid documents per data type for a user. */
export async function countErrorDocuments(db: Db, userId: number): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('sync_error_document')
    .select(['data_type', sql<number>`count(*)::int`.as('n')])
    .where('user_id', '=', userId)
    .groupBy('data_type')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.data_type, Number(r.n)]));
}
