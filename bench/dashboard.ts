/**
 * Dashboard benchmarks (`node bench/dashboard.ts`, or `npm run bench -- --only dashboard`):
 * with five years of one simulated user,
 *   - p50/p95 of every dashboard API call, in-process (`app.inject`), on the embedded PostgreSQL 18
 *     and on PostgreSQL 15;
 *   - cold load of each page in headless Chromium until its charts are painted;
 *   - JavaScript transferred on first load;
 *   - night-endpoint throughput under autocannon on loopback, against a bare Fastify route;
 *   - peak memory of `snowtorch serve` plus the embedded PostgreSQL through all of the above.
 * The five-year databases are built once and kept (bench/results/, and a PostgreSQL database
 * `snowtorch_bench_dashboard_<days>d`), since loading them takes minutes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { createLoginLink } from '../src/accounts/links.ts';
import type { DatabaseConfig } from '../src/config/env.ts';
import { loadConfig } from '../src/config/env.ts';
import type { Db } from '../src/db/database.ts';
import { type OpenDatabase, openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { addDays } from '../src/insights/days.ts';
import { createApp } from '../src/server/app.ts';
import { ensureWebBuild } from '../src/server/webBuild.ts';
import { CHROMIUM, launchChromium } from '../test/support/chromium.ts';
import { loadSimulatedHistory } from './dashboardData.ts';
import { fmt, PG_BASE_URL, PRODUCT_NODE_FLAGS } from './support.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const DAYS = Number(process.env.SNOWTORCH_BENCH_DASHBOARD_DAYS ?? 5 * 365);
const END = '2026-11-28';
const SEED = 42;
const ITERATIONS = 60;
const WARMUP = 5;
const LOAD_SECONDS = 10;

type Kind = 'embedded' | 'postgres';
type Column = Kind | 'embedded-cached';

interface ApiRow {
  kind: Column;
  call: string;
  p50: number;
  p95: number;
}

const log = (msg: string) => process.stderr.write(`[dashboard bench] ${msg}\n`);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

const EMBEDDED_DIR = join(ROOT, 'bench', 'results', `dashboard-${DAYS}d`);
const PG_NAME = `snowtorch_bench_dashboard_${DAYS}d`;

function pgUrl(name: string): string {
  const url = new URL(PG_BASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function dbConfig(kind: Kind): DatabaseConfig {
  return kind === 'embedded'
    ? { kind: 'embedded', dataDir: EMBEDDED_DIR }
    : { kind: 'postgres', connectionString: pgUrl(PG_NAME), ssl: false };
}

/** Opens the five-year database of a kind, loading it first when it is new or incomplete. */
export async function openBenchDatabase(kind: Kind): Promise<OpenDatabase> {
  if (kind === 'postgres') {
    const admin = new pg.Client({ connectionString: PG_BASE_URL });
    await admin.connect();
    const exists = await admin.query('select 1 from pg_database where datname = $1', [PG_NAME]);
    if (exists.rowCount === 0) await admin.query(`create database ${PG_NAME}`);
    await admin.end();
  } else {
    await mkdir(EMBEDDED_DIR, { recursive: true });
  }
  const database = await openDatabase(dbConfig(kind));
  await migrateToLatest(database.db);
  const marker = await database.db
    .selectFrom('app_user')
    .innerJoin('daily_sleep', 'daily_sleep.user_id', 'app_user.id')
    .select((eb) => eb.fn.max('daily_sleep.day').as('last'))
    .executeTakeFirst();
  if (!marker?.last) {
    log(`loading ${DAYS} days into ${kind} (once; kept for later runs)`);
    const t0 = Date.now();
    await loadSimulatedHistory(database.db, { seed: SEED, days: DAYS, endDate: END });
    log(`loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  // Fresh planner statistics, as autovacuum would have them on a long-running install.
  if (!marker?.last || kind === 'postgres') {
    await sql`analyze`.execute(database.db);
  }
  return database;
}

/** A one-time login token for the first user (the API answers only logged-in requests). */
async function loginToken(db: Db): Promise<string> {
  const user = await db.selectFrom('app_user').select('id').orderBy('id').executeTakeFirstOrThrow();
  const link = await createLoginLink(db, user.id, 'http://127.0.0.1');
  return new URL(link.url).searchParams.get('token') ?? '';
}

/** The session cookie a login link gives, in process. */
async function injectLogin(app: Awaited<ReturnType<typeof createApp>>, db: Db): Promise<string> {
  const res = await app.inject(`/login/link?token=${await loginToken(db)}`);
  const session = res.cookies.find((c) => c.name === 'snowtorch_session');
  if (!session) throw new Error(`login link refused: ${res.statusCode}`);
  return `snowtorch_session=${session.value}`;
}

/** The session cookie a login link gives, over HTTP. */
async function fetchLogin(url: string, token: string): Promise<string> {
  const res = await fetch(`${url}/login/link?token=${token}`, { redirect: 'manual' });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('snowtorch_session='));
  if (!cookie) throw new Error(`login link refused: ${res.status}`);
  return cookie.split(';')[0] ?? '';
}

/** Every call the dashboard's pages make, with realistic parameters. */
function apiCalls(lastNight: string): [string, string][] {
  return [
    ['me', '/api/me'],
    ['night (latest)', `/api/nights/${lastNight}`],
    ['night (a year ago)', `/api/nights/${addDays(lastNight, -365)}`],
    ['trend 90 d', '/api/trends/sleep_score?range=90d'],
    ['trend 1 y', '/api/trends/total_sleep?range=1y'],
    ['trend all (5 y)', '/api/trends/average_hrv?range=all'],
    ['weekdays 1 y', '/api/trends/sleep_score/weekdays?range=1y'],
    ['stages 1 y', '/api/stages?range=1y'],
    ['timing 90 d', '/api/timing?range=90d'],
    ['heart rate (a day)', `/api/heartrate?day=${addDays(lastNight, -1)}`],
    ['workouts 1 y', '/api/workouts?range=1y'],
    ['coverage 1 y', '/api/coverage'],
    ['sync status', '/api/sync/status'],
  ];
}

async function benchApi(kind: Kind, cached = false): Promise<ApiRow[]> {
  const database = await openBenchDatabase(kind);
  // Cache off: every request is computed (the cost a first visit pays). Cache on: repeated calls.
  const app = await createApp({
    config: loadConfig({}),
    db: database.db,
    webDir: null,
    today: () => END,
    responseCache: cached,
  });
  const headers = { cookie: await injectLogin(app, database.db) };
  const me = (await app.inject({ url: '/api/me', headers })).json() as { lastNight: string };
  const rows: ApiRow[] = [];
  for (const [call, url] of apiCalls(me.lastNight)) {
    for (let i = 0; i < WARMUP; i++) await app.inject({ url, headers });
    const times: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const t = process.hrtime.bigint();
      const res = await app.inject({ url, headers });
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`);
    }
    times.sort((a, b) => a - b);
    rows.push({
      kind: cached ? 'embedded-cached' : kind,
      call,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
    });
  }
  await app.close();
  await database.close();
  return rows;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/** `snowtorch serve` on the five-year embedded database, as a user would start it. */
async function startServe(): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...PRODUCT_NODE_FLAGS, join(ROOT, 'bin/snowtorch.js'), 'serve'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        SNOWTORCH_DATA_DIR: EMBEDDED_DIR,
        SNOWTORCH_PORT: String(port),
        SNOWTORCH_HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DATABASE_URL: '',
      },
    },
  );
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`snowtorch serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
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

/** Peak (VmHWM) and current (VmRSS) resident set size of a process, in MB. */
async function rssMb(pid: number): Promise<{ peak: number; current: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) =>
    Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { peak: kb('VmHWM') / 1024, current: kb('VmRSS') / 1024 };
}

/** PSS (shared pages split between sharers) of the embedded postmaster and its children, in MB. */
async function embeddedPssMb(): Promise<number> {
  const pidFile = await readFile(join(EMBEDDED_DIR, 'postgres', 'postmaster.pid'), 'utf8');
  const postmaster = Number(pidFile.split('\n')[0]);
  let kb = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number(entry) !== postmaster && ppid !== postmaster) continue;
    const rollup = await readFile(`/proc/${entry}/smaps_rollup`, 'utf8').catch(() => '');
    kb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
  }
  return kb / 1024;
}

/**
 * Samples `serve`'s RSS plus the embedded server's PSS every 250 ms: the server's processes come
 * and go with connections, so only sampling sees their combined peak.
 */
function sampleMemory(servePid: number) {
  let peakTotal = 0;
  let peakPostgres = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const [serve, postgres] = await Promise.all([rssMb(servePid), embeddedPssMb()]);
      peakTotal = Math.max(peakTotal, serve.current + postgres);
      peakPostgres = Math.max(peakPostgres, postgres);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { peakTotal, peakPostgres, postgresNow: await embeddedPssMb() };
    },
  };
}

interface PageRow {
  page: string;
  ms: number;
  jsBytes: number;
}

const PAGES: [string, string, number][] = [
  // [name, path, charts that must be painted]
  ['Night', '/night', 4],
  ['Trends', '/trends', 1],
  ['Readiness', '/readiness', 6],
  ['Activity', '/activity', 6],
  ['SpO₂ & breathing', '/breathing', 3],
  ['Stress & resilience', '/stress', 3],
  ['Heart', '/heart', 6],
  ['Workouts', '/workouts', 0],
  ['Data & sync', '/data', 0],
];

async function benchPages(url: string, cookie: string): Promise<PageRow[]> {
  const browser = await launchChromium();
  const rows: PageRow[] = [];
  try {
    for (const [name, path, charts] of PAGES) {
      const samples: number[] = [];
      let jsBytes = 0;
      for (let run = 0; run < 3; run++) {
        // A new context per load: empty cache, as on a first visit.
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const [name, value] = cookie.split('=');
        await context.addCookies([{ name: name ?? '', value: value ?? '', url }]);
        const page = await context.newPage();
        const t0 = Date.now();
        await page.goto(`${url}${path}`);
        await page.waitForFunction(
          (n) =>
            document.querySelectorAll('.uplot canvas').length >= n &&
            document.querySelectorAll('main .loading').length === 0 &&
            document.querySelector('main h1') !== null &&
            (n > 0 || document.querySelectorAll('main svg, main table').length > 0),
          charts,
          { timeout: 30_000 },
        );
        // Two animation frames: the charts' canvases have been drawn and composited.
        await page.evaluate(
          () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
        );
        samples.push(Date.now() - t0);
        jsBytes = await page.evaluate(() =>
          performance
            .getEntriesByType('resource')
            .filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script')
            .reduce((sum, e) => sum + (e as PerformanceResourceTiming).transferSize, 0),
        );
        await context.close();
      }
      samples.sort((a, b) => a - b);
      rows.push({ page: name, ms: percentile(samples, 50), jsBytes });
    }
  } finally {
    await browser.close();
  }
  return rows;
}

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;

async function loadTest(url: string, cookie?: string): Promise<AutocannonResult> {
  // autocannon ships no types; its documented promise API is typed here.
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  return autocannon({
    url,
    connections: 10,
    duration: LOAD_SECONDS,
    ...(cookie ? { headers: { cookie } } : {}),
  });
}

/** The night endpoint with the response cache off, served from this process (embedded). */
async function uncachedNightRps(): Promise<AutocannonResult> {
  const database = await openBenchDatabase('embedded');
  const app = await createApp({
    config: loadConfig({}),
    db: database.db,
    webDir: null,
    today: () => END,
    responseCache: false,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    const cookie = await injectLogin(app, database.db);
    const me = (await app.inject({ url: '/api/me', headers: { cookie } })).json() as {
      lastNight: string;
    };
    return await loadTest(`http://127.0.0.1:${port}/api/nights/${me.lastNight}`, cookie);
  } finally {
    await app.close();
    await database.close();
  }
}

async function bareFastifyRps(): Promise<AutocannonResult> {
  const app = Fastify({ logger: false });
  app.get('/bare', async () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    return await loadTest(`http://127.0.0.1:${port}/bare`);
  } finally {
    await app.close();
  }
}

async function distJsGzipBytes(): Promise<number> {
  const html = await readFile(join(ROOT, 'web', 'dist', 'index.html'), 'utf8');
  let total = 0;
  for (const m of html.matchAll(/src="\/(assets\/[^"]+\.js)"/g)) {
    const gz = join(ROOT, 'web', 'dist', `${m[1]}.gz`);
    if (existsSync(gz)) total += (await readFile(gz)).length;
  }
  return total;
}

export async function runDashboardBench(): Promise<string> {
  log(`${DAYS} days of simulated data, ending ${END}`);
  const loadBefore = loadavg()[0] ?? 0;
  const api: ApiRow[] = [];
  for (const kind of ['embedded', 'postgres'] as const) {
    log(`API latency on ${kind}`);
    api.push(...(await benchApi(kind)));
  }
  log('API latency on the embedded PostgreSQL, response cache on (repeated calls)');
  api.push(...(await benchApi('embedded', true)));
  await ensureWebBuild(false);
  const jsGzip = await distJsGzipBytes();
  const tokenDb = await openBenchDatabase('embedded');
  const token = await loginToken(tokenDb.db);
  await tokenDb.close();
  log('starting snowtorch serve (embedded PostgreSQL)');
  const serve = await startServe();
  let pages: PageRow[] = [];
  let night: AutocannonResult;
  let rss: { peak: number; current: number };
  let memory: { peakTotal: number; peakPostgres: number; postgresNow: number };
  const sampler = sampleMemory(serve.child.pid ?? 0);
  try {
    const cookie = await fetchLogin(serve.url, token);
    if (existsSync(CHROMIUM)) {
      log('cold page loads in Chromium');
      pages = await benchPages(serve.url, cookie);
    } else log(`no Chromium at ${CHROMIUM}: page loads skipped`);
    const me = (await (await fetch(`${serve.url}/api/me`, { headers: { cookie } })).json()) as {
      lastNight: string;
    };
    log('throughput: night endpoint');
    night = await loadTest(`${serve.url}/api/nights/${me.lastNight}`, cookie);
    rss = await rssMb(serve.child.pid ?? 0);
  } finally {
    memory = await sampler.stop();
    await serve.stop();
  }
  log('throughput: night endpoint, response cache off');
  const uncached = await uncachedNightRps();
  log('throughput: bare Fastify route');
  const bare = await bareFastifyRps();

  const kinds: Column[] = ['embedded', 'postgres', 'embedded-cached'];
  const heading: Record<Column, string> = {
    embedded: 'embedded PostgreSQL 18',
    postgres: 'PostgreSQL 15',
    'embedded-cached': 'embedded, repeated (cache on)',
  };
  const calls = [...new Set(api.map((r) => r.call))];
  const cell = (kind: Column, call: string) => {
    const r = api.find((x) => x.kind === kind && x.call === call);
    return r ? `${fmt(r.p50, 1)} / ${fmt(r.p95, 1)}` : '–';
  };
  const worstP95 = (kind: Column) =>
    Math.max(...api.filter((r) => r.kind === kind).map((r) => r.p95));
  const lines = [
    `${DAYS} days (${fmt(DAYS / 365, 1)} years) of one simulated user (seed ${SEED}), loaded through`,
    'the storage layer as a sync stores it (raw documents, projections, heart rate every 5 minutes).',
    `Load average when the run started: ${fmt(loadBefore, 1)} on ${cpus().length} cores (the machine is shared;`,
    'figures taken on a busy machine are upper bounds).',
    '',
    `### API latency (ms, p50 / p95 of ${ITERATIONS} in-process requests after ${WARMUP} warm-up)`,
    '',
    'PostgreSQL columns: response cache off, every request queried (what a first visit',
    'pays). Last column: the default server, where a repeated call is answered from the cache until',
    'a sync stores new data (`/api/me` and `/api/sync/*` are always live).',
    '',
    'Target: p95 under 50 ms.',
    '',
    `| call | ${kinds.map((k) => heading[k]).join(' | ')} |`,
    `|---|${kinds.map(() => '---:').join('|')}|`,
    ...calls.map((c) => `| ${c} | ${kinds.map((k) => cell(k, c)).join(' | ')} |`),
    `| **worst p95** | ${kinds.map((k) => `**${fmt(worstP95(k), 1)}**`).join(' | ')} |`,
    '',
    '### Page loads (`snowtorch serve` on the embedded PostgreSQL, headless Chromium, empty cache)',
    '',
    'Target: charts painted under 1.5 s; initial JavaScript under 200 KB gzipped.',
    '',
  ];
  if (pages.length) {
    lines.push(
      '| page | cold load to charts painted (median of 3) | JavaScript transferred |',
      '|---|---:|---:|',
      ...pages.map((p) => `| ${p.page} | ${fmt(p.ms)} ms | ${fmt(p.jsBytes / 1024, 1)} KB |`),
      '',
    );
  } else lines.push('Chromium was not found; page loads were not measured.', '');
  lines.push(
    `Initial JavaScript in the build: ${fmt(jsGzip / 1024, 1)} KB gzipped (served pre-compressed; brotli is smaller still).`,
    '',
    `### Throughput (autocannon, 10 connections, ${LOAD_SECONDS} s, loopback)`,
    '',
    '| route | requests/s | p50 latency | p99 latency | non-2xx |',
    '|---|---:|---:|---:|---:|',
    `| GET /api/nights/:day, \`snowtorch serve\` (response cache on) | ${fmt(night.requests.average)} | ${night.latency.p50} ms | ${night.latency.p99} ms | ${night.non2xx} |`,
    `| GET /api/nights/:day, response cache off (every request queried) | ${fmt(uncached.requests.average)} | ${uncached.latency.p50} ms | ${uncached.latency.p99} ms | ${uncached.non2xx} |`,
    `| bare Fastify route | ${fmt(bare.requests.average)} | ${bare.latency.p50} ms | ${bare.latency.p99} ms | ${bare.non2xx} |`,
    '',
    `Night endpoint / bare route: **${fmt(night.requests.average / bare.requests.average, 3)}** with the response cache, ${fmt(uncached.requests.average / bare.requests.average, 3)} with every request queried.`,
    '',
    '### Memory',
    '',
    `\`snowtorch serve\` plus the embedded PostgreSQL, through the page loads and the load test (sampled every 250 ms: serve's RSS + the PSS of every server process): **${fmt(memory.peakTotal)} MB** at the peak (target under 200 MB).`,
    `Of that, \`serve\` alone peaked at ${fmt(rss.peak)} MB RSS (${fmt(rss.current)} MB at the end); the server processes peaked at ${fmt(memory.peakPostgres)} MB PSS (${fmt(memory.postgresNow)} MB once idle).`,
    'PSS counts shared memory (the 16 MB buffer pool, the binaries) once across the processes, which',
    'is what they cost the machine; their RSS figures would count it once per process.',
  );
  return lines.join('\n');
}

if (import.meta.main) {
  const markdown = await runDashboardBench();
  process.stdout.write(`${markdown}\n`);
  const doc = join(ROOT, 'docs', 'benchmarks.md');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, measured ${new Date().toISOString().slice(0, 10)}`;
  let text = existsSync(doc)
    ? await readFile(doc, 'utf8')
    : '# Benchmarks\n\nWritten by `npm run bench`; each section is replaced when it runs.\n';
  const start = '<!-- bench:dashboard -->';
  const end = '<!-- /bench:dashboard -->';
  const block = `${start}\n## Dashboard\n\nMachine: ${machine}.\n\n${markdown.trim()}\n${end}`;
  const re = new RegExp(`${start}[\\s\\S]*?${end}`);
  text = re.test(text) ? text.replace(re, block) : `${text.trimEnd()}\n\n${block}\n`;
  await writeFile(doc, text);
}
