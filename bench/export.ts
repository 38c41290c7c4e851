/**
 * Export memory benchmark: five years of 5-minute heart rate (~525k samples, raw day documents
 * kept) exported as CSV (zipped) and as NDJSON, and the whole database backed up, each in its
 * own process; peak RSS next to the same export of one day. Constant memory means the five-year
 * peak stays near the one-day peak.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.ts';
import { storeTimeSeries } from '../src/db/documents.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { getOrCreateUser } from '../src/db/users.ts';
import { generateDataset } from '../src/simulator/data/index.ts';
import { fmt, runChild, scratchDatabase } from './support.ts';

const DAY_MS = 86_400_000;
const WINDOW_DAYS = 30;
export const EXPORT_YEARS = 5;
/**
 * Old-generation heap cap for every run: an export that kept rows around would run out of heap
 * on five years; finishing under it shows what stays in memory does not grow with the history.
 */
export const EXPORT_HEAP_CAP_MB = 64;

export interface ExportBenchRow {
  what: string;
  samples: number;
  bytes: number;
  seconds: number;
  maxRssMb: number;
}

export async function runExportBench(): Promise<ExportBenchRow[]> {
  const days = EXPORT_YEARS * 365;
  const scratch = await scratchDatabase('postgres', 'export');
  const dir = await mkdtemp(join(tmpdir(), 'snowtorch-bench-export-'));
  const rows: ExportBenchRow[] = [];
  try {
    const database = await openDatabase(scratch.config);
    let userId = 0;
    let samples = 0;
    let lastDay = '';
    let yearAgo = '';
    try {
      await migrateToLatest(database.db);
      userId = (await getOrCreateUser(database.db, 'bench')).id;
      const [user] = generateDataset({ seed: 11, users: 1, days });
      if (!user) throw new Error('empty dataset');
      const end = Date.now();
      for (let s = end - days * DAY_MS; s < end; s += WINDOW_DAYS * DAY_MS) {
        const window = user.heartrate(s, Math.min(end, s + WINDOW_DAYS * DAY_MS));
        samples += window.length;
        await storeTimeSeries(database.db, { userId, dataType: 'heartrate', rows: window });
      }
      lastDay = new Date(end - DAY_MS).toISOString().slice(0, 10);
      yearAgo = new Date(end - 365 * DAY_MS).toISOString().slice(0, 10);
    } finally {
      await database.close();
    }
    if (scratch.config.kind !== 'postgres') throw new Error('postgres only');
    const url = scratch.config.connectionString;
    const daySamples = Math.round(samples / days);
    const yearSamples = Math.round(samples / EXPORT_YEARS);
    const cases: [string, string, number, string | undefined][] = [
      ['CSV (zip), one day', 'csv', daySamples, lastDay],
      ['CSV (zip), one year', 'csv', yearSamples, yearAgo],
      [`CSV (zip), ${EXPORT_YEARS} years`, 'csv', samples, undefined],
      ['NDJSON, one day', 'ndjson', daySamples, lastDay],
      ['NDJSON, one year', 'ndjson', yearSamples, yearAgo],
      [`NDJSON, ${EXPORT_YEARS} years`, 'ndjson', samples, undefined],
      ['backup (whole database)', 'backup', samples, undefined],
    ];
    for (const [what, format, n, since] of cases) {
      const out = join(dir, `${format}-${n}`);
      const r = await runChild<{ bytes: number; seconds: number; maxRssMb: number }>(
        'bench/exportChild.ts',
        [url, String(userId), format, out, ...(since ? [since] : [])],
        { NODE_OPTIONS: `--max-old-space-size=${EXPORT_HEAP_CAP_MB}` },
      );
      rows.push({ what, samples: n, ...r });
      console.log(
        `export ${what.padEnd(26)} ${fmt(n).padStart(9)} samples ${fmt(r.bytes / 2 ** 20, 1).padStart(7)} MB ` +
          `${fmt(r.seconds, 1).padStart(6)} s  peak RSS ${fmt(r.maxRssMb)} MB`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await scratch.drop();
  }
  return rows;
}

export function exportBenchMarkdown(rows: ExportBenchRow[]): string {
  return [
    '| export | heart-rate samples (one day, one year: approx.) | file | time | peak RSS |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.what} | ${fmt(r.samples)} | ${fmt(r.bytes / 2 ** 20, 1)} MB | ${fmt(r.seconds, 1)} s | ${fmt(r.maxRssMb)} MB |`,
    ),
  ].join('\n');
}
