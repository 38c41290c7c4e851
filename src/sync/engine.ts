import { getConnection } from '../db/connections.ts';
import { insertRun, markStaleRunsInterrupted, updateRun } from '../db/syncRuns.ts';
import {
  ensureSyncState,
  getSyncStates,
  recordTypeOutcome,
  type SyncStateRow,
} from '../db/syncState.ts';
import { findUserById } from '../db/users.ts';
import type { OuraClient, Page } from '../oura/client.ts';
import { OuraAuthError, OuraError, OuraScopeError } from '../oura/errors.ts';
import { grantsScope } from '../oura/oauth.ts';
import { DATA_TYPES, type DataType, ROUTES } from '../oura/routes.ts';
import { addDays, isDay, maxDay, utcDay } from './days.ts';
import { InvalidSyncOptionsError } from './errors.ts';
import { findHistoryStart } from './historyStart.ts';
import { withUserSyncLock } from './lock.ts';
import { runPool } from './pool.ts';
import { storeRingConfiguration, syncRangedType, type TypeJob } from './typeSync.ts';
import {
  emptyCounts,
  type RunError,
  type SyncContext,
  type SyncOptions,
  type SyncProgressEvent,
  type SyncRunSummary,
  type TypeCounts,
} from './types.ts';
import { isSeriesType } from './windows.ts';

/**
 * One sync run for one user.
 *
 * First run of a type: backfill from the history start (see historyStart.ts) or `since`.
 * Later runs: from `complete_until` minus an overlap, because Oura keeps revising recent days
 * (today's activity fills in, a nap gets confirmed, scores are recomputed) and users delete
 * documents: the overlap is re-fetched and stored documents it no longer returns are marked
 * deleted. Fetching runs to today + 1: a user east of UTC is already a day ahead.
 */

/** Days re-fetched on incremental runs. */
export const DOCUMENT_OVERLAP_DAYS = 7;
export const SERIES_OVERLAP_DAYS = 1;
/**
 * Data types fetched at once. Each also fetches its next window while storing the current one
 * (typeSync.ts), so four types keep eight requests in flight, the client's cap, with half the
 * documents in memory that eight types without fetch-ahead held (docs/benchmarks.md).
 */
export const TYPE_CONCURRENCY = 4;
/** Run errors kept in sync_run beyond which only a count is recorded. */
const MAX_RECORDED_ERRORS = 200;
const SAVE_COUNTS_EVERY_MS = 2000;

/** Longest types first so the pool's tail is short. */
function fetchOrder(types: readonly DataType[]): DataType[] {
  const rank = (t: DataType) => (isSeriesType(t) ? 0 : t === 'sleep' ? 1 : 2);
  return [...types].sort((a, b) => rank(a) - rank(b));
}

function errorCode(error: unknown): string {
  if (error instanceof OuraError) return error.code;
  return 'internal_error';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

export function reconnectMessage(userName: string, detail: string): string {
  return `Oura access for "${userName}" was revoked or has expired (${detail}); reconnect with: snowtorch connect --user ${userName}`;
}

export async function syncUser(ctx: SyncContext, opts: SyncOptions): Promise<SyncRunSummary> {
  const now = () => ctx.now?.() ?? new Date();
  const today = utcDay(now());
  if (opts.since !== undefined && (!isDay(opts.since) || opts.since > addDays(today, 1))) {
    throw new InvalidSyncOptionsError(
      `since must be a day 'YYYY-MM-DD' not after tomorrow, got '${opts.since}'`,
    );
  }
  const types = fetchOrder(opts.types?.length ? [...new Set(opts.types)] : [...DATA_TYPES]);
  return withUserSyncLock(ctx.db, opts.userId, () => runLocked(ctx, opts, types, now, today));
}

async function runLocked(
  ctx: SyncContext,
  opts: SyncOptions,
  requestedTypes: DataType[],
  now: () => Date,
  today: string,
): Promise<SyncRunSummary> {
  const { db, logger } = ctx;
  const { userId } = opts;
  let types = requestedTypes;
  const startedAt = now();
  const interrupted = await markStaleRunsInterrupted(db, { userId, at: startedAt });
  if (interrupted)
    logger?.info({ userId, interrupted }, 'marked runs of a dead process interrupted');
  const runId = await insertRun(db, { userId, trigger: opts.trigger, startedAt });

  const counts: Partial<Record<DataType, TypeCounts>> = {};
  const errors: RunError[] = [];
  let droppedErrors = 0;
  const addError = (e: RunError) => {
    if (errors.length < MAX_RECORDED_ERRORS) errors.push(e);
    else droppedErrors += 1;
  };
  const failedTypes = new Set<DataType>();
  const skipped: DataType[] = [];
  // Stops every type at once: on the caller's signal, or when the grant turns out to be dead.
  const stop = new AbortController();
  const onAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let authError: OuraAuthError | undefined;
  let fatal: unknown;
  let client: OuraClient | undefined;
  let requestsBefore = 0;

  const emit = (dataType: DataType, e: Omit<SyncProgressEvent, 'userId' | 'dataType'>) =>
    opts.onProgress?.({ userId, dataType, ...e });
  for (const t of types) {
    counts[t] = emptyCounts();
    emit(t, { phase: 'pending', documents: 0, windowsDone: 0, windowsTotal: 0, etaSeconds: null });
  }

  const allErrors = () =>
    droppedErrors
      ? [
          ...errors,
          { dataType: '*', code: 'errors_truncated', message: `${droppedErrors} more errors` },
        ]
      : errors;
  let lastSave = Date.now();
  const saveProgress = async () => {
    if (Date.now() - lastSave < SAVE_COUNTS_EVERY_MS) return;
    lastSave = Date.now();
    await updateRun(db, {
      runId,
      status: 'running',
      counts,
      errors: allErrors(),
      finishedAt: null,
    });
  };

  /** Record a type's failure; an auth failure stops the whole run. */
  const typeFailed = async (type: DataType, error: unknown) => {
    const c = counts[type] ?? emptyCounts();
    if (error instanceof OuraAuthError) {
      authError ??= error;
      stop.abort(error);
    }
    if (isAbort(error, stop.signal) && !(error instanceof OuraAuthError)) {
      emit(type, {
        phase: 'failed',
        documents: c.fetched,
        windowsDone: c.windows,
        windowsTotal: c.windows,
        etaSeconds: null,
        message: 'stopped',
      });
      return;
    }
    failedTypes.add(type);
    c.errors += 1;
    const code = error instanceof OuraScopeError ? 'scope_missing' : errorCode(error);
    const message = errorMessage(error);
    if (!(error instanceof OuraAuthError)) addError({ dataType: type, code, message });
    emit(type, {
      phase: 'failed',
      documents: c.fetched,
      windowsDone: c.windows,
      windowsTotal: c.windows,
      etaSeconds: null,
      message: `${code}: ${message}`,
    });
    logger?.warn({ userId, dataType: type, code, err: message }, 'sync of a data type failed');
    await recordTypeOutcome(db, {
      userId,
      dataType: type,
      at: now(),
      error: `${code}: ${message}`,
    });
  };

  try {
    // Users can untick scopes on Oura's consent page [AUTH]; asking for those types anyway
    // would only collect 403s.
    const connection = await getConnection(db, userId);
    if (connection && connection.scopes.length > 0) {
      for (const t of types) {
        const scope = ROUTES[t].scope;
        if (grantsScope(connection.scopes, scope)) continue;
        skipped.push(t);
        delete counts[t];
        emit(t, {
          phase: 'skipped',
          documents: 0,
          windowsDone: 0,
          windowsTotal: 0,
          etaSeconds: null,
          message: `scope "${scope}" not granted`,
        });
      }
      types = types.filter((t) => !skipped.includes(t));
    }
    client = await ctx.clientFor(userId);
    requestsBefore = client.stats.requests;
    const activeClient = client;
    const states = new Map<string, SyncStateRow>(
      (await getSyncStates(db, userId)).map((s) => [s.dataType, s]),
    );
    const ranged = types.filter((t) => ROUTES[t].range !== 'none');
    // A type seen for the first time needs the history start (always detected, never taken
    // from other types: theirs may have been limited by --since).
    const needsStart =
      opts.since === undefined &&
      ranged.some((t) => (states.get(t)?.backfillFrom ?? null) === null);

    // ring_configuration: fetched whole each run; its set_up_at also dates the history start.
    let ringPages: Page[] | undefined;
    const wantsRing = types.includes('ring_configuration');
    if (wantsRing || needsStart) {
      try {
        if (wantsRing) {
          emit('ring_configuration', {
            phase: 'fetching',
            documents: 0,
            windowsDone: 0,
            windowsTotal: 1,
            etaSeconds: null,
          });
        }
        ringPages = [];
        for await (const p of activeClient.listPages('ring_configuration', undefined, {
          signal: stop.signal,
        })) {
          ringPages.push(p);
        }
      } catch (error) {
        ringPages = undefined;
        if (wantsRing) await typeFailed('ring_configuration', error);
        else if (error instanceof OuraAuthError || isAbort(error, stop.signal)) throw error;
      }
    }

    // A dead grant found while fetching ring_configuration ends the run here.
    stop.signal.throwIfAborted();

    const jobFor = (type: DataType, from: string, to: string, reconcile: boolean): TypeJob => ({
      db,
      client: activeClient,
      userId,
      dataType: type,
      from,
      to,
      today,
      reconcile,
      counts: counts[type] ?? emptyCounts(),
      addError,
      emit: (e) => emit(type, e),
      onWindowCommitted: saveProgress,
      now,
      signal: stop.signal,
    });

    if (wantsRing && ringPages) {
      await ensureSyncState(db, { userId, dataType: 'ring_configuration', backfillFrom: null });
      await storeRingConfiguration(jobFor('ring_configuration', today, today, false), ringPages);
      await recordTypeOutcome(db, {
        userId,
        dataType: 'ring_configuration',
        at: now(),
        error: null,
      });
    }

    let historyStart: string | undefined;
    if (needsStart) {
      const found = await findHistoryStart(activeClient, {
        today,
        ringConfigurations: (ringPages ?? []).flatMap((p) => p.documents),
        invalidRingConfigurations: (ringPages ?? []).flatMap((p) =>
          p.invalid.map((i) => i.document),
        ),
        signal: stop.signal,
      });
      logger?.info({ userId, ...found }, 'history start found');
      historyStart = found.day;
      // Probe requests are charged to a type being synced (daily_activity probes first).
      const probeType = counts.daily_activity ?? counts[ranged[0] ?? 'daily_activity'];
      if (probeType) probeType.requests += found.requests;
    }

    await runPool(ranged, TYPE_CONCURRENCY, async (type) => {
      if (stop.signal.aborted) return;
      try {
        const state = states.get(type);
        const overlap = isSeriesType(type) ? SERIES_OVERLAP_DAYS : DOCUMENT_OVERLAP_DAYS;
        const to = isSeriesType(type) ? today : addDays(today, 1);
        let from: string;
        let reconcile: boolean;
        if (opts.since !== undefined) {
          from = opts.since;
          reconcile = true;
        } else if (state?.completeUntil != null) {
          from = addDays(state.completeUntil, -overlap);
          if (state.backfillFrom !== null) from = maxDay(from, state.backfillFrom);
          reconcile = true;
        } else {
          // First run of this type (or one that died before its first window committed):
          // nothing is stored yet that upstream could have deleted.
          from = state?.backfillFrom ?? historyStart ?? today;
          reconcile = false;
        }
        if (from > to) from = to;
        // The first run fixes where the history starts. An earlier --since moves the start back
        // only once its whole range is in (below): a run killed half-way must not claim it.
        await ensureSyncState(db, {
          userId,
          dataType: type,
          backfillFrom: state?.backfillFrom ?? from,
        });
        await syncRangedType(jobFor(type, from, to, reconcile));
        if (opts.since !== undefined) {
          await ensureSyncState(db, { userId, dataType: type, backfillFrom: from });
        }
        await recordTypeOutcome(db, { userId, dataType: type, at: now(), error: null });
      } catch (error) {
        await typeFailed(type, error);
      }
    });
  } catch (error) {
    if (error instanceof OuraAuthError) authError ??= error;
    else if (!isAbort(error, stop.signal)) fatal = error;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }

  const requests = client ? client.stats.requests - requestsBefore : 0;
  const attempted = types.length;
  let status: SyncRunSummary['status'];
  let message: string | undefined;
  const reconnectNeeded = authError?.reconnectNeeded ?? false;
  if (authError) {
    status = 'failed';
    const name = (await findUserById(db, userId))?.name ?? `user ${userId}`;
    message = reconnectNeeded
      ? reconnectMessage(name, authError.message)
      : `Oura rejected the credentials: ${authError.message}`;
    addError({ dataType: '*', code: authError.code, message });
  } else if (fatal !== undefined) {
    status = 'failed';
    message = errorMessage(fatal);
    addError({ dataType: '*', code: errorCode(fatal), message });
  } else if (opts.signal?.aborted) {
    status = 'interrupted';
    message = 'stopped before finishing; the next run resumes where this one stopped';
  } else if (failedTypes.size > 0 && failedTypes.size === attempted) {
    status = 'failed';
    message = `every data type failed (first: ${errors[0]?.message ?? 'unknown'})`;
  } else if (errors.length > 0) {
    status = 'partial';
    message = `${errors.length + droppedErrors} error(s); the rest is stored`;
  } else {
    status = 'succeeded';
  }
  const finishedAt = now();
  await updateRun(db, { runId, status, counts, errors: allErrors(), finishedAt });
  logger?.info({ userId, runId, status, requests }, 'sync run finished');
  return {
    runId,
    userId,
    status,
    trigger: opts.trigger,
    startedAt,
    finishedAt,
    counts,
    errors: allErrors(),
    requests,
    reconnectNeeded,
    skipped,
    ...(message !== undefined ? { message } : {}),
  };
}
