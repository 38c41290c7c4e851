import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { listRuns } from '../src/db/syncRuns.ts';
import { getSyncStates } from '../src/db/syncState.ts';
import type { User } from '../src/db/users.ts';
import {
  createPostgresTestDatabase,
  dropPostgresTestDatabase,
  testPostgresUrl,
} from './support/db.ts';
import {
  expectSameDocuments,
  expectSameSeries,
  type SyncHarness,
  startSyncHarness,
} from './support/syncHarness.ts';

/**
 * Crash safety: a sync in another process is killed with SIGKILL part-way; the next run must
 * leave the database exactly as if nothing had happened (on a throwaway database the two
 * processes share).
 */

const CHILD = fileURLToPath(new URL('./support/syncChild.ts', import.meta.url));

let dbName: string;
let databaseUrl: string;
let database: OpenDatabase;
let h: SyncHarness;
let user: User;

beforeAll(async () => {
  dbName = await createPostgresTestDatabase();
  databaseUrl = testPostgresUrl(dbName);
  database = await openDatabase({ kind: 'postgres', connectionString: databaseUrl, ssl: false });
  await migrateToLatest(database.db);
  h = await startSyncHarness({ days: 200, users: 1, latencyMs: 15 }, database);
  user = await h.connect('demo');
}, 300_000);

afterAll(async () => {
  await h?.close();
  await database?.close();
  if (dbName) await dropPostgresTestDatabase(dbName);
});

/** Types that have committed at least one window. */
async function committedWindows(): Promise<number> {
  const states = await getSyncStates(h.db, user.id);
  return states.filter((s) => s.completeUntil !== null && s.completeUntil !== s.backfillFrom)
    .length;
}

describe('killed mid-run', () => {
  it('the next run completes with no duplicates and no gaps', async () => {
    const child = spawn(process.execPath, [CHILD, String(user.id)], {
      env: { ...process.env, ...h.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Killed without warning as soon as three types have committed a window.
    let output = '';
    let lines = '';
    const committed = new Set<string>();
    const threeCommitted = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        output += b.toString();
        lines += b.toString();
        const complete = lines.split('\n');
        lines = complete.pop() ?? '';
        for (const line of complete.filter((l) => l.startsWith('{'))) {
          const event = JSON.parse(line) as { committed?: string };
          if (event.committed) committed.add(event.committed);
        }
        if (committed.size >= 3) resolve();
      });
      child.on('exit', () => reject(new Error(`the child ended before the kill: ${output}`)));
    });
    child.stderr.on('data', (b: Buffer) => {
      output += b.toString();
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    await threeCommitted;
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(await committedWindows()).toBeGreaterThanOrEqual(3);

    const [killed] = await listRuns(h.db, { userId: user.id, limit: 1 });
    expect(killed?.status).toBe('running');
    const partial = await h.db
      .selectFrom('raw_document')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(partial.n).toBeGreaterThan(0);

    const resumed = await h.sync(user.id);
    expect(resumed.status, resumed.message).toBe('succeeded');
    const runs = await listRuns(h.db, { userId: user.id });
    expect(runs.find((r) => r.id === killed?.id)?.status).toBe('interrupted');

    await expectSameDocuments(h, user, 'demo');
    const states = await getSyncStates(h.db, user.id);
    const from = states.find((s) => s.dataType === 'heartrate')?.backfillFrom ?? '';
    await expectSameSeries(h, user, 'demo', from);
  });
});
