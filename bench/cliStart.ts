/**
 * CLI start: how long `snowtorch <command>` takes to answer, as a user runs it (`node
 * bin/snowtorch.js`, the launcher's V8 flags, the module compile cache warm after a first run).
 * `status` answers from a migrated, empty PostgreSQL database. Target: <= 0.3 s.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, PRODUCT_NODE_FLAGS, scratchDatabase } from './support.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const RUNS = 5;

export interface CliStartRow {
  command: string;
  cache: 'cold' | 'warm';
  medianMs: number;
}

async function timeOnce(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...PRODUCT_NODE_FLAGS, join(ROOT, 'bin/snowtorch.js'), ...args],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...env },
    },
  );
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`snowtorch ${args.join(' ')} exited with ${code}`);
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function runCliStartBench(): Promise<{ rows: CliStartRow[]; loadAverage: number }> {
  const loadAverage = loadavg()[0] ?? 0;
  const cache = await mkdtemp(join(tmpdir(), 'snowtorch-compile-cache-'));
  const scratch = await scratchDatabase('postgres', 'clistart');
  const rows: CliStartRow[] = [];
  try {
    if (scratch.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const env = { NODE_COMPILE_CACHE: cache, DATABASE_URL: scratch.config.connectionString };
    await timeOnce(['migrate'], env);
    for (const args of [['--help'], ['sync', '--help'], ['status']]) {
      const command = `snowtorch ${args.join(' ')}`;
      // Cold: a cache directory of its own, first run (what the first start after an update pays).
      const cold = await mkdtemp(join(tmpdir(), 'snowtorch-compile-cache-'));
      try {
        const coldMs = await timeOnce(args, { ...env, NODE_COMPILE_CACHE: cold });
        rows.push({ command, cache: 'cold', medianMs: coldMs });
      } finally {
        await rm(cold, { recursive: true, force: true });
      }
      await timeOnce(args, env);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await timeOnce(args, env));
      rows.push({ command, cache: 'warm', medianMs: median(times) });
      console.log(`${command}: ${fmt(median(times))} ms warm`);
    }
  } finally {
    await scratch.drop();
    await rm(cache, { recursive: true, force: true });
  }
  return { rows, loadAverage };
}

export function cliStartMarkdown(result: { rows: CliStartRow[]; loadAverage: number }): string {
  const lines = [
    `Load average when the run started: ${fmt(result.loadAverage, 1)} on 2 cores.`,
    '',
    '| command | compile cache | time to answer (median of 5 when warm) | target |',
    '|---|---|---|---|',
  ];
  for (const r of result.rows) {
    lines.push(
      `| \`${r.command}\` | ${r.cache} | ${fmt(r.medianMs)} ms | ${r.cache === 'warm' ? '<= 300 ms' : '-'} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.main) console.log(cliStartMarkdown(await runCliStartBench()));
