import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { storeDocuments } from '../src/db/documents.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { storeTimeSeries } from '../src/db/timeSeries.ts';
import { fixture } from './fixtures/db/load.ts';
import { createCliDatabase } from './support/cliDatabase.ts';
import { parseCsv, unzipText } from './support/unzip.ts';

/**
 * `snowtorch export` and `snowtorch status --json` on a database holding two people's
 * documents and a heart-rate series: the files hold the asked user's rows only, and status
 * counts the series as samples.
 */

const run = promisify(execFile);
const BIN = new URL('../bin/snowtorch.js', import.meta.url).pathname;

let cli: Awaited<ReturnType<typeof createCliDatabase>>;
let dir: string;
let heartRateSamples = 0;

async function snowtorch(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: cli.env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snowtorch-export-'));
  cli = await createCliDatabase('export');
  const database = await openDatabase(cli.config);
  try {
    const { db } = database;
    await migrateToLatest(db);
    for (const name of ['demo', 'alex']) {
      const { id } = await db
        .insertInto('app_user')
        .values({ name })
        .returning('id')
        .executeTakeFirstOrThrow();
      await storeDocuments(db, { userId: id, dataType: 'sleep', documents: fixture('sleep') });
      if (name === 'demo') {
        const rows = fixture('heartrate');
        heartRateSamples = (await storeTimeSeries(db, { userId: id, dataType: 'heartrate', rows }))
          .inserted;
      }
    }
  } finally {
    await database.close();
  }
}, 60_000);

afterAll(async () => {
  await cli?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('snowtorch export', () => {
  it('writes the typed tables of one user as CSV files in a zip, with a README', async () => {
    const out = join(dir, 'demo.zip');
    const res = await snowtorch(
      'export',
      '--user',
      'demo',
      '--format',
      'csv',
      '--types',
      'sleep,heartrate',
      '--out',
      out,
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /^Exported demo's typed tables \(CSV, zipped\) to .*demo\.zip \([\d,]+ bytes\)\n$/,
    );
    const files = await unzipText(await readFile(out));
    expect([...files.keys()].sort()).toEqual(['README.md', 'heartrate.csv', 'sleep.csv']);
    expect(parseCsv(files.get('heartrate.csv') ?? '')).toHaveLength(1 + heartRateSamples);
    expect(parseCsv(files.get('sleep.csv') ?? '')).toHaveLength(1 + fixture('sleep').length);
    // Nothing half-written is left beside the file.
    expect(await readdir(dir)).toEqual(['demo.zip']);
  });

  it('writes raw documents as NDJSON, one per line', async () => {
    const res = await snowtorch('export', '--user', 'alex', '--types', 'sleep', '--out', '-');
    expect(res.code).toBe(0);
    const lines = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { dataType: string; id: string; document: { id: string } });
    expect(lines.map((l) => l.id).sort()).toEqual(
      fixture('sleep')
        .map((d) => String(d.id))
        .sort(),
    );
    for (const l of lines) expect(l.document.id).toBe(l.id);
  });

  it('asks whose data when there are several users, and checks its options', async () => {
    for (const [args, message] of [
      [['--out', join(dir, 'x')], 'name whose data with --user (demo, alex)'],
      [['--user', 'demo'], '--out FILE is required'],
      [['--user', 'demo', '--format', 'xml', '--out', '-'], 'format must be csv or ndjson'],
      [
        ['--user', 'demo', '--since', '2026-02-30', '--out', '-'],
        'since must be a day as YYYY-MM-DD',
      ],
      [['--user', 'nobody', '--out', '-'], 'there is no user named "nobody"'],
    ] as const) {
      const res = await snowtorch('export', ...args);
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stderr, args.join(' ')).toContain(message);
    }
  });
});

describe('snowtorch status --json', () => {
  it('counts heart rate as samples and gives their span', async () => {
    const res = await snowtorch('status', '--user', 'demo', '--json');
    expect(res.code).toBe(0);
    const [demo] = JSON.parse(res.stdout) as {
      types: {
        dataType: string;
        documents: number;
        samples: { count: number; first: string; last: string } | null;
      }[];
    }[];
    const hr = demo?.types.find((t) => t.dataType === 'heartrate');
    const times = fixture('heartrate').map((r) => Date.parse(String(r.timestamp)));
    expect(hr?.samples).toEqual({
      count: heartRateSamples,
      first: new Date(Math.min(...times)).toISOString(),
      last: new Date(Math.max(...times)).toISOString(),
    });
    expect(hr?.documents).toBeLessThan(heartRateSamples);
    expect(demo?.types.find((t) => t.dataType === 'sleep')?.samples).toBeNull();
    const text = await snowtorch('status', '--user', 'demo');
    expect(text.stdout).toMatch(new RegExp(`heartrate\\s+\\d+\\s+0\\s+${heartRateSamples} \\(`));
  });
});
