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
