import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, OpenDatabase } from '../src/db/database.ts';
import {
  markDocumentDeleted,
  reconcileDeletions,
  type StoreResult,
  storeDocuments,
} from '../src/db/documents.ts';
import { PROJECTIONS } from '../src/db/projections/index.ts';
import type { DocumentDataType } from '../src/db/projections/types.ts';
import { fixture, fixtureDoc } from './fixtures/db/load.ts';
import { openTestDatabase } from './support/db.ts';

const TYPES = Object.keys(PROJECTIONS) as DocumentDataType[];
const NIGHT = 'a1b2c3d4-0001-4000-8000-000000000001';

let database: OpenDatabase;
let db: Db;

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
});
afterAll(async () => {
  await database?.close();
});

let users = 0;
async function createUser(): Promise<number> {
  users++;
  const row = await db
    .insertInto('app_user')
    .values({ name: `person-${users}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function count(table: string, userId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE user_id = ${userId}`.execute(db);
  return rows[0]?.n ?? 0;
}

async function rawOf(userId: number, dataType: string, docId: string) {
  return db
    .selectFrom('raw_document')
    .selectAll()
    .where('user_id', '=', userId)
    .where('data_type', '=', dataType)
    .where('doc_id', '=', docId)
    .executeTakeFirst();
}

const result = (r: Partial<StoreResult>): StoreResult => ({
  inserted: 0,
  updated: 0,
  unchanged: 0,
  invalid: 0,
  ...r,
});

describe('storeDocuments', () => {
  it('keeps every data type raw and projects it into its typed table', async () => {
    const userId = await createUser();
    for (const type of TYPES) {
      const docs = fixture(type);
      expect(await storeDocuments(db, { userId, dataType: type, documents: docs }), type).toEqual(
        result({ inserted: docs.length }),
      );
      expect(await count(PROJECTIONS[type].table, userId), type).toBe(docs.length);
      const raw = await rawOf(userId, type, String(docs[0]?.id));
      expect(raw?.document, type).toEqual(docs[0]);
      expect(raw?.content_hash, type).toMatch(/^[0-9a-f]{64}$/);
    }

    const night = await rawOf(userId, 'sleep', NIGHT);
    expect(night).toMatchObject({ day: '2024-03-11', utc_offset_minutes: 60, deleted_at: null });
    const period = await db
      .selectFrom('sleep_period')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', NIGHT)
      .executeTakeFirstOrThrow();
    expect(period).toMatchObject({
      day: '2024-03-11',
      sleep_day: '2024-03-11',
      type: 'long_sleep',
      average_hrv: 61,
      average_breath: 14.375,
      efficiency: 91,
      readiness_score: 82,
      readiness_contributor_hrv_balance: 74,
      heart_rate_interval: 300,
      hrv_items: [40, 47, 45, null, 41, 48],
    });
    expect(period.heart_rate_items).toEqual([null, 57, 55, 53, 51, 58]);
    expect(period.bedtime_start.toISOString()).toBe('2024-03-10T22:10:30.000Z');
    expect(period.heart_rate_start?.toISOString()).toBe('2024-03-10T22:10:30.000Z');

    const sleepTime = await db
      .selectFrom('sleep_time')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('day')
      .execute();
    expect(
      sleepTime.map((r) => [r.day, r.utc_offset_minutes, r.optimal_bedtime_start_offset]),
    ).toEqual([
      ['2024-03-11', 60, -5400],
      ['2024-03-12', null, null],
    ]);
    // A LocalDateTime without an offset is read as UTC and keeps no offset.
    const tags = await db
      .selectFrom('enhanced_tag')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    expect(tags.map((t) => [t.id, t.start_time.toISOString(), t.utc_offset_minutes])).toEqual([
      ['et-0001', '2024-03-11T07:30:00.000Z', 60],
      ['et-0002', '2024-03-11T21:00:00.000Z', null],
    ]);
    const legacyTag = await db
      .selectFrom('tag')
      .select(['tags', 'text'])
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    expect(legacyTag).toEqual({
      tags: ['tag_generic_late_meal', 'tag_generic_alcohol'],
      text: 'late dinner',
    });
    const ring = await rawOf(userId, 'ring_configuration', 'rc-0001');
    expect(ring).toMatchObject({ day: null, utc_offset_minutes: null });
    const activity = await db
      .selectFrom('daily_activity')
      .select(['steps', 'met_items', 'met_interval', 'contributor_training_volume'])
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    expect(activity).toEqual({
      steps: 9421,
      met_items: [0.9, 1.1, 1.4, 2.8, 1.0, null, 0.9, 1.2],
      met_interval: 60,
      contributor_training_volume: 96,
    });
  });

  it('finds a second copy unchanged and writes nothing, whatever the key order', async () => {
    const userId = await createUser();
    const fetchedAt = new Date('2024-03-15T08:00:00Z');
    for (const type of TYPES) {
      await storeDocuments(db, { userId, dataType: type, documents: fixture(type), fetchedAt });
    }
    const before = await Promise.all(TYPES.map((t) => count(PROJECTIONS[t].table, userId)));
    for (const type of TYPES) {
      const docs = fixture(type).map((d) => Object.fromEntries(Object.entries(d).reverse()));
      expect(
        await storeDocuments(db, {
          userId,
          dataType: type,
          documents: docs,
          fetchedAt: new Date(),
        }),
        type,
      ).toEqual(result({ unchanged: docs.length }));
    }
    expect(await Promise.all(TYPES.map((t) => count(PROJECTIONS[t].table, userId)))).toEqual(
      before,
    );
    // Not rewritten: the fetch time is still the first one.
    const raw = await rawOf(userId, 'sleep', NIGHT);
    expect(raw?.fetched_at.toISOString()).toBe(fetchedAt.toISOString());
  });

  it('stores text that merely looks like an escape, and refuses a lone surrogate', async () => {
    const userId = await createUser();
    // A literal backslash before "u0000" and "ud800": JSON writes them as \\u0000, \\ud800.
    // Line breaks and separators inside strings come back as they were.
    const lookalike = {
      ...fixtureDoc('sleep', NIGHT),
      ring_id: 'ring\\u0000\\ud800id',
      note: 'one\ntwo\r\nthree\u2028',
    };
    const lone = { ...fixtureDoc('sleep', 'a1b2c3d4-0005-4000-8000-000000000005') };
    lone.ring_id = 'ring\uD800id';
    expect(
      await storeDocuments(db, { userId, dataType: 'sleep', documents: [lookalike, lone] }),
    ).toEqual(result({ inserted: 1, invalid: 1 }));
    expect((await rawOf(userId, 'sleep', NIGHT))?.document).toEqual(lookalike);
    const errors = await db
      .selectFrom('sync_error_document')
      .select('message')
      .where('user_id', '=', userId)
      .execute();
    expect(errors.map((e) => e.message)).toEqual([
      "sleep document 'a1b2c3d4-0005-4000-8000-000000000005': contains an unpaired UTF-16 surrogate, which PostgreSQL cannot store",
    ]);
  });

  it('rewrites a changed document and its projection', async () => {
    const userId = await createUser();
    await storeDocuments(db, {
      userId,
      dataType: 'daily_sleep',
      documents: fixture('daily_sleep'),
    });
    const before = await rawOf(userId, 'daily_sleep', 'ds-2024-03-11');
    const changed = fixtureDoc('daily_sleep', 'ds-2024-03-11');
    changed.score = 64;
    (changed.contributors as Record<string, unknown>).timing = 12;
    changed.a_field_from_a_newer_spec = { kept: true };
    expect(
      await storeDocuments(db, {
        userId,
        dataType: 'daily_sleep',
        documents: [changed, fixtureDoc('daily_sleep', 'ds-2024-03-12')],
      }),
    ).toEqual(result({ updated: 1, unchanged: 1 }));
    const row = await db
      .selectFrom('daily_sleep')
      .select(['score', 'contributor_timing', 'contributor_deep_sleep'])
      .where('user_id', '=', userId)
      .where('id', '=', 'ds-2024-03-11')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ score: 64, contributor_timing: 12, contributor_deep_sleep: 72 });
    const after = await rawOf(userId, 'daily_sleep', 'ds-2024-03-11');
    expect(after?.content_hash).not.toBe(before?.content_hash);
    expect(after?.document).toEqual(changed);
  });

  it('records a malformed document, stores the rest of the batch, and never half-writes', async () => {
    const userId = await createUser();
    const good = fixtureDoc('sleep', NIGHT);
    await storeDocuments(db, { userId, dataType: 'sleep', documents: [good] });

    const wrongType = { ...good, average_heart_rate: 'fast' };
    const badTime = { ...fixtureDoc('sleep', 'a1b2c3d4-0002-4000-8000-000000000002') };
    badTime.bedtime_end = 'yesterday';
    const badSeries = { ...fixtureDoc('sleep', 'a1b2c3d4-0004-4000-8000-000000000004') };
    badSeries.heart_rate = { interval: 300, items: [50, 'x'], timestamp: badSeries.bedtime_start };
    const nul = { ...fixtureDoc('sleep', 'a1b2c3d4-0006-4000-8000-000000000006') };
    nul.ring_id = 'ring\u0000id';
    const noId = { ...fixtureDoc('sleep', 'a1b2c3d4-0009-4000-8000-000000000009'), id: undefined };
    const fine = fixtureDoc('sleep', 'a1b2c3d4-0005-4000-8000-000000000005');
    const documents = [wrongType, badTime, badSeries, nul, noId, fine, 42] as Record<
      string,
      unknown
    >[];

    expect(await storeDocuments(db, { userId, dataType: 'sleep', documents })).toEqual(
      result({ inserted: 1, invalid: 6 }),
    );
    // The stored version of the night is untouched by its malformed copy.
    const night = await db
      .selectFrom('sleep_period')
      .select('average_heart_rate')
      .where('user_id', '=', userId)
      .where('id', '=', NIGHT)
      .executeTakeFirstOrThrow();
    expect(night.average_heart_rate).toBe(52.5);
    expect((await rawOf(userId, 'sleep', NIGHT))?.document).toEqual(good);
    expect(await count('sleep_period', userId)).toBe(2);
    expect(await count('raw_document', userId)).toBe(2);

    const errors = await db
      .selectFrom('sync_error_document')
      .select(['doc_id', 'message', 'document'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    expect(errors.map((e) => e.message)).toEqual([
      `sleep document '${NIGHT}': average_heart_rate: expected a number, got "fast"`,
      'sleep document \'a1b2c3d4-0002-4000-8000-000000000002\': bedtime_end: expected an ISO 8601 date-time, got "yesterday"',
      'sleep document \'a1b2c3d4-0004-4000-8000-000000000004\': heart_rate.items: expected an array of numbers or nulls, got [50,"x"]',
      "sleep document 'a1b2c3d4-0006-4000-8000-000000000006': contains a NUL character (\\u0000), which PostgreSQL cannot store",
      'sleep document: id: expected a non-empty string',
      'sleep document: expected a JSON object',
    ]);
    expect(errors[0]?.document).toEqual(wrongType);
    expect(errors[3]?.document).toMatchObject({ ring_id: 'ring\uFFFDid' });
    expect(errors[5]?.document).toEqual({ value: 42 });

    // Seen again: the records are replaced, not piled up. Fixed: the record goes away.
    await storeDocuments(db, { userId, dataType: 'sleep', documents: [wrongType, badTime] });
    expect(await count('sync_error_document', userId)).toBe(6);
    const fixedTime = fixtureDoc('sleep', 'a1b2c3d4-0002-4000-8000-000000000002');
    expect(
      await storeDocuments(db, { userId, dataType: 'sleep', documents: [fixedTime, good] }),
    ).toEqual(result({ inserted: 1, unchanged: 1 }));
    const left = await db
      .selectFrom('sync_error_document')
      .select('doc_id')
      .where('user_id', '=', userId)
      .execute();
    expect(left.map((e) => e.doc_id).sort()).toEqual([
      'a1b2c3d4-0004-4000-8000-000000000004',
      'a1b2c3d4-0006-4000-8000-000000000006',
      null,
      null,
    ]);
  });

  it('counts a document repeated in one batch once, keeping the later copy', async () => {
    const userId = await createUser();
    const first = fixtureDoc('daily_stress', 'dst-2024-03-11');
    const second = { ...first, stress_high: 7200 };
    expect(
      await storeDocuments(db, { userId, dataType: 'daily_stress', documents: [first, second] }),
    ).toEqual(result({ inserted: 1, unchanged: 1 }));
    const row = await db
      .selectFrom('daily_stress')
      .select('stress_high')
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    expect(row.stress_high).toBe(7200);
  });

  it('stores large batches in few statements', async () => {
    const userId = await createUser();
    const template = fixtureDoc('daily_readiness', 'dr-2024-03-11');
    const documents = Array.from({ length: 1500 }, (_, i) => {
      const day = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      return {
        ...template,
        id: `dr-${day}`,
        day,
        timestamp: `${day}T00:00:00+02:00`,
        score: i % 100,
      };
    });
    expect(await storeDocuments(db, { userId, dataType: 'daily_readiness', documents })).toEqual(
      result({ inserted: 1500 }),
    );
    expect(await count('daily_readiness', userId)).toBe(1500);
    expect(await storeDocuments(db, { userId, dataType: 'daily_readiness', documents })).toEqual(
      result({ unchanged: 1500 }),
    );
  });

  it("joins the caller's transaction: rolled back together", async () => {
    const userId = await createUser();
    await db
      .transaction()
      .execute(async (trx) => {
        await storeDocuments(trx, { userId, dataType: 'tag', documents: fixture('tag') });
        expect(
          await trx.selectFrom('tag').select('id').where('user_id', '=', userId).execute(),
        ).toHaveLength(1);
        throw new Error('abort');
      })
      .catch(() => {});
    expect(await count('tag', userId)).toBe(0);
    expect(await count('raw_document', userId)).toBe(0);
  });
});

describe('deletions', () => {
  it('reconciles a listed window: unseen documents are marked deleted and leave the projections', async () => {
    const userId = await createUser();
    const docs = fixture('sleep');
    await storeDocuments(db, { userId, dataType: 'sleep', documents: docs });
    const inWindow = docs.filter((d) => d.day === '2024-03-11' || d.day === '2024-03-12');
    expect(inWindow).toHaveLength(5);
    const seen = new Set(inWindow.map((d) => String(d.id)).filter((id) => id !== NIGHT));

    const args = { userId, dataType: 'sleep' as const, fromDay: '2024-03-11', toDay: '2024-03-12' };
    expect(await reconcileDeletions(db, { ...args, seenIds: seen })).toBe(1);
    expect(await reconcileDeletions(db, { ...args, seenIds: seen })).toBe(0);

    const raw = await rawOf(userId, 'sleep', NIGHT);
    expect(raw?.deleted_at).toBeInstanceOf(Date);
    expect(raw?.document).toEqual(fixtureDoc('sleep', NIGHT));
    expect(await count('sleep_period', userId)).toBe(docs.length - 1);
    // Outside the window nothing is touched, even though it was not "seen".
    expect(await count('raw_document', userId)).toBe(docs.length);
    const live = await db
      .selectFrom('raw_document')
      .select('doc_id')
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .execute();
    expect(live).toHaveLength(docs.length - 1);

    // It reappears upstream: restored.
    expect(
      await storeDocuments(db, {
        userId,
        dataType: 'sleep',
        documents: [fixtureDoc('sleep', NIGHT)],
      }),
    ).toEqual(result({ updated: 1 }));
    expect((await rawOf(userId, 'sleep', NIGHT))?.deleted_at).toBeNull();
    expect(await count('sleep_period', userId)).toBe(docs.length);
  });

  it('reconciles a type listed without dates as a whole', async () => {
    const userId = await createUser();
    await storeDocuments(db, {
      userId,
      dataType: 'ring_configuration',
      documents: [...fixture('ring_configuration'), { id: 'rc-0002', hardware_type: 'gen4' }],
    });
    expect(
      await reconcileDeletions(db, {
        userId,
        dataType: 'ring_configuration',
        fromDay: '2024-03-01',
        toDay: '2024-03-31',
        seenIds: new Set(['rc-0002']),
      }),
    ).toBe(1);
    const rows = await db
      .selectFrom('ring_configuration')
      .select('id')
      .where('user_id', '=', userId)
      .execute();
    expect(rows).toEqual([{ id: 'rc-0002' }]);
  });

  it('marks one document deleted (a delete webhook)', async () => {
    const userId = await createUser();
    await storeDocuments(db, { userId, dataType: 'workout', documents: fixture('workout') });
    expect(await markDocumentDeleted(db, { userId, dataType: 'workout', docId: 'wo-0001' })).toBe(
      true,
    );
    expect(await markDocumentDeleted(db, { userId, dataType: 'workout', docId: 'wo-0001' })).toBe(
      false,
    );
    expect(await markDocumentDeleted(db, { userId, dataType: 'workout', docId: 'nope' })).toBe(
      false,
    );
    expect(await count('workout', userId)).toBe(0);
    expect((await rawOf(userId, 'workout', 'wo-0001'))?.deleted_at).toBeInstanceOf(Date);
  });
});
