import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, findLogin } from '../src/db/accounts.ts';
import { listAudit } from '../src/db/auditLog.ts';
import type { OpenDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { MIGRATIONS } from '../src/db/migrations/index.ts';
import { getOrCreateUser } from '../src/db/users.ts';
import { openTestDatabase } from './support/db.ts';

/**
 * Account names are unique regardless of case. The migration that makes them so keeps the
 * oldest spelling of names that already clash, renames the others visibly (audit log), and
 * leaves the old unique(name) in place so the previous release still runs beside it.
 */

let database: OpenDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe('case-insensitive account names', () => {
  it('renames clashing names when migrating, then refuses new clashes', async () => {
    const migrator = new Migrator({
      db: database.db,
      provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    });
    const back = await migrator.migrateTo('2026-11-29-020-accounts');
    expect(back.error).toBeUndefined();
    // Before: three spellings of one name were three accounts.
    const ids: number[] = [];
    for (const name of ['Sam', 'sam', 'SAM']) {
      const row = await database.db
        .insertInto('app_user')
        .values({ name })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    expect((await migrateToLatest(database.db)).applied).toContain(
      '2026-12-07-020-account-names-case-insensitive',
    );
    const names = await database.db
      .selectFrom('app_user')
      .select(['id', 'name'])
      .orderBy('id')
      .execute();
    expect(names.map((r) => r.name)).toEqual(['Sam', `sam-${ids[1]}`, `SAM-${ids[2]}`]);
    const renamed = (await listAudit(database.db, 10)).filter((e) => e.event === 'account_renamed');
    expect(renamed.map((e) => e.subject).sort()).toEqual([`SAM-${ids[2]}`, `sam-${ids[1]}`]);

    // After: lookups ignore case, and no second spelling can be created.
    expect((await findLogin(database.db, 'sAm'))?.account.id).toBe(ids[0]);
    expect((await getOrCreateUser(database.db, 'SAM')).id).toBe(ids[0]);
    await expect(
      createAccount(database.db, { name: 'sAM', passwordHash: 'x', role: 'member' }),
    ).resolves.toMatchObject({ id: ids[0] });
    await expect(
      database.db.insertInto('app_user').values({ name: 'saM' }).execute(),
    ).rejects.toThrow();
  });
});
