import { sql } from 'kysely';
import type { Db } from './database.ts';
import { ProjectionError } from './errors.ts';
import type { SampleTable, TimeSeriesDataType } from './projections/types.ts';
import { addDays, bool, type Doc, int, parseInstant, text } from './projections/values.ts';
import { chunk } from './rows.ts';

/**
 * The two time series (`heartrate`, `ring_battery_level`): row parsing and the bulk SQL for
 * their sample tables. Inserts pass whole columns as arrays to `unnest`, one statement per
 * 50,000 samples, which keeps ingest close to COPY speed while staying plain SQL that runs
 * inside the caller's transaction.
 */

export interface Point {
  /** Milliseconds since the epoch. */
  ms: number;
  /** The instant as an ISO 8601 string PostgreSQL reads exactly (offset as written, or Z). */
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

/**
 * A PostgreSQL array literal ('{...}') passed as ONE text parameter and cast in SQL: much
 * cheaper for both drivers than serialising a JS array element by element. Strings are always
 * quoted and escaped; null is NULL.
 */
function arrayLiteral(values: readonly (string | number | boolean | null)[]): string {
  const parts: string[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (typeof v === 'string') parts[i] = `"${v.replace(/["\\]/g, '\\$&')}"`;
    else if (typeof v === 'boolean') parts[i] = v ? 't' : 'f';
    else parts[i] = String(v);
  }
  return `{${parts.join(',')}}`;
}

const column = <P>(points: readonly P[], pick: (p: P) => string | number | boolean | null) =>
  arrayLiteral(points.map(pick));

const SMALLINT_MAX = 32_767;

/** Date's range: +-8.64e15 ms. */
const isEpochMs = (v: unknown): v is number =>
  Number.isSafeInteger(v) && Math.abs(v as number) <= 8.64e15;

/**
 * The shape Oura sends (`2024-03-11T06:00:00+00:00`): parsed natively and passed to PostgreSQL
 * as written. Offsets stay within what PostgreSQL accepts (+-15:59) and fractions within
 * milliseconds, so the stored instant equals the parsed one exactly.
 */
const PLAIN_ISO =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-](?:0\d|1[0-5]):[0-5]\d)$/;

/** Date.parse rolls 2023-02-29 over to March; PostgreSQL rejects it. Check the day exists. */
function isCalendarDay(iso: string): boolean {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

const dayNames = new Map<number, string>();
function utcDay(ms: number): string {
  const n = Math.floor(ms / 86_400_000);
  let name = dayNames.get(n);
  if (name === undefined) {
    name = new Date(n * 86_400_000).toISOString().slice(0, 10);
    if (dayNames.size > 10_000) dayNames.clear();
    dayNames.set(n, name);
  }
  return name;
}

/** Rows carry `timestamp` (UTC ISO); `timestamp_unix` (ms, added in 1.29) is the fallback. */
function pointTime(row: Doc): Point {
  const raw = row.timestamp;
  if (typeof raw === 'string') {
    if (PLAIN_ISO.test(raw) && isCalendarDay(raw)) {
      const ms = Date.parse(raw);
      if (!Number.isNaN(ms)) return { ms, iso: raw, day: utcDay(ms) };
    }
    const parsed = parseInstant(raw);
    if (parsed) return { ms: parsed.ms, iso: parsed.iso, day: utcDay(parsed.ms) };
  } else if ((raw === undefined || raw === null) && isEpochMs(row.timestamp_unix)) {
    const ms = row.timestamp_unix;
    return { ms, iso: new Date(ms).toISOString(), day: utcDay(ms) };
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
    const { ms, iso, day } = pointTime(row);
    return { ms, iso, day, bpm: smallint(row, 'bpm'), source: text(row, 'source') ?? 'unknown' };
  },
  key: (p) => `${p.ms}|${p.source}`,
  same: (a, b) => a.bpm === b.bpm,
  async insert(db, userId, points, onConflict) {
    const conflict = onConflict === 'nothing' ? sql`ON CONFLICT DO NOTHING` : sql``;
    for (const part of chunk(points, BATCH)) {
      await sql`INSERT INTO heart_rate_sample (user_id, ts, bpm, source)
        SELECT ${userId}, u.ts, u.bpm, u.source
        FROM unnest(${column(part, (p) => p.iso)}::text::timestamptz[],
          ${column(part, (p) => p.bpm)}::text::smallint[],
          ${column(part, (p) => p.source)}::text::text[]) AS u (ts, bpm, source)
        ${conflict}`.execute(db);
    }
  },
  async update(db, userId, points) {
    for (const part of chunk(points, BATCH)) {
      await sql`UPDATE heart_rate_sample h SET bpm = u.bpm
        FROM unnest(${column(part, (p) => p.iso)}::text::timestamptz[],
          ${column(part, (p) => p.bpm)}::text::smallint[],
          ${column(part, (p) => p.source)}::text::text[]) AS u (ts, bpm, source)
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
    const { ms, iso, day } = pointTime(row);
    return {
      ms,
      iso,
      day,
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
        FROM unnest(${column(part, (p) => p.iso)}::text::timestamptz[],
          ${column(part, (p) => p.level)}::text::smallint[],
          ${column(part, (p) => p.charging)}::text::boolean[],
          ${column(part, (p) => p.inCharger)}::text::boolean[]) AS u (ts, level, charging, in_charger)
        ${conflict}`.execute(db);
    }
  },
  async update(db, userId, points) {
    for (const part of chunk(points, BATCH)) {
      await sql`UPDATE battery_sample b
        SET level = u.level, charging = u.charging, in_charger = u.in_charger
        FROM unnest(${column(part, (p) => p.iso)}::text::timestamptz[],
          ${column(part, (p) => p.level)}::text::smallint[],
          ${column(part, (p) => p.charging)}::text::boolean[],
          ${column(part, (p) => p.inCharger)}::text::boolean[]) AS u (ts, level, charging, in_charger)
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
