import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { OuraClient } from '../oura/client.ts';
import type { DataType } from '../oura/routes.ts';

/** What the engine needs from its surroundings. */
export interface SyncContext {
  readonly db: Db;
  /** Which PostgreSQL: the embedded server in the data directory, or a configured one. */
  readonly dbKind: 'embedded' | 'postgres';
  /** An Oura client authorised as the user (tokens from the database). */
  clientFor(userId: number): OuraClient | Promise<OuraClient>;
  readonly logger?: Logger;
  /** Clock (tests pin it); defaults to the real one. */
  now?(): Date;
}

export type SyncTrigger = 'cli' | 'demo' | 'schedule' | 'webhook' | 'api' | 'test';

export interface SyncOptions {
  userId: number;
  /** Data types to sync (default: all). */
  types?: readonly DataType[];
  /** Fetch from this day ('YYYY-MM-DD') instead of the stored cursor / detected history start. */
  since?: string;
  trigger: SyncTrigger | string;
  onProgress?: (event: SyncProgressEvent) => void;
  signal?: AbortSignal;
}

export interface TypeCounts {
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  invalid: number;
  requests: number;
  windows: number;
  errors: number;
}

export interface RunError {
  dataType: string;
  docId?: string;
  code: string;
  message: string;
}

export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'interrupted';

export interface SyncRunSummary {
  runId: number;
  userId: number;
  status: Exclude<RunStatus, 'running'>;
  trigger: string;
  startedAt: Date;
  finishedAt: Date;
  /** Per data type that was attempted. */
  counts: Partial<Record<DataType, TypeCounts>>;
  errors: RunError[];
  /** HTTP requests sent to Oura, retries included. */
  requests: number;
  /** One line for humans: why the run failed or was cut short. */
  message?: string;
  /** Set when the run failed because the user has to reconnect Oura. */
  reconnectNeeded: boolean;
  /** Types not fetched because the user did not grant their scope. */
  skipped: DataType[];
}

export type TypePhase = 'pending' | 'starting' | 'fetching' | 'done' | 'failed' | 'skipped';

/** Progress of one data type within a run (emitted on every change). */
export interface SyncProgressEvent {
  userId: number;
  dataType: DataType;
  phase: TypePhase;
  /** Documents (or time-series rows) fetched so far in this run. */
  documents: number;
  windowsDone: number;
  windowsTotal: number;
  /** Estimated seconds left for this type, when it can be estimated. */
  etaSeconds: number | null;
  /** Days covered: the range this type is fetching. */
  range?: { from: string; to: string };
  message?: string;
}

export function emptyCounts(): TypeCounts {
  return {
    fetched: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    invalid: 0,
    requests: 0,
    windows: 0,
    errors: 0,
  };
}
