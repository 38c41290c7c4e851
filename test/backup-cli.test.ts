import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../src/accounts/secrets.ts';
import type { DatabaseConfig } from '../src/config/env.ts';
import { decryptToken, encryptToken } from '../src/crypto/tokenCipher.ts';
import { recordAudit } from '../src/db/auditLog.ts';
import { saveConnection } from '../src/db/connections.ts';
import { type Db, openDatabase } from '../src/db/database.ts';
import { storeDocuments } from '../src/db/documents.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { storeTimeSeries } from '../src/db/timeSeries.ts';
import { DOCUMENT_DATA_TYPES } from '../src/oura/routes.ts';
import { fixture } from './fixtures/db/load.ts';
import { createCliDatabase } from './support/cliDatabase.ts';

/**
 * `snowtorch backup` and `snowtorch restore`: a database with accounts, encrypted Oura tokens,
 * documents of every type and time series goes through a backup file into a new, empty
 * database, and comes out the same, table by table.
 */

const run = promisify(execFile);
const BIN = new URL('../bin/snowtorch.js', import.meta.url).pathname;
const KEY = randomBytes(32);

type CliDb = Awaited<ReturnType<typeof createCliDatabase>>;
let source: CliDb;
let target: CliDb;
let dir: string;
let archive: string;
/** The source's rows when it was backed up, and the target's after the restore. */
let sourceRows: Awaited<ReturnType<typeof contents>>;
let targetRows: Awaited<ReturnType<typeof contents>>;

async function snowtorch(db: CliDb, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: db.env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function withDb<T>(config: DatabaseConfig, work: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/**
 * Every table's rows as one sorted list of JSON texts, and their count: read with plain SELECTs,
 * independent of the COPY path backup and restore use.
 */
async function contents(db: Db): Promise<Record<string, { rows: number; json: string[] }>> {
  const { rows: tables } = await sql<{ name: string }>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`.execute(
    db,
  );
  const out: Record<string, { rows: number; json: string[] }> = {};
  for (const { name } of tables) {
    if (name.startsWith('kysely_migration')) continue;
    const { rows } = await sql<{ j: string }>`
      SELECT row_to_json(t)::text AS j FROM ${sql.table(name)} t ORDER BY 1`.execute(db);
    out[name] = { rows: rows.length, json: rows.map((r) => r.j) };
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snowtorch-backup-'));
  archive = join(dir, 'snowtorch.backup.zip');
  source = await createCliDatabase('backup-source');
  target = await createCliDatabase('backup-target');
  await withDb(source.config, async (db) => {
    await migrateToLatest(db);
    const owner = await db
      .insertInto('app_user')
      .values({ name: 'demo', role: 'owner', password_hash: await hashPassword('correct horse 1') })
      .returning('id')
      .executeTakeFirstOrThrow();
    const member = await db
      .insertInto('app_user')
      .values({ name: 'alex' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await saveConnection(db, {
      userId: owner.id,
      ouraUserId: 'oura-demo',
      accessTokenEnc: encryptToken('access-token-demo', KEY),
      refreshTokenEnc: encryptToken('refresh-token-demo', KEY),
      accessExpiresAt: new Date('2026-12-01T10:00:00Z'),
      scopes: ['daily', 'heartrate'],
    });
    for (const dataType of DOCUMENT_DATA_TYPES) {
      const documents = fixture(dataType);
      // Text that COPY must escape: tab, newline, backslash, quotes, non-Latin letters.
      if (dataType === 'enhanced_tag' && documents[0]) {
        documents[0].comment = 'tab\there\nnew line \\ back "quoted" Schlaf ümlaut 睡眠 😴';
      }
      await storeDocuments(db, { userId: owner.id, dataType, documents });
    }
    await storeDocuments(db, { userId: member.id, dataType: 'sleep', documents: fixture('sleep') });
    await storeTimeSeries(db, {
      userId: owner.id,
      dataType: 'heartrate',
      rows: fixture('heartrate'),
    });
    await storeTimeSeries(db, {
      userId: owner.id,
      dataType: 'ring_battery_level',
      rows: fixture('ring_battery_level'),
    });
    await recordAudit(db, {
      actorId: owner.id,
      actorName: 'demo',
      event: 'login',
      ip: '127.0.0.1',
    });
  });
}, 60_000);

afterAll(async () => {
  await source?.cleanup();
  await target?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('snowtorch backup / restore', () => {
  it('backs up every table to one file with a manifest of row counts', async () => {
    const res = await snowtorch(source, 'backup', archive, '--json');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const manifest = JSON.parse(res.stdout) as {
      migration: string;
      tables: { name: string; rows: number; sha256: string }[];
    };
    sourceRows = await withDb(source.config, contents);
    expect(Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows]))).toEqual(
      Object.fromEntries(Object.entries(sourceRows).map(([n, c]) => [n, c.rows])),
    );
    // Parents come before the tables that refer to them.
    const order = manifest.tables.map((t) => t.name);
    expect(order.indexOf('app_user')).toBeLessThan(order.indexOf('oura_connection'));
    expect(order.indexOf('app_user')).toBeLessThan(order.indexOf('raw_document'));
    for (const t of manifest.tables) expect(t.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('restores into an empty database with equal rows in every table, accounts and tokens included', async () => {
    const res = await snowtorch(target, 'restore', archive);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Restored from .* \(schema 2026-/);
    const before = sourceRows;
    await withDb(target.config, async (db) => {
      const after = await contents(db);
      expect(Object.keys(after)).toEqual(Object.keys(before));
      for (const name of Object.keys(before)) {
        expect(after[name]?.rows, name).toBe(before[name]?.rows);
        expect(after[name]?.json, name).toEqual(before[name]?.json);
      }
      expect(before.heart_rate_sample?.rows).toBeGreaterThan(0);
      const owner = await db
        .selectFrom('app_user')
        .selectAll()
        .where('name', '=', 'demo')
        .executeTakeFirstOrThrow();
      expect(await verifyPassword(owner.password_hash, 'correct horse 1')).toBe(true);
      const conn = await db
        .selectFrom('oura_connection')
        .selectAll()
        .where('user_id', '=', owner.id)
        .executeTakeFirstOrThrow();
      expect(decryptToken(conn.access_token_enc, [KEY])).toBe('access-token-demo');
      expect(decryptToken(conn.refresh_token_enc ?? '', [KEY])).toBe('refresh-token-demo');
      const tag = await db
        .selectFrom('enhanced_tag')
        .select('comment')
        .where('comment', 'like', 'tab%')
        .executeTakeFirstOrThrow();
      expect(tag.comment).toBe('tab\there\nnew line \\ back "quoted" Schlaf ümlaut 睡眠 😴');
      // New rows get ids after the restored ones.
      const fresh = await db
        .insertInto('app_user')
        .values({ name: 'sam' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const maxBefore = Math.max(...(before.app_user?.json ?? []).map((j) => JSON.parse(j).id));
      expect(fresh.id).toBeGreaterThan(maxBefore);
      targetRows = await contents(db);
    });
  });

  it('refuses to restore into a database that holds rows, and leaves it as it was', async () => {
    const res = await snowtorch(target, 'restore', archive);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('restore: The target database is not empty');
    expect(res.stderr).toContain('app_user');
    expect(await withDb(target.config, contents)).toEqual(targetRows);
  });

  it('refuses a file that is not a backup', async () => {
    const bogus = join(dir, 'bogus.zip');
    await writeFile(bogus, 'not a zip');
    const res = await snowtorch(target, 'restore', bogus);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^snowtorch: restore: .*bogus\.zip is not a Snowtorch backup/);
    expect(res.stderr).not.toContain('    at ');
  });
});
