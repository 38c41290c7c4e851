import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeekReport } from '../src/api/types.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createCliDatabase } from './support/cliDatabase.ts';
import { startSyncHarness } from './support/syncHarness.ts';

/** `snowtorch report --week` over a database synced from the simulator, as a person runs it. */

const run = promisify(execFile);
const BIN = new URL('../bin/snowtorch.js', import.meta.url).pathname;
const END = '2026-11-28';

let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
let outDir: string;

beforeAll(async () => {
  const cli = await createCliDatabase('report');
  ({ env, cleanup } = cli);
  // The harness syncs into the very database the CLI then reads.
  const database = await openDatabase(cli.config);
  try {
    await migrateToLatest(database.db);
    const h = await startSyncHarness({ days: 120, endDate: END, users: 1 }, database);
    const user = await h.connect('demo');
    expect((await h.sync(user.id)).status).toBe('succeeded');
    await h.close();
  } finally {
    await database.close();
  }
  outDir = await mkdtemp(join(tmpdir(), 'snowtorch-report-out-'));
}, 300_000);

afterAll(async () => {
  await cleanup?.();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function snowtorch(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('snowtorch report --week', () => {
  it('prints the Markdown report of the latest week with every section', async () => {
    const r = await snowtorch('report', '--week');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // END is a Saturday: its week runs Monday 23 to Sunday 29 November.
    expect(r.stdout).toMatch(/^# Week 2026-11-23 to 2026-11-29 \(demo\)/);
    for (const h of [
      'Averages against your baseline',
      'Best and worst night',
      'Sleep debt',
      'Regularity',
      'Body signals',
      'Tags this week',
    ])
      expect(r.stdout).toContain(`## ${h}`);
    expect(r.stdout).toMatch(/\| Total sleep \| \d+ h \d+ min \|/);
    expect(r.stdout).toMatch(/Sleep Regularity Index/);
  });

  it('writes a standalone HTML page for a chosen week and user', async () => {
    const file = join(outDir, 'week.html');
    const r = await snowtorch(
      'report',
      '--week',
      '--user',
      'demo',
      '--day',
      '2026-11-04',
      '--format',
      'html',
      '--out',
      file,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Wrote the week 2026-11-02 to 2026-11-08');
    const html = await readFile(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<h1>Week 2026-11-02 to 2026-11-08 (demo)</h1>');
    expect(html).toContain('<table>');
  });

  it('gives the same numbers as JSON', async () => {
    const r = await snowtorch('report', '--week', '--json', '--day', '2026-11-04');
    const report = JSON.parse(r.stdout) as WeekReport;
    expect(report.from).toBe('2026-11-02');
    expect(report.nights).toBeGreaterThanOrEqual(5);
    expect(report.metrics.find((m) => m.key === 'total_sleep')?.n).toBe(report.nights);
  });

  it('refuses an unknown user', async () => {
    const nobody = await snowtorch('report', '--week', '--user', 'nobody');
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('no user named "nobody"');
  });

  it('refuses an unknown format and a missing --week', async () => {
    const pdf = await snowtorch('report', '--week', '--format', 'pdf');
    expect(pdf.code).toBe(1);
    expect(pdf.stderr).toContain('--format must be md or html');
    expect((await snowtorch('report')).stderr).toContain('--week');
  });
});
