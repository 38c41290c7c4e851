import type { Logger } from 'pino';
import type { SyncJobView } from '../api/types.ts';
import { syncUser } from '../sync/engine.ts';
import type { SyncContext, SyncProgressEvent } from '../sync/types.ts';
import { ApiError, ConflictError } from './errors.ts';

/**
 * Runs "Sync now" in-process, one run at a time per server, and keeps its live progress for
 * polling. The engine's own lock still serialises runs across processes (CLI, scheduler).
 */
export function createSyncRunner(
  context: SyncContext | undefined,
  logger?: Logger | false,
  onFinished?: () => void,
) {
  // One job per user (each person sees only their own sync).
  const jobs = new Map<number, SyncJobView>();
  let nextId = 1;
  const running = new Set<Promise<void>>();
  const controller = new AbortController();

  return {
    current(userId: number): SyncJobView | null {
      const job = jobs.get(userId);
      return job ? { ...job } : null;
    },
    /** Whether any sync runs in this process (answers are not cached meanwhile). */
    isRunning(): boolean {
      return [...jobs.values()].some((j) => j.state === 'running');
    },
    isRunningFor(userId: number): boolean {
      return jobs.get(userId)?.state === 'running';
    },
    start(userId: number): SyncJobView {
      const job = jobs.get(userId);
      if (!context) {
        throw new ApiError(
          503,
          'sync_unavailable',
          'Sync is not configured on this server: set SNOWTORCH_SECRET_KEY, OURA_CLIENT_ID and OURA_CLIENT_SECRET, then connect Oura with `snowtorch connect`.',
        );
      }
      if (job?.state === 'running') {
        throw new ConflictError('sync_running', 'A sync is already running.', { job });
      }
      const phases = new Map<string, SyncProgressEvent['phase']>();
      const view: SyncJobView = {
        id: nextId++,
        state: 'running',
        startedAt: new Date().toISOString(),
        finishedAt: null,
        done: 0,
        total: 0,
        current: null,
        message: null,
      };
      jobs.set(userId, view);
      const onProgress = (e: SyncProgressEvent) => {
        phases.set(e.dataType, e.phase);
        view.total = phases.size;
        view.done = [...phases.values()].filter(
          (p) => p === 'done' || p === 'failed' || p === 'skipped',
        ).length;
        if (e.phase === 'fetching' || e.phase === 'starting') view.current = e.dataType;
      };
      const run: Promise<void> = syncUser(context, {
        userId,
        trigger: 'api',
        onProgress,
        signal: controller.signal,
      })
        .then((summary) => {
          view.state = summary.status === 'interrupted' ? 'failed' : summary.status;
          view.message = summary.message ?? null;
        })
        .catch((error: unknown) => {
          view.state = 'failed';
          view.message = error instanceof Error ? error.message : String(error);
          if (logger) logger.warn({ err: view.message }, 'sync from the dashboard failed');
        })
        .finally(() => {
          view.finishedAt = new Date().toISOString();
          view.current = null;
          view.done = view.total;
          running.delete(run);
          onFinished?.();
        });
      running.add(run);
      return { ...view };
    },
    /** Stops a running sync (server shutdown) and waits for it to record its outcome. */
    async stop(): Promise<void> {
      controller.abort(new Error('server shutting down'));
      await Promise.all(running);
    },
  };
}

export type SyncRunner = ReturnType<typeof createSyncRunner>;
