import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../src/db/backup/backup.ts';
import type { OpenDatabase } from '../src/db/database.ts';
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
});
