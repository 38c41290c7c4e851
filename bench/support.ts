import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../src/config/env.ts';
import { stopEmbeddedServer } from '../src/db/embedded/server.ts';

/** Base URL of the PostgreSQL server benchmarks create throwaway databases on. */
export const PG_BASE_URL =
  process.env.SNOWTORCH_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type DbKind = 'embedded' | 'postgres';

/** A fresh, empty database of the given kind; `drop()` removes it. */
export async function scratchDatabase(
  kind: DbKind,
  label: string,
): Promise<{ config: DatabaseConfig; drop(): Promise<void> }> {
  if (kind === 'embedded') {
    const dir = await mkdtemp(join(tmpdir(), `snowtorch-bench-${label}-`));
    // Under root the server runs as `postgres`, which must be able to pass through.
    await chmod(dir, 0o755);
    return {
      config: { kind: 'embedded', dataDir: dir },
      async drop() {
        await stopEmbeddedServer(dir);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `snowtorch_bench_${label}_${process.pid}`.replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Client({ connectionString: PG_BASE_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_BASE_URL);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', connectionString: url.toString(), ssl: false },
    async drop() {
      const c = new pg.Client({ connectionString: PG_BASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

const ROOT = new URL('..', import.meta.url).pathname;

/** Start `snowtorch simulator` in its own process (so its memory is not the sync's). */
export async function startSimulatorProcess(args: {
  seed: number;
  users: number;
  days: number;
  latencyMs: number;
}): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin/snowtorch.js'),
      'simulator',
      '--port',
      '0',
      '--seed',
      String(args.seed),
      '--users',
      String(args.users),
      '--days',
      String(args.days),
      '--latency-ms',
      String(args.latencyMs),
      '--auto-approve',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(buffered);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/**
 * V8 flags of the shipped launchers (`./snowtorch`, the container image): measured processes run
 * with them, so the figures are those of the product as it runs.
 */
export const PRODUCT_NODE_FLAGS = ['--max-semi-space-size=4'];

/** Run a TypeScript file in a child Node process, returning the JSON it prints last. */
export async function runChild<T>(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<T> {
  const child = spawn(process.execPath, [...PRODUCT_NODE_FLAGS, join(ROOT, file), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${file} exited with ${code}`);
  const last = out.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
