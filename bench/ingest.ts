/**
 * Heart-rate ingest benchmark: samples/s through storeTimeSeries (what a sync does: validation,
 * raw day documents, conflict handling, one transaction per 30-day window) next to a plain COPY
 * of the same rows into the same table, the physical limit. Target: at least half of COPY.
 */
import { openDatabase } from '../src/db/database.ts';
import { copyHeartRateSamples, storeTimeSeries } from '../src/db/documents.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { getOrCreateUser } from '../src/db/users.ts';
import { generateDataset } from '../src/simulator/data/index.ts';
import { type DbKind, fmt, scratchDatabase } from './support.ts';

const DAY_MS = 86_400_000;
const WINDOW_DAYS = 30;

export interface IngestBenchRow {
  db: DbKind;
  rows: number;
  storeRowsPerSecond: number;
  copyRowsPerSecond: number;
  ratio: number;
}

function heartRateWindows(days: number): Record<string, unknown>[][] {
  const [user] = generateDataset({ seed: 11, users: 1, days });
  if (!user) throw new Error('empty dataset');
  const end = Date.now();
  const windows: Record<string, unknown>[][] = [];
  for (let s = end - days * DAY_MS; s < end; s += WINDOW_DAYS * DAY_MS) {
    windows.push(user.heartrate(s, Math.min(end, s + WINDOW_DAYS * DAY_MS)));
  }
  return windows;
}

export async function runIngestBench(
  kinds: DbKind[] = ['embedded', 'postgres'],
  days = 3 * 365,
): Promise<IngestBenchRow[]> {
  const windows = heartRateWindows(days);
  const all = windows.flat();
  const results: IngestBenchRow[] = [];
  for (const kind of kinds) {
    const scratch = await scratchDatabase(kind, 'ingest');
    const database = await openDatabase(scratch.config);
    try {
      await migrateToLatest(database.db);
      const viaStore = await getOrCreateUser(database.db, 'store');
      const viaCopy = await getOrCreateUser(database.db, 'copy');
      // One untimed window each way first: the first statement pays one-off costs (plan
      // caches, the garbage left by generating the data) that belong to neither side.
      const warmUp = await getOrCreateUser(database.db, 'warm-up');
      const first = windows[0] ?? [];
      await storeTimeSeries(database.db, { userId: warmUp.id, dataType: 'heartrate', rows: first });
      await database.db.deleteFrom('heart_rate_sample').where('user_id', '=', warmUp.id).execute();
      await copyHeartRateSamples(database, warmUp.id, first);
      let t = performance.now();
      for (const rows of windows) {
        await storeTimeSeries(database.db, { userId: viaStore.id, dataType: 'heartrate', rows });
      }
      const storeSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      for (const rows of windows) await copyHeartRateSamples(database, viaCopy.id, rows);
      const copySeconds = (performance.now() - t) / 1000;
      const row: IngestBenchRow = {
        db: kind,
        rows: all.length,
        storeRowsPerSecond: all.length / storeSeconds,
        copyRowsPerSecond: all.length / copySeconds,
        ratio: copySeconds / storeSeconds,
      };
      results.push(row);
      console.log(
        `ingest ${kind.padEnd(8)} ${fmt(row.rows)} heart-rate rows: storeTimeSeries ${fmt(row.storeRowsPerSecond)}/s, ` +
          `COPY ${fmt(row.copyRowsPerSecond)}/s, ratio ${fmt(row.ratio, 2)} (target >= 0.5)`,
      );
    } finally {
      await database.close();
      await scratch.drop();
    }
  }
  return results;
}

export function ingestBenchMarkdown(rows: IngestBenchRow[]): string {
  return [
    '| database | rows | storeTimeSeries rows/s | COPY rows/s | ratio (target >= 0.5) |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.db} | ${fmt(r.rows)} | ${fmt(r.storeRowsPerSecond)} | ${fmt(r.copyRowsPerSecond)} | ${fmt(r.ratio, 2)} |`,
    ),
  ].join('\n');
}

if (import.meta.main) {
  console.log(ingestBenchMarkdown(await runIngestBench()));
}
