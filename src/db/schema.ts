import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/**
 * Kysely types of every table. Column names are snake_case, as in SQL.
 * Timestamps are `timestamptz` (Date); calendar days are `date` ('YYYY-MM-DD' strings).
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T extends object | null = Record<string, unknown>> = JSONColumnType<T, string, string>;

export interface AppUserTable {
  id: Generated<number>;
  /** Local name of the person ("demo", "alex"); unique. */
  name: string;
  created_at: CreatedAt;
}

/** One Oura grant per user. Tokens are AES-256-GCM envelopes (see crypto/tokenCipher.ts). */
export interface OuraConnectionTable {
  user_id: number;
  /** `personal_info.id`: maps webhook `user_id` values to our users. */
  oura_user_id: string | null;
  access_token_enc: string;
  refresh_token_enc: string | null;
  access_expires_at: Timestamp;
  /** Scopes actually granted (users can untick scopes on the consent page). */
  scopes: ColumnType<string[], string[], string[]>;
  /** 'active' | 'reconnect_needed' (after invalid_grant) */
  status: string;
  /** Incremented on every refresh; lets a process detect that another one refreshed first. */
  token_version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/**
 * Every document exactly as Oura sent it. Typed tables are projections of this one and
 * `snowtorch rebuild` re-derives them from it alone.
 * Time series (heartrate, ring_battery_level) are kept as one document per user and local day
 * (`doc_id` = the day): the samples array as received for that day.
 */
export interface RawDocumentTable {
  user_id: number;
  data_type: string;
  doc_id: string;
  day: string | null;
  /** UTC offset of the document's own local time, in minutes (from its timestamps). */
  utc_offset_minutes: number | null;
  document: Json;
  /** sha256 hex of the canonical JSON; unchanged documents are not rewritten. */
  content_hash: string;
  fetched_at: Timestamp;
  /** Set when the document disappeared upstream (delete webhook or reconciliation). */
  deleted_at: Timestamp | null;
}

export interface SyncRunTable {
  id: Generated<number>;
  user_id: number;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  /** 'running' | 'succeeded' | 'partial' | 'failed' (a run killed mid-way stays 'running'
   * until the next run marks it 'interrupted'). */
  status: string;
  trigger: string;
  /** Per data type: { fetched, inserted, updated, unchanged, deleted, requests, errors }. */
  counts: Json<Record<string, Record<string, number>>>;
  /** [{ dataType, docId?, code, message }] */
  errors: Json<{ dataType: string; docId?: string; code: string; message: string }[]>;
}

/** Per user and data type: how far the history is known to be complete. */
export interface SyncStateTable {
  user_id: number;
  data_type: string;
  /** Oldest day the backfill has to reach (set on the first run). */
  backfill_from: string | null;
  /** Every day before this one (exclusive) has been fetched and committed. */
  complete_until: string | null;
  last_success_at: Timestamp | null;
  last_error: string | null;
}

/** A document that failed validation: kept verbatim, never projected, shown in status. */
export interface SyncErrorDocumentTable {
  id: Generated<number>;
  user_id: number;
  data_type: string;
  doc_id: string | null;
  document: Json;
  message: string;
  seen_at: Timestamp;
}

export interface Database {
  app_user: AppUserTable;
  oura_connection: OuraConnectionTable;
  raw_document: RawDocumentTable;
  sync_run: SyncRunTable;
  sync_state: SyncStateTable;
  sync_error_document: SyncErrorDocumentTable;
  // Typed projections (sleep_period, daily_* ...) are added by their migrations below this line.
}
