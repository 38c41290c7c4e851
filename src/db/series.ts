import { sql } from 'kysely';
import type { Db } from './database.ts';
import { ProjectionError } from './errors.ts';
import type { SampleTable, TimeSeriesDataType } from './projections/types.ts';
import { addDays, bool, type Doc, int, parseInstant, text } from './projections/values.ts';
import { chunk } from './rows.ts';

/**
 * The two time series (`heartrate`, `ring_battery_level`): row parsing and the bulk SQL for
 * their sample tables. Inserts pass whole columns as arrays to `unnest`, one statement per
 * 50,000 samples, which keeps ingest close to COPY speed while staying plain SQL that both
 * PostgreSQL and PGlite run inside the caller's transaction.
 */

export interface Point {
  /** Milliseconds since the epoch. */
  ms: number;
  /** ISO 8601 in UTC. */
  iso: string;
  /** UTC day, the raw document the row is kept in. */
  day: string;
}

export interface HeartRatePoint extends Point {
  bpm: number;
  source: string;
}

export interface BatteryPoint extends Point {
  level: number;
  charging: boolean | null;
  inCharger: boolean | null;
}

export interface Series<P extends Point> {
  readonly dataType: TimeSeriesDataType;
  readonly table: SampleTable;
  /** Advisory lock class: writers of one user's series take (lockClass, user_id). */
  readonly lockClass: number;
  /** Throws ProjectionError on a bad value. */
  parse(row: Doc): P;
  /** Identity of a sample: two rows with the same key are the same sample. */
  key(p: P): string;
  same(a: P, b: P): boolean;
  insert(db: Db, userId: number, points: readonly P[], onConflict?: 'nothing'): Promise<void>;
  update(db: Db, userId: number, points: readonly P[]): Promise<void>;
  /** Stored samples with fromMs <= ts <= toMs. */
  load(db: Db, userId: number, fromMs: number, toMs: number): Promise<P[]>;
  /** Remove the samples of one UTC day. */
  deleteDay(db: Db, userId: number, day: string): Promise<void>;
}

const BATCH = 50_000;
const SMALLINT_MAX = 32_767;

/** Date's range: +-8.64e15 ms. */
const isEpochMs = (v: unknown): v is number => Number.isSafeInteger(v) && Math.abs(v as number) <= 8.64e15;

/** Rows carry `timestamp` (UTC ISO); `timestamp_unix` (ms, added in 1.29) is the fallback. */
function pointTime(row: Doc): Point {
  const raw = row.timestamp;
  const unix = row.timestamp_unix;
  if (typeof raw === 'string') {
    const parsed = parseInstant(raw);
    if (parsed) return { ms: parsed.ms, iso: parsed.iso, day: parsed.iso.slice(0, 10) };
  } else if ((raw === undefined || raw === null) && isEpochMs(unix)) {
    const iso = new Date(unix).toISOString();
    return { ms: unix, iso, day: iso.slice(0, 10) };
  }
  throw new ProjectionError(
    `timestamp: expected an ISO 8601 date-time, got ${JSON.stringify(raw) ?? 'nothing'}`,
  );
}

function smallint(row: Doc, field: string): number {
  const v = int(row, field);
  if (v === null) throw new ProjectionError(`${field}: missing (required)`);
  if (v < 0 || v > SMALLINT_MAX) {
    throw new ProjectionError(`${field}: expected an integer from 0 to ${SMALLINT_MAX}, got ${v}`);
  }
  return v;
}

function dayRange(day: string): [string, string] {
  return [`${day}T00:00:00.000Z`, `${addDays(day, 1)}T00:00:00.000Z`];
}

export const heartRateSeries: Series<HeartRatePoint> = {
  dataType: 'heartrate',
  table: 'heart_rate_sample',
  lockClass: 0x736e0001,
  parse(row) {
    return { ...pointTime(row), bpm: smallint(row, 'bpm'), source: text(row, 'source') ?? 'unknown' };
  },
  key: (p) => `${p.ms}|${p.source}`,
  same: (a, b) => a.bpm === b.bpm,
  async insert(db, userId, points, onConflict) {
    const conflict = onConflict === 'nothing' ? sql`ON CONFLICT DO NOTHING` : sql``;
    for (const part of chunk(points, BATCH)) {
      await sql`INSERT INTO heart_rate_sample (user_id, ts, bpm, source)
        SELECT ${userId}, u.ts, u.bpm, u.source
        FROM unnest(${part.map((p) => p.iso)}::timestamptz[], ${part.map((p) => p.bpm)}::smallint[],
          ${part.map((p) => p.source)}::text[]) AS u (ts, bpm, source)
        ${conflict}`.execute(db);
    }
  },
  async update(db, userId, points) {
    for (const part of chunk(points, BATCH)) {
      await sql`UPDATE heart_rate_sample h SET bpm = u.bpm
        FROM unnest(${part.map((p) => p.iso)}::timestamptz[], ${part.map((p) => p.bpm)}::smallint[],
          ${part.map((p) => p.source)}::text[]) AS u (ts, bpm, source)
        WHERE h.user_id = ${userId} AND h.ts = u.ts AND h.source = u.source`.execute(db);
    }
  },
  async load(db, userId, fromMs, toMs) {
    const rows = await db
      .selectFrom('heart_rate_sample')
      .select(['ts', 'bpm', 'source'])
      .where('user_id', '=', userId)
      .where('ts', '>=', new Date(fromMs))
      .where('ts', '<=', new Date(toMs))
      .execute();
    return rows.map((r) => {
      const iso = r.ts.toISOString();
      return { ms: r.ts.getTime(), iso, day: iso.slice(0, 10), bpm: r.bpm, source: r.source };
    });
  },
  async deleteDay(db, userId, day) {
    const [from, to] = dayRange(day);
    await db
      .deleteFrom('heart_rate_sample')
      .where('user_id', '=', userId)
      .where('ts', '>=', new Date(from))
      .where('ts', '<', new Date(to))
      .execute();
  },
};

export const batterySeries: Series<BatteryPoint> = {
  dataType: 'ring_battery_level',
  table: 'battery_sample',
  lockClass: 0x736e0002,
  parse(row) {
    return {
      ...pointTime(row),
      level: smallint(row, 'level'),
      charging: bool(row, 'charging'),
      inCharger: bool(row, 'in_charger'),
    };
  },
  key: (p) => String(p.ms),
  same: (a, b) => a.level === b.level && a.charging === b.charging && a.inCharger === b.inCharger,
  async insert(db, userId, points, onConflict) {
    const conflict = onConflict === 'nothing' ? sql`ON CONFLICT DO NOTHING` : sql``;
    for (const part of chunk(points, BATCH)) {
      await sql`INSERT INTO battery_sample (user_id, ts, level, charging, in_charger)
        SELECT ${userId}, u.ts, u.level, u.charging, u.in_charger
        FROM unnest(${part.map((p) => p.iso)}::timestamptz[], ${part.map((p) => p.level)}::smallint[],
          ${part.map((p) => p.charging)}::boolean[], ${part.map((p) => p.inCharger)}::boolean[])
          AS u (ts, level, charging, in_charger)
        ${conflict}`.execute(db);
    }
  },
  async update(db, userId, points) {
    for (const part of chunk(points, BATCH)) {
      await sql`UPDATE battery_sample b
        SET level = u.level, charging = u.charging, in_charger = u.in_charger
        FROM unnest(${part.map((p) => p.iso)}::timestamptz[], ${part.map((p) => p.level)}::smallint[],
          ${part.map((p) => p.charging)}::boolean[], ${part.map((p) => p.inCharger)}::boolean[])
          AS u (ts, level, charging, in_charger)
        WHERE b.user_id = ${userId} AND b.ts = u.ts`.execute(db);
    }
  },
  async load(db, userId, fromMs, toMs) {
    const rows = await db
      .selectFrom('battery_sample')
      .select(['ts', 'level', 'charging', 'in_charger'])
      .where('user_id', '=', userId)
      .where('ts', '>=', new Date(fromMs))
      .where('ts', '<=', new Date(toMs))
      .execute();
    return rows.map((r) => {
      const iso = r.ts.toISOString();
      return {
        ms: r.ts.getTime(),
        iso,
        day: iso.slice(0, 10),
        level: r.level,
        charging: r.charging,
        inCharger: r.in_charger,
      };
    });
  },
  async deleteDay(db, userId, day) {
    const [from, to] = dayRange(day);
    await db
      .deleteFrom('battery_sample')
      .where('user_id', '=', userId)
      .where('ts', '>=', new Date(from))
      .where('ts', '<', new Date(to))
      .execute();
  },
};

export const SERIES = {
  heartrate: heartRateSeries,
  ring_battery_level: batterySeries,
} as const;
