import { sql } from 'kysely';
import { getConnection } from '../db/connections.ts';
import type { Db } from '../db/database.ts';
import { countErrorDocuments, listRuns, type SyncRunRow } from '../db/syncRuns.ts';
import { getSyncStates } from '../db/syncState.ts';
import { listUsers } from '../db/users.ts';
import { DATA_TYPES } from '../oura/routes.ts';

/** What is stored and how syncing went, per user and data type (CLI `status`, dashboard). */

export interface TypeStatus {
  dataType: string;
  /** Stored documents not deleted upstream (time series: stored days). */
  documents: number;
  deleted: number;
  oldestDay: string | null;
  newestDay: string | null;
  backfillFrom: string | null;
  completeUntil: string | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  /** Documents that failed validation and are kept aside. */
  invalidDocuments: number;
  /** Time series only (heartrate, ring_battery_level): the stored samples and their span. */
  samples: SampleSpan | null;
}

/** What a time series holds: its documents are days, its substance is the samples. */
export interface SampleSpan {
  count: number;
  first: Date | null;
  last: Date | null;
}

export interface UserStatus {
  userId: number;
  name: string;
  connection: {
    status: 'active' | 'reconnect_needed' | 'not_connected' | (string & {});
    scopes: string[];
    ouraUserId: string | null;
  };
  lastRun: Pick<
    SyncRunRow,
    'id' | 'startedAt' | 'finishedAt' | 'status' | 'trigger' | 'errors'
  > | null;
  types: TypeStatus[];
}

async function documentStats(db: Db, userId: number) {
  const rows = await db
    .selectFrom('raw_document')
    .select([
      'data_type',
      sql<number>`count(*) filter (where deleted_at is null)::int`.as('live'),
      sql<number>`count(*) filter (where deleted_at is not null)::int`.as('deleted'),
      sql<string | null>`min(day) filter (where deleted_at is null)`.as('oldest'),
      sql<string | null>`max(day) filter (where deleted_at is null)`.as('newest'),
    ])
    .where('user_id', '=', userId)
    .groupBy('data_type')
    .execute();
  return new Map(rows.map((r) => [r.data_type, r]));
}

/** Sample counts and spans of the two time series (one index range scan each). */
async function sampleStats(db: Db, userId: number): Promise<Record<string, SampleSpan>> {
  const span = (table: 'heart_rate_sample' | 'battery_sample') =>
    db
      .selectFrom(table)
      .select([
        sql<number>`count(*)::int`.as('count'),
        sql<Date | null>`min(ts)`.as('first'),
        sql<Date | null>`max(ts)`.as('last'),
      ])
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
  const [heartrate, battery] = await Promise.all([
    span('heart_rate_sample'),
    span('battery_sample'),
  ]);
  return { heartrate, ring_battery_level: battery };
}

export async function getUserStatus(
  db: Db,
  user: { id: number; name: string },
): Promise<UserStatus> {
  const [conn, states, stats, invalid, runs, samples] = await Promise.all([
    getConnection(db, user.id),
    getSyncStates(db, user.id),
    documentStats(db, user.id),
    countErrorDocuments(db, user.id),
    listRuns(db, { userId: user.id, limit: 1 }),
    sampleStats(db, user.id),
  ]);
  const stateByType = new Map(states.map((s) => [s.dataType, s]));
  const known = new Set<string>([...DATA_TYPES, ...stateByType.keys(), ...stats.keys()]);
  const types = [...known].map((dataType): TypeStatus => {
    const s = stateByType.get(dataType);
    const d = stats.get(dataType);
    return {
      dataType,
      documents: Number(d?.live ?? 0),
      deleted: Number(d?.deleted ?? 0),
      oldestDay: d?.oldest ?? null,
      newestDay: d?.newest ?? null,
      backfillFrom: s?.backfillFrom ?? null,
      completeUntil: s?.completeUntil ?? null,
      lastSuccessAt: s?.lastSuccessAt ?? null,
      lastError: s?.lastError ?? null,
      invalidDocuments: invalid[dataType] ?? 0,
      samples: samples[dataType] ?? null,
    };
  });
  const run = runs[0];
  return {
    userId: user.id,
    name: user.name,
    connection: conn
      ? { status: conn.status, scopes: conn.scopes, ouraUserId: conn.ouraUserId }
      : { status: 'not_connected', scopes: [], ouraUserId: null },
    lastRun: run
      ? {
          id: run.id,
          startedAt: run.startedAt,
          finishedAt: run.finishedAt,
          status: run.status,
          trigger: run.trigger,
          errors: run.errors,
        }
      : null,
    types,
  };
}

export async function getSyncStatus(db: Db): Promise<UserStatus[]> {
  const users = await listUsers(db);
  const out: UserStatus[] = [];
  for (const u of users) out.push(await getUserStatus(db, u));
  return out;
}
