/** Another run for the same user is in progress (in this process or, on PostgreSQL, another). */
export class SyncAlreadyRunningError extends Error {
  readonly userId: number;
  constructor(userId: number) {
    super(`a sync for user ${userId} is already running`);
    this.name = 'SyncAlreadyRunningError';
    this.userId = userId;
  }
}

/** Options the engine cannot run with (bad `since`, unknown type). */
export class InvalidSyncOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSyncOptionsError';
  }
}

/**
 * The database session holding a user's sync lock ended mid-run (server restart, failover,
 * pg_terminate_backend, a network cut): the run no longer ran alone and may have missed writes,
 * so it counts as failed and the job queue runs it again.
 */
export class SyncConnectionLostError extends Error {
  readonly userId: number;
  constructor(userId: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SyncConnectionLostError';
    this.userId = userId;
  }
}
