/**
 * CLI start: how long `snowtorch <command>` takes to answer, as a user runs it (`node
 * bin/snowtorch.js` with the launcher's V8 flags), from the build (dist/cli, made fresh first)
 * and from the sources (SNOWTORCH_FROM_SOURCES=1, what an edited checkout runs), with a cold and
 * a warm module compile cache. `status` answers from a migrated, empty database: PostgreSQL 15
 * over TCP, and the embedded server already running (the default set-up). Also the peak memory
 * and CPU time of `status` and the memory of an idle `serve`. Target: <= 0.3 s.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli } from '../scripts/build-cli.ts';
import { fmt, PRODUCT_NODE_FLAGS, scratchDatabase } from './support.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/snowtorch.js');
const RUNS = 5;

export type Variant = 'build' | 'sources';

export interface CliStartRow {
  command: string;
  database: string;
  variant: Variant;
  cache: 'cold' | 'warm';
  medianMs: number;
  /** Warm rows: median CPU time (user + system) of 5 more runs. */
  cpuMs?: number;
  /** Warm rows: median peak resident memory of those runs. */
  peakMb?: number;
}

export interface MemoryRow {
  what: string;
  build: number;
  sources: number;
}

export interface CliStartResult {
  rows: CliStartRow[];
  memory: MemoryRow[];
  buildMs: number;
  loadAverage: number;
}

const variantEnv = (v: Variant): NodeJS.ProcessEnv =>
  v === 'sources' ? { SNOWTORCH_FROM_SOURCES: '1' } : { SNOWTORCH_FROM_SOURCES: '' };

/** The child's own environment: none of the caller's database settings leak in. */
function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const k of Object.keys(base))
    if (k === 'DATABASE_URL' || k.startsWith('SQL_')) delete base[k];
  return { ...base, ...env };
}

async function timeOnce(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [...PRODUCT_NODE_FLAGS, BIN, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: childEnv(env),
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`snowtorch ${args.join(' ')} exited with ${code}`);
  return performance.now() - started;
}

/**
 * CPU time and peak resident memory of one run, which the child reports as it exits through a
 * one-line preload: process.cpuUsage() covers the whole process, VmHWM its own memory (getrusage's
 * maxrss would also count this process, which the child is forked from). Separate from the timed
 * runs, which load nothing extra.
 */
async function cpuAndPeak(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ cpuMs: number; peakMb: number }> {
  const report =
    "import{readFileSync,writeSync}from'node:fs';process.on('exit',()=>{const u=process.cpuUsage();" +
    "writeSync(3,JSON.stringify({cpuMs:(u.user+u.system)/1000,peakMb:/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status','utf8'))[1]/1024}))})";
  const preload = `data:text/javascript,${encodeURIComponent(report)}`;
  const child = spawn(
    process.execPath,
    [...PRODUCT_NODE_FLAGS, '--import', preload, BIN, ...args],
    {
      stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
      env: childEnv(env),
    },
  );
  let out = '';
  child.stdio[3]?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`snowtorch ${args.join(' ')} exited with ${code}`);
  return JSON.parse(out) as { cpuMs: number; peakMb: number };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Resident memory of `serve` once it answers /readyz and has idled for 3 s, in MB. */
async function idleServeRssMb(env: NodeJS.ProcessEnv): Promise<number> {
  const port = await freePort();
  const child = spawn(process.execPath, [...PRODUCT_NODE_FLAGS, BIN, 'serve'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: childEnv({ ...env, SNOWTORCH_PORT: String(port), LOG_LEVEL: 'warn' }),
  });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error('serve did not become ready');
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 3000));
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function runCliStartBench(): Promise<CliStartResult> {
  const built = performance.now();
  await buildCli();
  const buildMs = performance.now() - built;
  const loadAverage = loadavg()[0] ?? 0;
  const cache = await mkdtemp(join(tmpdir(), 'snowtorch-compile-cache-'));
  const scratch = await scratchDatabase('postgres', 'clistart');
  const embedded = await scratchDatabase('embedded', 'clistart');
  const rows: CliStartRow[] = [];
  const memory: MemoryRow[] = [];
  try {
    if (scratch.config.kind !== 'postgres' || embedded.config.kind !== 'embedded') {
      throw new Error('needs PostgreSQL and the embedded server');
    }
    const pgEnv = { NODE_COMPILE_CACHE: cache, DATABASE_URL: scratch.config.connectionString };
    const embeddedEnv = { NODE_COMPILE_CACHE: cache, SNOWTORCH_DATA_DIR: embedded.config.dataDir };
    await timeOnce(['migrate'], pgEnv);
    await timeOnce(['migrate'], embeddedEnv); // starts the embedded server, which stays up
    const cases: { database: string; args: string[]; env: NodeJS.ProcessEnv }[] = [
      { database: '-', args: ['--help'], env: pgEnv },
      { database: '-', args: ['sync', '--help'], env: pgEnv },
      { database: 'PostgreSQL 15 over TCP', args: ['status'], env: pgEnv },
      { database: 'embedded, running', args: ['status'], env: embeddedEnv },
    ];
    for (const c of cases) {
      const command = `snowtorch ${c.args.join(' ')}`;
      for (const variant of ['build', 'sources'] as const) {
        const env = { ...c.env, ...variantEnv(variant) };
        // Cold: a cache directory of its own, first run (what the first start after an update pays).
        const cold = await mkdtemp(join(tmpdir(), 'snowtorch-compile-cache-'));
        try {
          const coldMs = await timeOnce(c.args, { ...env, NODE_COMPILE_CACHE: cold });
          rows.push({ command, database: c.database, variant, cache: 'cold', medianMs: coldMs });
        } finally {
          await rm(cold, { recursive: true, force: true });
        }
        await timeOnce(c.args, env);
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) times.push(await timeOnce(c.args, env));
        const measured: { cpuMs: number; peakMb: number }[] = [];
        for (let i = 0; i < RUNS; i++) measured.push(await cpuAndPeak(c.args, env));
        rows.push({
          command,
          database: c.database,
          variant,
          cache: 'warm',
          medianMs: median(times),
          cpuMs: median(measured.map((m) => m.cpuMs)),
          peakMb: median(measured.map((m) => m.peakMb)),
        });
        console.log(`${command} (${c.database}), ${variant}: ${fmt(median(times))} ms warm`);
      }
    }
    const peak = (variant: Variant) =>
      rows.find((r) => r.database === 'embedded, running' && r.variant === variant && r.peakMb)
        ?.peakMb ?? 0;
    memory.push({
      what: '`snowtorch status` (embedded), peak',
      build: peak('build'),
      sources: peak('sources'),
    });
    memory.push({
      what: '`snowtorch serve` (embedded), idle',
      build: await idleServeRssMb({ ...embeddedEnv, ...variantEnv('build') }),
      sources: await idleServeRssMb({ ...embeddedEnv, ...variantEnv('sources') }),
    });
  } finally {
    await embedded.drop();
    await scratch.drop();
    await rm(cache, { recursive: true, force: true });
  }
  return { rows, memory, buildMs, loadAverage };
}

export function cliStartMarkdown(result: CliStartResult): string {
  const lines = [
    `Load average when the run started: ${fmt(result.loadAverage, 1)} on 2 cores. ` +
      `The build (\`node scripts/build-cli.ts\`) took ${fmt(result.buildMs)} ms.`,
    '',
    '| command | database | runs | compile cache | time to answer (median of 5 when warm) | CPU time (median of 5) | target |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of result.rows) {
    const runs = r.variant === 'build' ? 'build (dist/cli)' : 'sources';
    const target = r.cache === 'warm' && r.variant === 'build' ? '<= 300 ms' : '-';
    lines.push(
      `| \`${r.command}\` | ${r.database} | ${runs} | ${r.cache} | ${fmt(r.medianMs)} ms | ${r.cpuMs === undefined ? '-' : `${fmt(r.cpuMs)} ms`} | ${target} |`,
    );
  }
  lines.push('', '| memory (resident) | build | sources |', '|---|---|---|');
  for (const m of result.memory) {
    lines.push(`| ${m.what} | ${fmt(m.build)} MB | ${fmt(m.sources)} MB |`);
  }
  return lines.join('\n');
}

if (import.meta.main) console.log(cliStartMarkdown(await runCliStartBench()));
