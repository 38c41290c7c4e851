import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../src/db/backup/backup.ts';
import { restoreDatabase } from '../src/db/backup/restore.ts';
import { type OpenDatabase, openDatabase } from '../src/db/database.ts';
import { migrateTo } from '../src/db/migrate.ts';
import { MIGRATIONS } from '../src/db/migrations/index.ts';
import { createCliDatabase } from './support/cliDatabase.ts';
import { openTestDatabase } from './support/db.ts';

/**
 * The backup is online: it reads one snapshot while the app keeps writing, and neither side
 * waits for the other to finish.
 */

let database: OpenDatabase;
let dir: string;

beforeAll(async () => {
  database = await openTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'snowtorch-db-backup-'));
  await database.db.insertInto('app_user').values({ name: 'demo' }).execute();
}, 60_000);

afterAll(async () => {
  await database?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function auditRows(): Promise<number> {
  const row = await database.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('backupDatabase', () => {
  it('takes a consistent snapshot while rows keep arriving', async () => {
    const before = await auditRows();
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing && written < 500) {
        await database.db
          .insertInto('audit_log')
          .values({ event: 'login', actor_name: 'demo' })
          .execute();
        written++;
      }
    })();
    const manifest = await backupDatabase(database, join(dir, 'online.zip'));
    writing = false;
    await writer;
    const after = await auditRows();
    const audit = manifest.tables.find((t) => t.name === 'audit_log');
    // Some point in time between the first and the last write, never a torn read.
    expect(audit?.rows).toBeGreaterThanOrEqual(before);
    expect(audit?.rows).toBeLessThanOrEqual(after);
    expect(written).toBeGreaterThan(0);
    expect(after).toBe(before + written);
    expect(manifest.tables.find((t) => t.name === 'app_user')?.rows).toBe(1);
  });

  it('restores a backup of an older schema, then brings it up to date; never into a newer one', async () => {
    const names = Object.keys(MIGRATIONS);
    const older = names[names.length - 2] ?? '';
    const source = await createCliDatabase('backup-older');
    const target = await createCliDatabase('backup-newer');
    const file = join(dir, 'older.zip');
    try {
      const src = await openDatabase(source.config);
      try {
        await migrateTo(src.db, older);
        await src.db.insertInto('app_user').values({ name: 'demo' }).execute();
        expect((await backupDatabase(src, file)).migration).toBe(older);
      } finally {
        await src.close();
      }
      const dst = await openDatabase(target.config);
      try {
        const { upgradedWith } = await restoreDatabase(dst, file);
        expect(upgradedWith).toEqual(names.slice(-1));
        const users = await dst.db.selectFrom('app_user').select('name').execute();
        expect(users).toEqual([{ name: 'demo' }]);
        // The target now has rows and the newer schema: a second restore is refused.
        await expect(restoreDatabase(dst, file)).rejects.toThrow(/not empty/);
      } finally {
        await dst.close();
      }
    } finally {
      await source.cleanup();
      await target.cleanup();
    }
  });
});
