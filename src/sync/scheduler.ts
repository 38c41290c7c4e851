import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { type JobOutcome, runJob } from './jobRunner.ts';
import {
  claimJob,
  completeJob,
  type EnqueueArgs,
  enqueueJob,
  extendLease,
  failJob,
  type Job,
  pruneJobs,
  type RetryPolicy,
  releaseJob,
} from './jobs.ts';
import type { SyncContext } from './types.ts';
import { pruneWebhookEvents } from './webhookEvents.ts';

/**
 * Live sync: every instance runs a scheduler. Its tick queues an incremental `sync` for each
 * active connection whose last run is older than the interval (starting within a random jitter,
 * so users and instances do not all hit Oura at once) and a `backfill` for connections never
 * synced; its worker claims queued jobs (these, and webhook jobs) one at a time. The queue
 * (jobs.ts) makes sure no user is synced by two instances at once.
 *
 * Polling continues whether or not webhooks are configured: Oura's webhooks can go silent for
 * days (NOTES "Known problems"), so the interval is the fallback that always runs.
 */

export interface SchedulerOptions {
  ctx: SyncContext;
  /** The queue's database (normally ctx.db). */
  db: Db;
  /** Incremental sync interval; 0 disables periodic syncs (new connections are still backfilled). */
  intervalMs: number;
  /** Each queued sync starts within this random delay (default: 10% of the interval, at most 5 min). */
  jitterMs?: number;
  /** Names this worker in sync_job.locked_by (default: host:pid:random). */
  workerId?: string;
  logger?: Logger;
  /** How often the tick looks for due users (default 60 s); 0: never by itself (only `tick()`). */
  tickMs?: number;
  /** How often an idle worker looks for jobs (default 5 s; `wake()` and `enqueue()` skip the wait). */
  pollMs?: number;
  /** Lease on a claimed job, renewed every third of it while the job runs (default 60 s). */
  leaseMs?: number;
  retry?: RetryPolicy;
  /** Run the worker (default true); false: only queue jobs. */
  worker?: boolean;
  /** Renew expiring webhook subscriptions; called on the first tick, then daily. */
  renewSubscriptions?: () => Promise<unknown>;
  /** Awaited before a claimed job runs (logging, tests). */
  onJobStarted?: (job: Job) => Promise<void> | void;
  /** Awaited after a job ran, before its outcome is recorded (e.g. clear dashboard caches). */
  onJobFinished?: (job: Job, outcome: JobOutcome) => Promise<void> | void;
}

export interface TickResult {
  sync: number[];
  backfill: number[];
}

export interface Scheduler {
  readonly workerId: string;
  /** Queue due syncs now (the timer calls this too). */
  tick(): Promise<TickResult>;
  /** Queue a job (in `db`, a transaction if the caller has one) and wake the worker. */
  enqueue(db: Db, job: EnqueueArgs): Promise<{ id: number; created: boolean }>;
  /** Make an idle worker look for jobs now. */
  wake(): void;
  /**
   * Stop ticking and claiming; the running job finishes first. With `timeoutMs`, a job still
   * running by then is asked to stop (a sync records 'interrupted' and resumes later) and is
   * handed back to the queue.
   */
  stop(opts?: { timeoutMs?: number }): Promise<void>;
}

/** Advisory-lock key of the tick ('SNWS'): one instance queues at a time. */
const TICK_LOCK = [0x534e5753, 0] as const;
const PRUNE_EVERY_MS = 3_600_000;
const KEEP_JOBS_MS = 7 * 86_400_000;
const KEEP_EVENTS_MS = 30 * 86_400_000;
const RENEW_EVERY_MS = 86_400_000;

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Queue what is due: a backfill for each active connection without any sync run, an incremental
 * sync for each whose last run started more than `intervalMs` ago; users with a sync already
 * queued or running are left alone. Serialised across instances by an advisory lock (an
 * instance finding it taken skips this tick).
 */
export async function enqueueDueSyncs(
  db: Db,
  opts: { intervalMs: number; jitterMs: number; now?: Date; random?: () => number },
): Promise<TickResult> {
  const now = opts.now ?? new Date();
  const random = opts.random ?? Math.random;
  return db.transaction().execute(async (trx) => {
    const got = await sql<{ ok: boolean }>`
      SELECT pg_try_advisory_xact_lock(${TICK_LOCK[0]}, ${TICK_LOCK[1]}) AS ok`.execute(trx);
    const result: TickResult = { sync: [], backfill: [] };
    if (!got.rows[0]?.ok) return result;
    const due = await sql<{ user_id: number; last_run: Date | null }>`
      SELECT c.user_id,
             (SELECT max(r.started_at) FROM sync_run r WHERE r.user_id = c.user_id) AS last_run
      FROM oura_connection c
      WHERE c.status = 'active'
        AND NOT EXISTS (
          SELECT 1 FROM sync_job j
          WHERE j.user_id = c.user_id AND j.kind IN ('sync', 'backfill')
            AND j.status IN ('pending', 'running'))
      ORDER BY c.user_id`.execute(trx);
    for (const row of due.rows) {
      if (row.last_run === null) {
        await enqueueJob(trx, { userId: row.user_id, kind: 'backfill', runAt: now });
        result.backfill.push(row.user_id);
      } else if (
        opts.intervalMs > 0 &&
        now.getTime() - new Date(row.last_run).getTime() >= opts.intervalMs
      ) {
        const runAt = new Date(now.getTime() + Math.floor(random() * opts.jitterMs));
        await enqueueJob(trx, { userId: row.user_id, kind: 'sync', runAt });
        result.sync.push(row.user_id);
      }
    }
    return result;
  });
}

export function startScheduler(opts: SchedulerOptions): Scheduler {
  const { ctx, db, logger } = opts;
  const workerId = opts.workerId ?? defaultWorkerId();
  const intervalMs = Math.max(0, opts.intervalMs);
  const jitterMs = Math.max(0, opts.jitterMs ?? Math.min(intervalMs * 0.1, 300_000));
  const tickMs = opts.tickMs ?? 60_000;
  const pollMs = opts.pollMs ?? 5_000;
  const leaseMs = opts.leaseMs ?? 60_000;
  const log = logger?.child({ worker: workerId });

  let stopping = false;
  let tickTimer: NodeJS.Timeout | undefined;
  let ticking: Promise<unknown> | undefined;
  let lastPrune = 0;
  let lastRenew = 0;
  let wakeSleeper: (() => void) | undefined;
  let current: AbortController | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeSleeper = undefined;
        resolve();
      }
      wakeSleeper = done;
    });

  const wake = () => wakeSleeper?.();

  async function housekeeping(): Promise<void> {
    const now = Date.now();
    if (now - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now;
      await pruneJobs(db, KEEP_JOBS_MS);
      await pruneWebhookEvents(db, new Date(now - KEEP_EVENTS_MS));
    }
    if (opts.renewSubscriptions && now - lastRenew >= RENEW_EVERY_MS) {
      lastRenew = now;
      try {
        await opts.renewSubscriptions();
      } catch (error) {
        log?.warn({ err: messageOf(error) }, 'renewing webhook subscriptions failed');
      }
    }
  }

  async function tick(): Promise<TickResult> {
    const queued = await enqueueDueSyncs(db, { intervalMs, jitterMs });
    if (queued.sync.length || queued.backfill.length) {
      log?.info(queued, 'syncs queued');
      wake();
    }
    await housekeeping();
    return queued;
  }

  const scheduleTick = (delay: number) => {
    if (stopping) return;
    tickTimer = setTimeout(() => {
      ticking = tick()
        .catch((error: unknown) => log?.error({ err: messageOf(error) }, 'scheduler tick failed'))
        .finally(() => {
          ticking = undefined;
          scheduleTick(tickMs);
        });
    }, delay);
  };

  async function record(job: Job, outcome: JobOutcome): Promise<void> {
    if (outcome.status === 'succeeded') {
      await completeJob(db, job, workerId);
    } else if (outcome.status === 'released') {
      await releaseJob(db, job, workerId, { delayMs: outcome.delayMs, reason: outcome.reason });
    } else {
      const became = await failJob(db, job, workerId, {
        error: outcome.error,
        retryable: outcome.retryable,
        ...(opts.retry ? { retry: opts.retry } : {}),
      });
      log?.warn(
        { jobId: job.id, kind: job.kind, userId: job.userId, became, err: outcome.error },
        'job failed',
      );
    }
  }

  async function handle(job: Job): Promise<void> {
    const controller = new AbortController();
    current = controller;
    // Renew the lease while the job runs; losing it means another worker may take the job over.
    const heartbeat = setInterval(
      () => {
        extendLease(db, job, workerId, leaseMs)
          .then((held) => {
            if (!held) controller.abort(new Error('lease lost'));
          })
          .catch((error: unknown) => log?.warn({ err: messageOf(error) }, 'lease renewal failed'));
      },
      Math.max(100, Math.floor(leaseMs / 3)),
    );
    try {
      await opts.onJobStarted?.(job);
      let outcome: JobOutcome;
      try {
        outcome = await runJob(ctx, job, controller.signal);
      } catch (error) {
        outcome = { status: 'failed', error: messageOf(error), retryable: true };
      }
      if (controller.signal.aborted && outcome.status !== 'succeeded') {
        outcome = { status: 'released', reason: 'stopped before finishing', delayMs: 0 };
      }
      log?.debug({ jobId: job.id, kind: job.kind, userId: job.userId, outcome }, 'job finished');
      await opts.onJobFinished?.(job, outcome);
      await record(job, outcome);
    } finally {
      clearInterval(heartbeat);
      current = undefined;
    }
  }

  async function workLoop(): Promise<void> {
    while (!stopping) {
      let job: Job | undefined;
      try {
        job = await claimJob(db, { workerId, leaseMs });
      } catch (error) {
        log?.error({ err: messageOf(error) }, 'claiming a job failed');
      }
      if (stopping && job) {
        await releaseJob(db, job, workerId, { delayMs: 0, reason: 'worker stopping' });
        break;
      }
      if (!job) {
        await sleep(pollMs);
        continue;
      }
      try {
        await handle(job);
      } catch (error) {
        log?.error({ jobId: job.id, err: messageOf(error) }, 'recording a job outcome failed');
        await sleep(pollMs);
      }
    }
  }

  if (tickMs > 0) scheduleTick(0);
  const working = opts.worker === false ? Promise.resolve() : workLoop();

  return {
    workerId,
    tick,
    async enqueue(target, job) {
      const queued = await enqueueJob(target, job);
      // Inside a caller's transaction the job is not visible until it commits: wake a little later.
      if (target.isTransaction) setTimeout(wake, 50).unref();
      else wake();
      return queued;
    },
    wake,
    async stop(stopOpts = {}) {
      stopping = true;
      clearTimeout(tickTimer);
      wake();
      let timer: NodeJS.Timeout | undefined;
      if (stopOpts.timeoutMs !== undefined) {
        timer = setTimeout(
          () => current?.abort(new Error('scheduler stopping')),
          stopOpts.timeoutMs,
        );
      }
      try {
        await working;
        await ticking;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
