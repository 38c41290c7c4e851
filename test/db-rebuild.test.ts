import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, OpenDatabase } from '../src/db/database.ts';
import { markDocumentDeleted, storeDocuments, storeTimeSeries } from '../src/db/documents.ts';
import { PROJECTION_TABLES, PROJECTIONS } from '../src/db/projections/index.ts';
import type { DocumentDataType } from '../src/db/projections/types.ts';
import { rebuildProjections } from '../src/db/rebuild.ts';
import { fixture } from './fixtures/db/load.ts';
import { openTestDatabase } from './support/db.ts';

const TYPES = Object.keys(PROJECTIONS) as DocumentDataType[];
const NIGHT = 'a1b2c3d4-0001-4000-8000-000000000001';

let database: OpenDatabase;
let db: Db;
let alice: number;
let bob: number;

/** Every projection table's rows, in key order, as JSON text (so Dates compare exactly). */
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of PROJECTION_TABLES) {
    const order =
      table === 'heart_rate_sample'
        ? sql`user_id, ts, source`
        : table === 'battery_sample'
          ? sql`user_id, ts`
          : sql`user_id, id`;
    const { rows } = await sql`SELECT * FROM ${sql.table(table)} ORDER BY ${order}`.execute(db);
    out[table] = JSON.stringify(rows);
  }
  return out;
}

async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of PROJECTION_TABLES) {
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db);
    out[table] = rows[0]?.n ?? 0;
  }
  return out;
}

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
  const users = await db
    .insertInto('app_user')
    .values([{ name: 'alice' }, { name: 'bob' }])
    .returning('id')
    .execute();
  [alice, bob] = users.map((u) => u.id) as [number, number];
  for (const userId of [alice, bob]) {
    for (const type of TYPES) {
      await storeDocuments(db, { userId, dataType: type, documents: fixture(type) });
    }
    await storeTimeSeries(db, { userId, dataType: 'heartrate', rows: fixture('heartrate') });
    await storeTimeSeries(db, {
      userId,
      dataType: 'ring_battery_level',
      rows: fixture('ring_battery_level'),
    });
  }
  await markDocumentDeleted(db, { userId: alice, dataType: 'sleep', docId: NIGHT });
  await markDocumentDeleted(db, { userId: bob, dataType: 'heartrate', docId: '2024-03-12' });
});
afterAll(async () => {
  await database?.close();
});

describe('rebuildProjections', () => {
  it('derives exactly the same typed tables from raw_document alone', async () => {
    const before = await snapshot();
    const counts = await rebuildProjections(db);
    expect(counts).toEqual(await rowCounts());
    expect(counts.sleep_period).toBe(2 * fixture('sleep').length - 1);
    expect(counts.heart_rate_sample).toBe(6 + 4);
    expect(await snapshot()).toEqual(before);
  });

  it("repairs one user's tables without touching another's", async () => {
    const before = await snapshot();
    await db.updateTable('sleep_period').set({ efficiency: 1 }).execute();
    await db.deleteFrom('daily_sleep').execute();
    await db.deleteFrom('heart_rate_sample').where('user_id', '=', alice).execute();

    const counts = await rebuildProjections(db, { userId: alice });
    expect(counts.daily_sleep).toBe(fixture('daily_sleep').length);
    expect(counts.heart_rate_sample).toBe(6);
    const bobNight = await db
      .selectFrom('sleep_period')
      .select('efficiency')
      .where('user_id', '=', bob)
      .where('id', '=', NIGHT)
      .executeTakeFirstOrThrow();
    expect(bobNight.efficiency).toBe(1);
    const aliceDailySleep = await db
      .selectFrom('daily_sleep')
      .select('id')
      .where('user_id', '=', alice)
      .execute();
    expect(aliceDailySleep).toHaveLength(2);

    await rebuildProjections(db);
    expect(await snapshot()).toEqual(before);
  });

  it('records a stored document that no longer projects, and builds the rest', async () => {
    const broken = 'ds-2024-03-12';
    await sql`UPDATE raw_document SET document = jsonb_set(document, '{score}', '"high"')
      WHERE user_id = ${alice} AND data_type = 'daily_sleep' AND doc_id = ${broken}`.execute(db);
    const counts = await rebuildProjections(db, { userId: alice });
    expect(counts.invalid).toBe(1);
    expect(counts.daily_sleep).toBe(1);
    const errors = await db
      .selectFrom('sync_error_document')
      .select(['doc_id', 'message'])
      .where('user_id', '=', alice)
      .execute();
    expect(errors).toEqual([
      {
        doc_id: broken,
        message: `daily_sleep document '${broken}': score: expected an integer, got "high"`,
      },
    ]);
  });
});
