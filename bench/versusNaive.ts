/**
 * Snowtorch against the naive ingester (bench/naive-ingester.ts): the same 3 years of one
 * simulated user, the same simulator (in its own process), the same PostgreSQL, the 11 types
 * the naive ingester knows, at 0 ms and 50 ms simulated latency; plus every type at 50 ms.
 * Targets: Snowtorch ÷ naive <= 0.5 at 0 ms and <= 0.35 at 50 ms; requests within 1.05× of the
 * minimum; peak RSS of the sync <= 100 MB.
 */
import { loadavg } from 'node:os';
import { addDays, utcDay } from '../src/sync/days.ts';
import { NAIVE_TYPES } from './naive-ingester.ts';
import { fmt, runChild, scratchDatabase, startSimulatorProcess } from './support.ts';
import { minimumRequests, SYNC_DAYS } from './sync.ts';

const SEED = 7;
/** Each case runs this many times (naive and Snowtorch taking turns); the median run is kept. */
const REPEATS = 3;

/** The run with the median wall time. */
function median(runs: RunFigures[]): RunFigures {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor(sorted.length / 2)] as RunFigures;
}

export interface RunFigures {
  status: string;
  wallMs: number;
  /** Snowtorch only: from starting `snowtorch sync` to its exit. */
  commandMs?: number;
  cpuMs: number;
  documents: number;
  requests: number;
  peakRssMb: number;
}

export interface VersusRow {
  label: string;
  latencyMs: number;
  naive: RunFigures | null;
  snowtorch: RunFigures;
  minimumRequests: number;
  loadAverage: number;
}

/** The naive ingester's names, in Snowtorch's spelling. */
const SNOWTORCH_TYPES = NAIVE_TYPES.map((t) => (t === 'vO2_max' ? 'vo2_max' : t));

async function runNaive(simUrl: string): Promise<RunFigures> {
  const scratch = await scratchDatabase('postgres', 'naive');
  try {
    if (scratch.config.kind !== 'postgres') throw new Error('naive ingester needs PostgreSQL');
    return await runChild<RunFigures>('bench/naive-ingester.ts', [
      '--sim',
      simUrl,
      '--db',
      scratch.config.connectionString,
      '--start',
      addDays(utcDay(new Date()), -SYNC_DAYS - 5),
    ]);
  } finally {
    await scratch.drop();
  }
}

export async function runVersusNaiveBench(): Promise<VersusRow[]> {
  const minimumAll = minimumRequests(SYNC_DAYS);
  const minimum11 = minimumRequests(SYNC_DAYS, SNOWTORCH_TYPES);
  const rows: VersusRow[] = [];
  const cases = [
    { label: 'the 11 types', latencyMs: 0, types: SNOWTORCH_TYPES },
    { label: 'the 11 types', latencyMs: 50, types: SNOWTORCH_TYPES },
    { label: 'all 18 types', latencyMs: 50, types: undefined },
  ];
  for (const c of cases) {
    const sim = await startSimulatorProcess({
      seed: SEED,
      users: 1,
      days: SYNC_DAYS,
      latencyMs: c.latencyMs,
    });
    try {
      const loadAverage = loadavg()[0] ?? 0;
      const naiveRuns: RunFigures[] = [];
      const snowtorchRuns: RunFigures[] = [];
      for (let i = 0; i < REPEATS; i++) {
        if (c.types) naiveRuns.push(await runNaive(sim.url));
        snowtorchRuns.push(
          await runChild<RunFigures>('bench/sync-scenario.ts', [
            '--sim',
            sim.url,
            '--db',
            'postgres',
            ...(c.types ? ['--types', c.types.join(',')] : []),
          ]),
        );
      }
      const naive = c.types ? median(naiveRuns) : null;
      const snowtorch = median(snowtorchRuns);
      const row: VersusRow = {
        label: c.label,
        latencyMs: c.latencyMs,
        naive,
        snowtorch,
        minimumRequests: c.types ? minimum11 : minimumAll,
        loadAverage,
      };
      rows.push(row);
      console.log(
        `${c.label}, ${c.latencyMs} ms: Snowtorch ${fmt(snowtorch.wallMs / 1000, 1)} s` +
          (naive
            ? `, naive ${fmt(naive.wallMs / 1000, 1)} s, ratio ${fmt(snowtorch.wallMs / naive.wallMs, 2)}`
            : '') +
          `, requests ${snowtorch.requests} (minimum ${row.minimumRequests}), peak RSS ${fmt(snowtorch.peakRssMb)} MB`,
      );
    } finally {
      await sim.stop();
    }
  }
  return rows;
}

export function versusNaiveMarkdown(rows: VersusRow[]): string {
  const lines = [
    '| types | latency | naive run (CPU) | Snowtorch run (CPU of the command) | Snowtorch ÷ naive | target | `snowtorch sync`, start to exit | requests | minimum | ratio | Snowtorch peak RSS | naive peak RSS | load avg |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const s = r.snowtorch;
    const n = r.naive;
    const target = r.naive ? (r.latencyMs === 0 ? '<= 0.50' : '<= 0.35') : '-';
    lines.push(
      `| ${r.label} | ${r.latencyMs} ms | ${n ? `${fmt(n.wallMs / 1000, 1)} s (${fmt(n.cpuMs / 1000, 1)} s)` : '-'} | ` +
        `${fmt(s.wallMs / 1000, 1)} s (${fmt(s.cpuMs / 1000, 1)} s) | ${n ? `**${fmt(s.wallMs / n.wallMs, 2)}**` : '-'} | ${target} | ` +
        `${s.commandMs === undefined ? '-' : `${fmt(s.commandMs / 1000, 1)} s`} | ` +
        `${s.requests} | ${r.minimumRequests} | ${fmt(s.requests / r.minimumRequests, 2)} | ${fmt(s.peakRssMb)} MB | ` +
        `${n ? `${fmt(n.peakRssMb)} MB` : '-'} | ${fmt(r.loadAverage, 1)} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.main) {
  console.log(versusNaiveMarkdown(await runVersusNaiveBench()));
}
