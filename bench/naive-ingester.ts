/**
 * The yardstick for the sync benchmark: the simplest correct ingester of the 11 data types a
 * typical hand-written Oura script fetches. One request at a time (each type's whole range,
 * following next_token), one INSERT per document into one table per type (id, day, the
 * document as jsonb), committed once per type as a psycopg script does by default (a commit per
 * INSERT would make it wait for a disk flush per row), no raw copy, no windows, no cursors.
 *   node bench/naive-ingester.ts --sim URL --db postgres://... --start YYYY-MM-DD
 * Prints one JSON line: wall time, CPU time, documents, requests, peak RSS.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';

export const NAIVE_TYPES = [
  'sleep',
  'daily_sleep',
  'daily_readiness',
  'daily_activity',
  'daily_spo2',
  'daily_stress',
  'daily_resilience',
  'daily_cardiovascular_age',
  'vO2_max',
  'workout',
  'sleep_time',
] as const;

const CLIENT_ID = 'snowtorch-dev';
const CLIENT_SECRET = 'snowtorch-dev-secret';
const REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** The OAuth code flow against the simulator's auto-approving authorize page. */
async function accessToken(sim: string): Promise<string> {
  const authorize = new URL('/oauth/authorize', sim);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: 'personal daily heartrate workout tag session spo2Daily',
    state: 'naive',
  }).toString();
  const approved = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(approved.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`no authorization code (${approved.status})`);
  const token = await fetch(new URL('/oauth/token', sim), {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uri: REDIRECT_URI,
    }),
  });
  const body = (await token.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`token exchange failed (${token.status})`);
  return body.access_token;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sim: { type: 'string' }, db: { type: 'string' }, start: { type: 'string' } },
  });
  const sim = values.sim ?? '';
  const start = values.start ?? '';
  const end = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const db = new pg.Client({ connectionString: values.db });
  await db.connect();
  try {
    for (const type of NAIVE_TYPES) {
      await db.query(`DROP TABLE IF EXISTS naive_${type.toLowerCase()}`);
      await db.query(
        `CREATE TABLE naive_${type.toLowerCase()} (id text PRIMARY KEY, day date, document jsonb NOT NULL)`,
      );
    }
    const token = await accessToken(sim);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    let documents = 0;
    let requests = 0;
    for (const type of NAIVE_TYPES) {
      const insert = `INSERT INTO naive_${type.toLowerCase()} (id, day, document) VALUES ($1, $2, $3)
        ON CONFLICT (id) DO UPDATE SET day = EXCLUDED.day, document = EXCLUDED.document`;
      let nextToken: string | null = null;
      await db.query('BEGIN');
      do {
        const url = new URL(`/v2/usercollection/${type}`, sim);
        url.searchParams.set('start_date', start);
        url.searchParams.set('end_date', end);
        if (nextToken) url.searchParams.set('next_token', nextToken);
        const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
        requests++;
        if (!res.ok) throw new Error(`${type}: ${res.status} ${await res.text()}`);
        const page = (await res.json()) as {
          data: Record<string, unknown>[];
          next_token?: string | null;
        };
        for (const doc of page.data) {
          const day = typeof doc.day === 'string' ? doc.day : null;
          await db.query(insert, [String(doc.id), day, JSON.stringify(doc)]);
          documents++;
        }
        nextToken = page.next_token ?? null;
      } while (nextToken);
      await db.query('COMMIT');
    }
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    process.stdout.write(
      `${JSON.stringify({
        status: 'succeeded',
        wallMs,
        cpuMs: (cpu.user + cpu.system) / 1000,
        documents,
        requests,
        peakRssMb: process.resourceUsage().maxRSS / 1024,
      })}\n`,
    );
  } finally {
    await db.end();
  }
}

if (import.meta.main) await main();
