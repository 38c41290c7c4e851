import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodeFor, parseSyncArgs } from '../src/cli/commands/sync.ts';
import { createProgressDisplay, formatProgressLine, num } from '../src/cli/progress.ts';
import { stopEmbeddedServer } from '../src/db/embedded/server.ts';
import { DATA_TYPES } from '../src/oura/routes.ts';

const BIN = fileURLToPath(new URL('../bin/snowtorch.js', import.meta.url));
const run = promisify(execFile);

/** Run the CLI; resolves with exit code and output whatever the code. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('OURA_') && !k.startsWith('SQL_') && k !== 'DATABASE_URL',
    ),
  );
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...clean, LOG_LEVEL: 'error', ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('snowtorch sync arguments', () => {
  it('rejects a bad date and unknown types, naming the valid ones', () => {
    expect(() => parseSyncArgs(['--since', '2025-02-30'])).toThrow(/YYYY-MM-DD/);
    expect(() => parseSyncArgs(['--since', '2999-01-01'], '2026-01-01')).toThrow(/future/);
    expect(() => parseSyncArgs(['--types', 'sleep,steps'])).toThrow(
      new RegExp(`"steps".*valid types: ${DATA_TYPES.join(', ')}`),
    );
    expect(() => parseSyncArgs(['--bogus'])).toThrow(/sync/);
  });

  it('accepts types as Oura spells them and de-duplicates', () => {
    const args = parseSyncArgs(['--types', 'sleep, vO2_max,sleep', '--since', '2024-02-29']);
    expect(args.types).toEqual(['sleep', 'vo2_max']);
    expect(args.since).toBe('2024-02-29');
  });

  it('exits non-zero on failure, 3 when a run stored what it could', () => {
    expect(exitCodeFor([{ status: 'succeeded' }])).toBe(0);
    expect(exitCodeFor([{ status: 'succeeded' }, { status: 'partial' }])).toBe(3);
    expect(exitCodeFor([{ status: 'partial' }, { status: 'failed' }])).toBe(1);
    expect(exitCodeFor([{ status: 'interrupted' }])).toBe(1);
  });

  it('without configuration the CLI names every missing variable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snowtorch-sync-'));
    try {
      const r = await cli(['sync'], { SNOWTORCH_DATA_DIR: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/SNOWTORCH_SECRET_KEY/);
      expect(r.stderr).toMatch(/OURA_CLIENT_ID/);
      expect(r.stderr).toMatch(/OURA_CLIENT_SECRET/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the CLI prints a usage error for an unknown type and exits 1', async () => {
    const r = await cli(['sync', '--types', 'steps']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown data type "steps"; valid types: sleep, daily_sleep/);
  });
});

describe('progress display', () => {
  it('groups thousands exactly as en-US does, for any count', () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })), (n) => {
        expect(num(n)).toBe(n.toLocaleString('en-US'));
      }),
    );
    for (const n of [0, 999, 1000, 100000, 1000000]) expect(num(n)).toBe(n.toLocaleString('en-US'));
  });

  it('prints plain lines when not on a terminal', () => {
    let text = '';
    const stream = Object.assign(
      {
        write(s: string) {
          text += s;
          return true;
        },
      },
      { isTTY: false },
    ) as unknown as NodeJS.WritableStream;
    const d = createProgressDisplay({ stream, label: 'demo' });
    const base = { userId: 1, dataType: 'sleep' as const, documents: 0, etaSeconds: null };
    d.onProgress({ ...base, phase: 'pending', windowsDone: 0, windowsTotal: 0 });
    d.onProgress({
      ...base,
      phase: 'fetching',
      windowsDone: 0,
      windowsTotal: 4,
      range: { from: '2024-01-01', to: '2024-12-31' },
    });
    d.onProgress({
      ...base,
      phase: 'fetching',
      documents: 250,
      windowsDone: 2,
      windowsTotal: 4,
      etaSeconds: 3,
    });
    d.onProgress({ ...base, phase: 'done', documents: 500, windowsDone: 4, windowsTotal: 4 });
    d.finish();
    expect(text.split('\n').filter(Boolean)).toEqual([
      'demo sleep: fetching 2024-01-01..2024-12-31',
      'demo sleep: 2/4 windows, 250 docs, ETA 0:03',
      'demo sleep [####################] done 500 docs in 4 windows',
    ]);
  });

  it('a live line shows bar, windows, documents and ETA', () => {
    const line = formatProgressLine(
      {
        userId: 1,
        dataType: 'heartrate',
        phase: 'fetching',
        documents: 12345,
        windowsDone: 9,
        windowsTotal: 36,
        etaSeconds: 75,
      },
      12,
    );
    expect(line).toBe('heartrate    [#####---------------] 9/36 windows 12,345 docs ETA 1:15');
  });
});

describe('snowtorch demo and status', () => {
  let dir = '';
  afterAll(async () => {
    if (!dir) return;
    // The demo's embedded PostgreSQL keeps running by design until stopped.
    await stopEmbeddedServer(dir);
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the simulated history, then a re-run changes nothing, and status shows it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'snowtorch-demo-'));
    // Under root the embedded server runs as `postgres`, which must be able to pass through.
    await chmod(dir, 0o755);
    const env = { SNOWTORCH_DATA_DIR: dir };
    const first = await cli(['demo', '--days', '45', '--no-serve'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Connected \(Oura user /);
    expect(first.stdout).toMatch(/demo: succeeded in/);
    expect(first.stdout).toMatch(
      /Stored for "demo": \d{4}-\d{2}-\d{2} \.\. \d{4}-\d{2}-\d{2}, \d+ nights/,
    );
    // The demo user owns the demo instance and is told how to log in.
    expect(first.stdout).toContain('snowtorch users login-link demo');
    const accounts = JSON.parse((await cli(['users', 'list', '--json'], env)).stdout) as {
      name: string;
      role: string;
    }[];
    expect(accounts.find((a) => a.name === 'demo')?.role).toBe('owner');
    const key = await stat(join(dir, 'demo-secret.key'));
    expect(key.mode & 0o777).toBe(0o600);

    const second = await cli(['demo', '--days', '45', '--no-serve'], env);
    expect(second.code, second.stderr).toBe(0);
    const sleepRow = second.stdout.split('\n').find((l) => /^\s+sleep\s+\d/.test(l)) ?? '';
    // type fetched new changed same deleted invalid requests: nothing new the second time.
    const [, fetched, inserted, updated, same, deleted] = sleepRow.trim().split(/\s+/);
    expect({ inserted, updated, deleted }).toEqual({ inserted: '0', updated: '0', deleted: '0' });
    expect(same).toBe(fetched);

    // Read-only commands, side by side: each one's start-up is most of its time.
    const [status, text] = await Promise.all([
      cli(['status', '--json'], env),
      cli(['status'], env),
    ]);
    expect(status.code, status.stderr).toBe(0);
    const users = JSON.parse(status.stdout) as {
      name: string;
      connection: { status: string };
      lastRun: { status: string };
      types: { dataType: string; documents: number; completeUntil: string | null }[];
    }[];
    const demo = users.find((u) => u.name === 'demo');
    expect(demo?.connection.status).toBe('active');
    expect(demo?.lastRun.status).toBe('succeeded');
    expect(demo?.types.find((t) => t.dataType === 'daily_sleep')?.documents).toBeGreaterThan(30);

    expect(text.stdout).toMatch(/demo \(connection: active/);
    expect(text.stdout).toMatch(/daily_sleep\s+\d+/);
  }, 240_000);
});
