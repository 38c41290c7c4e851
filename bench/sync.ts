/**
 * Full-sync benchmark: 3 years of one simulated user, all routes, from a simulator in its own
 * process, at 0 ms and 50 ms response latency, into the embedded PostgreSQL and PostgreSQL 15.
 * Targets: 50 ms on PostgreSQL under 30 s; requests within 10% of the minimum; peak RSS on
 * PostgreSQL under 300 MB.
 */
import { DATA_TYPES } from '../src/oura/routes.ts';
import { generateDataset } from '../src/simulator/data/index.ts';
import { type DbKind, fmt, runChild, startSimulatorProcess } from './support.ts';

export const SYNC_DAYS = 3 * 365;
const SEED = 7;
const PAGE_SIZE = 100;
const SERIES_PAGE_SIZE = 10_000;
const SERIES_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

interface ScenarioResult {
  status: string;
  wallMs: number;
  cpuMs: number;
  documents: number;
  requests: number;
  peakRssMb: number;
}

export interface SyncBenchRow extends ScenarioResult {
  db: DbKind;
  latencyMs: number;
  minimumRequests: number;
}

/**
 * The fewest requests that can fetch this history: every document route paged at the
 * simulator's page size in one range, and the time series in the API's 30-day windows.
 */
export function minimumRequests(days: number, types: readonly string[] = DATA_TYPES): number {
  const [user] = generateDataset({ seed: SEED, users: 1, days });
  if (!user) throw new Error('empty dataset');
  let total = 0;
  let firstDay = '9999-12-31';
  for (const type of DATA_TYPES) {
    if (type === 'heartrate' || type === 'ring_battery_level') continue;
    const docs = user.documents[type];
    if (types.includes(type)) total += Math.max(1, Math.ceil(docs.size / PAGE_SIZE));
    for (const doc of docs.values()) {
      const day = typeof doc.day === 'string' ? doc.day : undefined;
      if (day && day < firstDay) firstDay = day;
    }
  }
  if (!types.includes('heartrate')) return total;
  const start = Date.parse(`${firstDay}T00:00:00Z`) - DAY_MS;
  const end = Date.now() + DAY_MS;
  for (let s = start; s < end; s += SERIES_WINDOW_DAYS * DAY_MS) {
    const e = Math.min(end, s + SERIES_WINDOW_DAYS * DAY_MS);
    total += Math.max(1, Math.ceil(user.heartrate(s, e).length / SERIES_PAGE_SIZE));
    total += Math.max(1, Math.ceil(user.batteryLevel(s, e).length / SERIES_PAGE_SIZE));
  }
  return total;
}

export async function runSyncBench(
  kinds: DbKind[] = ['embedded', 'postgres'],
  latencies: number[] = [0, 50],
): Promise<SyncBenchRow[]> {
  const minimum = minimumRequests(SYNC_DAYS);
  const rows: SyncBenchRow[] = [];
  for (const latencyMs of latencies) {
    for (const db of kinds) {
      const sim = await startSimulatorProcess({ seed: SEED, users: 1, days: SYNC_DAYS, latencyMs });
      try {
        const result = await runChild<ScenarioResult>('bench/sync-scenario.ts', [
          '--sim',
          sim.url,
          '--db',
          db,
        ]);
        rows.push({ db, latencyMs, minimumRequests: minimum, ...result });
        console.log(
          `sync ${db.padEnd(8)} latency ${String(latencyMs).padStart(2)} ms: ${fmt(result.wallMs / 1000, 1)} s, ` +
            `${fmt(result.documents)} docs (${fmt(result.documents / (result.wallMs / 1000))}/s), ` +
            `${result.requests} requests (minimum ${minimum}, x${fmt(result.requests / minimum, 2)}), ` +
            `peak RSS ${fmt(result.peakRssMb)} MB, ${result.status}`,
        );
      } finally {
        await sim.stop();
      }
    }
  }
  return rows;
}

export function syncBenchMarkdown(rows: SyncBenchRow[]): string {
  const lines = [
    '| database | latency | wall time | documents | docs/s | requests | minimum | ratio | peak RSS | run |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.db} | ${r.latencyMs} ms | ${fmt(r.wallMs / 1000, 1)} s | ${fmt(r.documents)} | ${fmt(r.documents / (r.wallMs / 1000))} | ${r.requests} | ${r.minimumRequests} | ${fmt(r.requests / r.minimumRequests, 2)} | ${fmt(r.peakRssMb)} MB | ${r.status} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.main) {
  const rows = await runSyncBench();
  console.log(syncBenchMarkdown(rows));
}
