import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLink } from '../src/accounts/links.ts';
import { listExportDocuments } from '../src/db/queries/listExportDocuments.ts';
import { listTypedRows } from '../src/db/queries/listTypedRows.ts';
import { createApp } from '../src/server/app.ts';
import { anonymous, loginWithLink, type TestSession } from './support/auth.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';
import { parseCsv, unzipText } from './support/unzip.ts';

/**
 * "Export my data": every stored document of the logged-in user, and only theirs, as NDJSON
 * streamed from the raw documents the real engine synced from the simulator.
 */

const END = '2026-11-28';
let h: SyncHarness;
let app: FastifyInstance;
let a: TestSession;
let b: TestSession;
let aId = 0;
let bId = 0;

interface Line {
  dataType: string;
  id: string;
  day: string | null;
  fetchedAt: string;
  document: Record<string, unknown>;
}

function parse(body: string): Line[] {
  expect(body.endsWith('\n') || body === '').toBe(true);
  return body
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);
}

function countByType(lines: { dataType: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of lines) counts[l.dataType] = (counts[l.dataType] ?? 0) + 1;
  return counts;
}

/** What the database holds for a user: live documents per type, and their keys. */
async function stored(userId: number) {
  const rows = await h.db
    .selectFrom('raw_document')
    .select(['data_type', 'doc_id'])
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .execute();
  return {
    counts: countByType(rows.map((r) => ({ dataType: r.data_type }))),
    keys: new Set(rows.map((r) => `${r.data_type}/${r.doc_id}`)),
  };
}

beforeAll(async () => {
  h = await startSyncHarness({ days: 40, endDate: END, users: 2 });
  const ua = await h.connect('demo');
  const ub = await h.connect('alex');
  aId = ua.id;
  bId = ub.id;
  expect((await h.sync(ua.id)).status).toBe('succeeded');
  expect((await h.sync(ub.id)).status).toBe('succeeded');
  // Two of A's documents disappeared upstream: kept as deleted, never exported.
  const gone = await h.db
    .selectFrom('raw_document')
    .select(['data_type', 'doc_id'])
    .where('user_id', '=', aId)
    .where('data_type', '=', 'sleep')
    .orderBy('doc_id')
    .limit(2)
    .execute();
  expect(gone).toHaveLength(2);
  for (const g of gone) {
    await h.db
      .updateTable('raw_document')
      .set({ deleted_at: new Date() })
      .where('user_id', '=', aId)
      .where('data_type', '=', g.data_type)
      .where('doc_id', '=', g.doc_id)
      .execute();
  }
  app = await createApp({
    config: h.config,
    db: h.db,
    sync: h.ctx,
    webDir: null,
    today: () => END,
  });
  a = await loginWithLink(app, (await createLoginLink(h.db, ua.id, 'http://x')).url);
  b = await loginWithLink(app, (await createLoginLink(h.db, ub.id, 'http://x')).url);
}, 300_000);

afterAll(async () => {
  await app?.close();
  await h?.close();
});

describe('GET /api/export', () => {
  it('downloads every live document of the logged-in user as an NDJSON attachment', async () => {
    const res = await a.inject('/api/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="snowtorch-export-demo-${END}.ndjson"`,
    );
    const lines = parse(res.body);
    const own = await stored(aId);
    expect(countByType(lines)).toEqual(own.counts);
    expect(new Set(lines.map((l) => `${l.dataType}/${l.id}`))).toEqual(own.keys);
    // More documents than one batch: pagination must neither repeat nor skip any.
    expect(lines.length).toBeGreaterThan(400);
    expect(new Set(lines.map((l) => `${l.dataType}/${l.id}`)).size).toBe(lines.length);
    // Deleted documents stay out.
    const deleted = await h.db
      .selectFrom('raw_document')
      .select('doc_id')
      .where('user_id', '=', aId)
      .where('deleted_at', 'is not', null)
      .execute();
    expect(deleted).toHaveLength(2);
    for (const d of deleted) expect(lines.some((l) => l.id === d.doc_id)).toBe(false);
  });

  it('keeps each document exactly as Oura sent it, with its day and fetch time', async () => {
    const lines = parse((await a.inject('/api/export?types=sleep,daily_readiness')).body);
    const sim = h.simUser('demo');
    const sleep = lines.filter((l) => l.dataType === 'sleep');
    expect(sleep.length).toBeGreaterThan(0);
    for (const line of sleep) {
      expect(line.document, line.id).toEqual(sim.documents.sleep.get(line.id));
      expect(line.day).toBe(line.document.day);
      expect(Number.isNaN(Date.parse(line.fetchedAt))).toBe(false);
    }
  });

  it('exports only the requested types', async () => {
    const own = await stored(aId);
    const lines = parse((await a.inject('/api/export?types=daily_sleep,heartrate')).body);
    expect(countByType(lines)).toEqual({
      daily_sleep: own.counts.daily_sleep,
      heartrate: own.counts.heartrate,
    });
  });

  it('refuses an unknown type with the API error shape', async () => {
    const res = await a.inject('/api/export?types=sleep,passwords');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: { code: 'invalid_request', details: { unknown: ['passwords'] } },
    });
  });

  it('asks for a login first', async () => {
    const res = await (await anonymous(app)).inject('/api/export');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it("never gives one member another's documents, whatever the URL or headers say", async () => {
    const theirs = await stored(aId);
    const own = await stored(bId);
    for (const url of [
      '/api/export',
      `/api/export?user=${aId}`,
      `/api/export?userId=${aId}&types=sleep`,
    ]) {
      const res = await b.inject({ url, headers: { 'x-user-id': String(aId), 'x-user': 'demo' } });
      if (res.statusCode !== 200) {
        expect(res.statusCode, url).toBe(400);
        continue;
      }
      expect(res.headers['content-disposition']).toContain('snowtorch-export-alex-');
      const keys = new Set(parse(res.body).map((l) => `${l.dataType}/${l.id}`));
      expect(keys).toEqual(own.keys);
    }
    // Sleep documents have unique ids: none of A's appears in B's export.
    const bLines = parse((await b.inject('/api/export?types=sleep')).body);
    expect(bLines.length).toBeGreaterThan(0);
    for (const l of bLines) expect(theirs.keys.has(`sleep/${l.id}`)).toBe(false);
  });

  it('reads the same documents whatever the batch size', async () => {
    const all: string[] = [];
    for await (const batch of listExportDocuments(h.db, aId, { batchSize: 7 })) {
      expect(batch.length).toBeLessThanOrEqual(7);
      all.push(...batch.map((d) => `${d.dataType}/${d.id}`));
    }
    expect(new Set(all)).toEqual((await stored(aId)).keys);
    expect(all).toHaveLength((await stored(aId)).keys.size);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await a.inject('/api/openapi.json')).json() as {
      paths: Record<string, { get?: { tags?: string[] } }>;
    };
    expect(doc.paths['/api/export']?.get?.tags).toEqual(['data']);
  });
});

describe('GET /api/export?format=csv', () => {
  async function csvExport(session: TestSession, query: string) {
    const res = await session.inject(`/api/export?format=csv${query}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    return { res, files: await unzipText(res.rawPayload) };
  }

  it('downloads the typed tables as one CSV per type in a zip, with a README of columns and units', async () => {
    const { res, files } = await csvExport(a, '&types=sleep,heartrate,daily_readiness');
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="snowtorch-export-demo-${END}.zip"`,
    );
    expect([...files.keys()].sort()).toEqual([
      'README.md',
      'daily_readiness.csv',
      'heartrate.csv',
      'sleep.csv',
    ]);
    const readme = files.get('README.md') ?? '';
    expect(readme).toContain('## heartrate.csv');
    expect(readme).toContain('| bpm | smallint | beats per minute |');
    expect(readme).toContain('| total_sleep_duration | integer | seconds |');
    expect(readme).toContain(
      '| temperature_deviation | double precision | °C from the personal baseline |',
    );

    const hr = parseCsv(files.get('heartrate.csv') ?? '');
    expect(hr[0]).toEqual(['ts', 'bpm', 'source']);
    const samples = await h.db
      .selectFrom('heart_rate_sample')
      .select(['ts', 'bpm', 'source'])
      .where('user_id', '=', aId)
      .orderBy('ts')
      .orderBy('source')
      .execute();
    expect(samples.length).toBeGreaterThan(0);
    expect(hr.slice(1)).toEqual(samples.map((s) => [s.ts.toISOString(), String(s.bpm), s.source]));

    const sleep = parseCsv(files.get('sleep.csv') ?? '');
    expect(sleep[0]).not.toContain('user_id');
    const idCol = sleep[0]?.indexOf('id') ?? -1;
    const periods = await h.db
      .selectFrom('sleep_period')
      .select('id')
      .where('user_id', '=', aId)
      .orderBy('id')
      .execute();
    expect(sleep.slice(1).map((r) => r[idCol])).toEqual(periods.map((p) => p.id));
    // Sample series stay whole: a JSON array in one quoted field.
    const items = sleep[0]?.indexOf('heart_rate_items') ?? -1;
    expect(Array.isArray(JSON.parse(sleep[1]?.[items] ?? 'null'))).toBe(true);
  });

  it('keeps to the asked days', async () => {
    const since = '2026-11-10';
    const until = '2026-11-20';
    const { files } = await csvExport(
      a,
      `&types=daily_sleep,heartrate&since=${since}&until=${until}`,
    );
    const days = parseCsv(files.get('daily_sleep.csv') ?? '');
    const dayCol = days[0]?.indexOf('day') ?? -1;
    expect(
      days
        .slice(1)
        .map((r) => r[dayCol])
        .sort(),
    ).toEqual(Array.from({ length: 11 }, (_, i) => `2026-11-${String(10 + i).padStart(2, '0')}`));
    const hr = parseCsv(files.get('heartrate.csv') ?? '').slice(1);
    expect(hr.length).toBeGreaterThan(0);
    for (const r of hr)
      expect((r[0] ?? '').slice(0, 10) >= since && (r[0] ?? '') < '2026-11-21').toBe(true);
    // The NDJSON export honours the same span.
    const lines = parse(
      (await a.inject(`/api/export?types=daily_sleep&since=${since}&until=${until}`)).body,
    );
    expect(lines.map((l) => l.day).sort()).toEqual(
      days
        .slice(1)
        .map((r) => r[dayCol])
        .sort(),
    );
  });

  it('pages through a composite key without repeating or skipping a row', async () => {
    const all: string[] = [];
    const query = {
      table: 'heart_rate_sample',
      columns: ['ts', 'bpm', 'source'],
      key: ['ts', 'source'],
      range: { column: 'ts', kind: 'timestamp' as const },
      since: '2026-11-20',
      until: '2026-11-22',
    };
    for await (const rows of listTypedRows(h.db, aId, query, 97)) {
      expect(rows.length).toBeLessThanOrEqual(97);
      all.push(...rows.map((r) => `${(r.ts as Date).toISOString()}/${r.source}`));
    }
    const expected = await h.db
      .selectFrom('heart_rate_sample')
      .select(['ts', 'source'])
      .where('user_id', '=', aId)
      .where('ts', '>=', new Date('2026-11-20T00:00:00Z'))
      .where('ts', '<', new Date('2026-11-23T00:00:00Z'))
      .orderBy('ts')
      .orderBy('source')
      .execute();
    expect(expected.length).toBeGreaterThan(97 * 3);
    expect(all).toEqual(expected.map((r) => `${r.ts.toISOString()}/${r.source}`));
  });

  it("holds only the caller's rows", async () => {
    const { files } = await csvExport(b, '&types=sleep');
    const sleep = parseCsv(files.get('sleep.csv') ?? '');
    const idCol = sleep[0]?.indexOf('id') ?? -1;
    const theirs = await stored(aId);
    expect(sleep.length).toBeGreaterThan(1);
    for (const r of sleep.slice(1)) expect(theirs.keys.has(`sleep/${r[idCol]}`)).toBe(false);
  });

  it('refuses a wrong format or day with the API error shape', async () => {
    for (const q of [
      'format=xlsx',
      'format=csv&since=2026-13-01',
      'since=2026-11-20&until=2026-11-01',
    ]) {
      const res = await a.inject(`/api/export?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json(), q).toMatchObject({ error: { code: 'invalid_request' } });
    }
  });
});
