import { type Selectable, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { SyncJobTable } from '../db/schema.ts';

/**
 * A job queue in the database, shared by every app instance on it.
 *
 * A worker claims one job at a time in a short transaction (`FOR UPDATE SKIP LOCKED`, so
 * workers never wait on each other's rows) and holds it under a lease (`locked_until`) that it
 * renews while the job runs; a worker that dies leaves a lease that simply runs out, and the job
 * is claimed again. Jobs of one user never run at once: a claim skips users that have a running
 * job with a live lease, and a transaction-scoped advisory lock per user makes that check safe
 * when two workers pick jobs of the same user in the same instant.
 */

export const JOB_KINDS = ['sync', 'backfill', 'webhook_fetch', 'webhook_delete'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export type JobStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'superseded';

export interface Job {
  id: number;
  userId: number;
  kind: JobKind;
  payload: Record<string, unknown>;
  runAt: Date;
  /** Claims so far, this one included. */
  attempts: number;
  maxAttempts: number;
  status: JobStatus;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
  dedupeKey: string | null;
  createdAt: Date;
}

export interface EnqueueArgs {
  userId: number;
  kind: JobKind;
  payload?: Record<string, unknown>;
  /** Not before this instant (default: now). */
  runAt?: Date;
  /** Default: one pending job per user for syncs, per document for webhook jobs; null: never merged. */
  dedupeKey?: string | null;
  /** Default 5. */
  maxAttempts?: number;
}

/** Advisory-lock namespace of job claims ('SNWJ'); the second key is the user id. */
const CLAIM_LOCK_CLASS = 0x534e574a;
/** Users passed over in one claim before giving up until the next poll. */
const MAX_SKIPPED_USERS = 20;

const toJob = (r: Selectable<SyncJobTable>): Job => ({
  id: r.id,
  userId: r.user_id,
  kind: r.kind as JobKind,
  payload: r.payload,
  runAt: r.run_at,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  status: r.status as JobStatus,
  lockedBy: r.locked_by,
  lockedUntil: r.locked_until,
  lastError: r.last_error,
  dedupeKey: r.dedupe_key,
  createdAt: r.created_at,
});

/** `now() + ms` in SQL. */
const nowPlus = (ms: number) =>
  sql<Date>`now() + (${ms}::double precision * interval '1 millisecond')`;

export function defaultDedupeKey(args: Pick<EnqueueArgs, 'userId' | 'kind' | 'payload'>): string {
  if (args.kind === 'sync' || args.kind === 'backfill') return `sync:${args.userId}`;
  const p = args.payload ?? {};
  return `${args.kind}:${args.userId}:${String(p.dataType)}:${String(p.objectId)}`;
}

/**
 * Add a job, or merge it into the pending job with the same dedupe key (which then runs no later
 * than this one would have). Returns the job id and whether a new job was created.
 */
export async function enqueueJob(
  db: Db,
  args: EnqueueArgs,
): Promise<{ id: number; created: boolean }> {
  const dedupeKey = args.dedupeKey === undefined ? defaultDedupeKey(args) : args.dedupeKey;
  const runAt = args.runAt ?? new Date();
  const result = await sql<{ id: number; created: boolean }>`
    INSERT INTO sync_job (user_id, kind, payload, run_at, max_attempts, dedupe_key)
    VALUES (${args.userId}, ${args.kind}, ${JSON.stringify(args.payload ?? {})}::jsonb, ${runAt},
            ${args.maxAttempts ?? 5}, ${dedupeKey})
    ON CONFLICT (dedupe_key) WHERE status = 'pending'
    DO UPDATE SET run_at = LEAST(sync_job.run_at, EXCLUDED.run_at)
    RETURNING id, (xmax::text = '0') AS created`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('enqueueJob: INSERT returned no row');
  return { id: row.id, created: row.created };
}

/**
 * Claim the next due job for `workerId`, under a lease of `leaseMs`. Due: pending with run_at
 * reached, or running under a lease that ran out (its worker died). Users with a running job
 * under a live lease are skipped. Returns undefined when nothing can run now.
 */
export async function claimJob(
  db: Db,
  opts: { workerId: string; leaseMs: number },
): Promise<Job | undefined> {
  return db.transaction().execute(async (trx) => {
    const skipped: number[] = [];
    while (skipped.length <= MAX_SKIPPED_USERS) {
      const notSkipped = skipped.length ? sql`AND j.user_id NOT IN (${sql.join(skipped)})` : sql``;
      const candidate = await sql<{ id: number; user_id: number }>`
        SELECT j.id, j.user_id FROM sync_job j
        WHERE ((j.status = 'pending' AND j.run_at <= now())
               OR (j.status = 'running' AND j.locked_until < now()))
          AND NOT EXISTS (
            SELECT 1 FROM sync_job r
            WHERE r.user_id = j.user_id AND r.status = 'running'
              AND r.locked_until >= now() AND r.id <> j.id)
          ${notSkipped}
        ORDER BY j.run_at, j.id
        LIMIT 1
        FOR UPDATE OF j SKIP LOCKED`.execute(trx);
      const row = candidate.rows[0];
      if (!row) return undefined;
      // Another worker may be claiming a job of this user right now (its row is not the one we
      // locked): the per-user lock orders the two claims, the re-check sees the winner's commit.
      const locked = await sql<{ ok: boolean }>`
        SELECT pg_try_advisory_xact_lock(${CLAIM_LOCK_CLASS}, ${row.user_id}) AS ok`.execute(trx);
      if (!locked.rows[0]?.ok) {
        skipped.push(row.user_id);
        continue;
      }
      const busy = await sql<{ id: number }>`
        SELECT id FROM sync_job
        WHERE user_id = ${row.user_id} AND status = 'running'
          AND locked_until >= now() AND id <> ${row.id}
        LIMIT 1`.execute(trx);
      if (busy.rows.length > 0) {
        skipped.push(row.user_id);
        continue;
      }
      const claimed = await trx
        .updateTable('sync_job')
        .set((eb) => ({
          status: 'running',
          locked_by: opts.workerId,
          locked_until: nowPlus(opts.leaseMs),
          attempts: eb(eb.ref('attempts'), '+', 1),
          started_at: sql<Date>`now()`,
        }))
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toJob(claimed);
    }
    return undefined;
  });
}

/** Renew the lease of a running job; false when the worker no longer holds it. */
export async function extendLease(
  db: Db,
  job: Pick<Job, 'id'>,
  workerId: string,
  leaseMs: number,
): Promise<boolean> {
  const res = await db
    .updateTable('sync_job')
    .set({ locked_until: nowPlus(leaseMs) })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function completeJob(
  db: Db,
  job: Pick<Job, 'id'>,
  workerId: string,
): Promise<boolean> {
  const res = await db
    .updateTable('sync_job')
    .set({
      status: 'succeeded',
      locked_until: null,
      finished_at: sql<Date>`now()`,
      last_error: null,
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export interface RetryPolicy {
  /** First retry delay, doubling per attempt (default 30 s). */
  baseDelayMs?: number;
  /** Longest delay (default 1 hour). */
  maxDelayMs?: number;
}

export function retryDelayMs(attempts: number, policy: RetryPolicy = {}): number {
  const base = policy.baseDelayMs ?? 30_000;
  const cap = policy.maxDelayMs ?? 3_600_000;
  return Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
}

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    (error as { code: unknown }).code === '23505'
  );
}

/**
 * Put a running job back to pending at `runAt`. If the same work was enqueued meanwhile, that
 * pending job already covers it: this one is marked superseded instead.
 */
async function requeue(
  db: Db,
  job: Pick<Job, 'id'>,
  workerId: string,
  args: { delayMs: number; error: string; uncount: boolean },
): Promise<'pending' | 'superseded' | 'lost'> {
  try {
    const res = await db
      .updateTable('sync_job')
      .set((eb) => ({
        status: 'pending',
        run_at: nowPlus(args.delayMs),
        locked_by: null,
        locked_until: null,
        last_error: args.error,
        ...(args.uncount ? { attempts: eb(eb.ref('attempts'), '-', 1) } : {}),
      }))
      .where('id', '=', job.id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (res.numUpdatedRows > 0n) return 'pending';
    return 'lost';
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  await finish(db, job, workerId, 'superseded', args.error);
  return 'superseded';
}

async function finish(
  db: Db,
  job: Pick<Job, 'id'>,
  workerId: string,
  status: 'failed' | 'superseded',
  error: string,
): Promise<boolean> {
  const res = await db
    .updateTable('sync_job')
    .set({ status, locked_until: null, finished_at: sql<Date>`now()`, last_error: error })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/**
 * Record a failed attempt. A retryable failure with attempts left goes back to pending after an
 * exponential delay; otherwise the job ends 'failed'. Returns what became of the job.
 */
export async function failJob(
  db: Db,
  job: Pick<Job, 'id' | 'attempts' | 'maxAttempts'>,
  workerId: string,
  args: { error: string; retryable?: boolean; retry?: RetryPolicy },
): Promise<'pending' | 'failed' | 'superseded' | 'lost'> {
  if (args.retryable !== false && job.attempts < job.maxAttempts) {
    return requeue(db, job, workerId, {
      delayMs: retryDelayMs(job.attempts, args.retry),
      error: args.error,
      uncount: false,
    });
  }
  return (await finish(db, job, workerId, 'failed', args.error)) ? 'failed' : 'lost';
}

/**
 * Hand a job back without counting the attempt (the worker is stopping, or the user's sync is
 * held elsewhere, e.g. by a CLI run): it runs again after `delayMs`.
 */
export async function releaseJob(
  db: Db,
  job: Pick<Job, 'id'>,
  workerId: string,
  args: { delayMs: number; reason: string },
): Promise<'pending' | 'superseded' | 'lost'> {
  return requeue(db, job, workerId, { delayMs: args.delayMs, error: args.reason, uncount: true });
}

export async function getJob(db: Db, id: number): Promise<Job | undefined> {
  const row = await db.selectFrom('sync_job').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toJob(row) : undefined;
}

/** Forget finished jobs older than `olderThanMs` (failed ones are kept four times as long). */
export async function pruneJobs(db: Db, olderThanMs: number): Promise<number> {
  const res = await db
    .deleteFrom('sync_job')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('status', 'in', ['succeeded', 'superseded']),
          eb('finished_at', '<', nowPlus(-olderThanMs)),
        ]),
        eb.and([eb('status', '=', 'failed'), eb('finished_at', '<', nowPlus(-4 * olderThanMs))]),
      ]),
    )
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
