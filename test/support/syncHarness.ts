import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { type Config, loadConfig } from '../../src/config/env.ts';
import { createTokenCipher } from '../../src/crypto/tokenCipher.ts';
import { saveConnection } from '../../src/db/connections.ts';
import type { Db, OpenDatabase } from '../../src/db/database.ts';
import { getOrCreateUser, type User } from '../../src/db/users.ts';
import { type DataType, DOCUMENT_DATA_TYPES, OURA_SCOPES } from '../../src/oura/routes.ts';
import type { SimUserData } from '../../src/simulator/data/index.ts';
import {
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '../../src/simulator/index.ts';
import { createSyncContext } from '../../src/sync/context.ts';
import { addDays, dayToMs, utcDay } from '../../src/sync/days.ts';
import { syncUser } from '../../src/sync/engine.ts';
import type { SyncContext, SyncOptions, SyncRunSummary } from '../../src/sync/types.ts';
import { openTestDatabase } from './db.ts';

/**
 * A simulator on 127.0.0.1 plus a migrated test database, and a user connected with tokens the
 * simulator issued (stored encrypted, exactly as `snowtorch connect` stores them).
 */
export interface SyncHarness {
  sim: Simulator;
  database: OpenDatabase;
  db: Db;
  config: Config;
  ctx: SyncContext;
  /** Environment a child process needs to sync against the same simulator and key. */
  env: Record<string, string>;
  connect(name: string, opts?: { scopes?: string[]; storedScopes?: string[] }): Promise<User>;
  sync(userId: number, opts?: Partial<SyncOptions>): Promise<SyncRunSummary>;
  simUser(name: string): SimUserData;
  close(): Promise<void>;
}

export const DOCUMENT_TYPES = DOCUMENT_DATA_TYPES;

export async function startSyncHarness(
  simOpts: Partial<SimulatorOptions> & { days: number },
  database?: OpenDatabase,
  clientOptions: { timeoutMs?: number; retryBaseDelayMs?: number; maxRetries?: number } = {},
): Promise<SyncHarness> {
  const sim = await startSimulator({ seed: 42, users: 2, ...simOpts });
  const opened = database ?? (await openTestDatabase());
  const key = randomBytes(32).toString('hex');
  const env = {
    OURA_API_BASE_URL: sim.url,
    OURA_AUTHORIZE_URL: `${sim.url}/oauth/authorize`,
    OURA_CLIENT_ID: 'snowtorch-dev',
    OURA_CLIENT_SECRET: 'snowtorch-dev-secret',
    SNOWTORCH_SECRET_KEY: key,
    LOG_LEVEL: 'silent',
  };
  const config = loadConfig(env);
  // Short backoff: the simulator's faults must not make tests slow.
  const ctx = createSyncContext({
    config,
    database: opened,
    clientOptions: { timeoutMs: 20_000, retryBaseDelayMs: 20, maxRetries: 4, ...clientOptions },
  });
  const cipher = createTokenCipher([Buffer.from(key, 'hex')]);
  const simUser = (name: string): SimUserData => {
    const u = sim.users.find((x) => x.name === name);
    if (!u) throw new Error(`no simulated user ${name}`);
    return u;
  };
  return {
    sim,
    database: opened,
    db: opened.db,
    config,
    ctx,
    env,
    async connect(name, opts = {}) {
      const scopes = opts.scopes ?? [...OURA_SCOPES];
      const tokens = sim.issueTokens(name, scopes);
      const user = await getOrCreateUser(opened.db, name);
      await saveConnection(opened.db, {
        userId: user.id,
        ouraUserId: simUser(name).personalInfo.id,
        accessTokenEnc: cipher.encrypt(tokens.access_token),
        refreshTokenEnc: cipher.encrypt(tokens.refresh_token),
        accessExpiresAt: new Date(Date.now() + tokens.expires_in * 1000),
        scopes: opts.storedScopes ?? scopes,
      });
      return user;
    },
    sync(userId, opts = {}) {
      return syncUser(ctx, { userId, trigger: 'test', ...opts });
    },
    simUser,
    async close() {
      await sim.close();
      if (!database) await opened.close();
    },
  };
}

/** Live (not deleted) stored documents of a type: id -> document. */
export async function storedDocuments(
  db: Db,
  userId: number,
  type: DataType,
): Promise<Map<string, Record<string, unknown>>> {
  const rows = await db
    .selectFrom('raw_document')
    .select(['doc_id', 'document'])
    .where('user_id', '=', userId)
    .where('data_type', '=', type)
    .where('deleted_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.doc_id, r.document]));
}

/** Ids of documents marked deleted. */
export async function deletedIds(db: Db, userId: number, type: DataType): Promise<Set<string>> {
  const rows = await db
    .selectFrom('raw_document')
    .select('doc_id')
    .where('user_id', '=', userId)
    .where('data_type', '=', type)
    .where('deleted_at', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.doc_id));
}

/** Rows stored for a time series (one document per local day holding that day's samples). */
export async function storedSeriesTimestamps(
  db: Db,
  userId: number,
  type: 'heartrate' | 'ring_battery_level',
): Promise<number[]> {
  const docs = await storedDocuments(db, userId, type);
  const out: number[] = [];
  for (const doc of docs.values()) {
    for (const row of seriesRows(doc)) out.push(rowTime(row));
  }
  return out.sort((a, b) => a - b);
}

/** The sample rows inside a stored time-series day document, whatever its envelope key. */
export function seriesRows(doc: unknown): Record<string, unknown>[] {
  if (Array.isArray(doc)) return doc as Record<string, unknown>[];
  if (doc && typeof doc === 'object') {
    for (const v of Object.values(doc)) {
      if (Array.isArray(v) && v.every((x) => x && typeof x === 'object' && 'timestamp' in x)) {
        return v as Record<string, unknown>[];
      }
    }
  }
  return [];
}

export function rowTime(row: Record<string, unknown>): number {
  return typeof row.timestamp_unix === 'number'
    ? row.timestamp_unix
    : Date.parse(String(row.timestamp));
}

/** Every instant a simulated series has in [startMs, endMs), by whole days. */
export function simSeriesTimestamps(
  user: SimUserData,
  type: 'heartrate' | 'ring_battery_level',
  startMs: number,
  endMs: number,
): number[] {
  const out: number[] = [];
  const step = 86_400_000;
  for (let s = startMs; s < endMs; s += step) {
    const rows =
      type === 'heartrate'
        ? user.heartrate(s, Math.min(endMs, s + step))
        : user.batteryLevel(s, Math.min(endMs, s + step));
    for (const r of rows) out.push(rowTime(r));
  }
  return out;
}

/** Stored documents equal the simulator's, type by type: same ids, same content. */
export async function expectSameDocuments(h: SyncHarness, user: User, name: string) {
  const sim = h.simUser(name);
  for (const type of DOCUMENT_TYPES) {
    const stored = await storedDocuments(h.db, user.id, type);
    const expected = sim.documents[type];
    expect([...stored.keys()].sort(), type).toEqual([...expected.keys()].sort());
    // Compared as JSON: what travels over HTTP (-0 arrives as 0).
    for (const [id, doc] of expected) {
      expect(stored.get(id), `${type} ${id}`).toEqual(JSON.parse(JSON.stringify(doc)));
    }
  }
}

export async function expectSameSeries(h: SyncHarness, user: User, name: string, fromDay: string) {
  const sim = h.simUser(name);
  for (const type of ['heartrate', 'ring_battery_level'] as const) {
    const stored = await storedSeriesTimestamps(h.db, user.id, type);
    expect(new Set(stored).size, `${type}: no duplicate samples`).toBe(stored.length);
    const expected = simSeriesTimestamps(
      sim,
      type,
      dayToMs(addDays(fromDay, -2)),
      dayToMs(addDays(utcDay(new Date()), 1)),
    );
    expect(stored.length, `${type} samples`).toBe(expected.length);
    expect(stored[0]).toBe(expected[0]);
    expect(stored.at(-1)).toBe(expected.at(-1));
  }
}
