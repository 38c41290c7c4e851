import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/simulator/index.ts';
import { FIXTURE_END, fixtureUsers, startFixtureSimulator } from './support/simFixture.ts';

let sim: Simulator;
let token: string;

beforeAll(async () => {
  sim = await startFixtureSimulator({ pageSize: 7, timeSeriesPageSize: 100 });
  token = sim.issueTokens('demo').access_token;
});
afterAll(() => sim.close());

async function get(path: string, opts: { token?: string | null } = {}) {
  const bearer = opts.token === undefined ? token : opts.token;
  const res = await fetch(`${sim.url}${path}`, {
    headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` },
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

type Doc = Record<string, unknown>;

async function getAll(path: string): Promise<{ docs: Doc[]; pages: number }> {
  const docs: Doc[] = [];
  let pages = 0;
  let next: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const url: string =
      next === null ? path : `${path}${sep}next_token=${encodeURIComponent(next)}`;
    const res = await get(url);
    expect(res.status).toBe(200);
    docs.push(...res.body.data);
    next = res.body.next_token;
    pages++;
  } while (next !== null);
  return { docs, pages };
}

const days = (docs: Doc[]) => docs.map((d) => d.day);
const demo = () => {
  const user = sim.users[0];
  if (!user) throw new Error('no demo user');
  return user;
};

describe('paging', () => {
  it('returns every document in the range exactly once across pages', async () => {
    const { docs, pages } = await getAll(
      '/v2/usercollection/daily_sleep?start_date=2024-12-10&end_date=2025-01-20',
    );
    const expected = [...demo().documents.daily_sleep.values()].filter(
      (d) => String(d.day) >= '2024-12-10' && String(d.day) < '2025-01-20',
    );
    expect(pages).toBe(Math.ceil(expected.length / 7));
    expect(docs).toEqual(expected);
    expect(new Set(docs.map((d) => d.id)).size).toBe(docs.length);
  });

  it('pages a time series without gaps or repeats', async () => {
    const start = '2025-01-20T00:00:00Z';
    const end = '2025-01-22T06:00:00Z';
    const { docs, pages } = await getAll(
      `/v2/usercollection/heartrate?start_datetime=${start}&end_datetime=${end}`,
    );
    expect(docs).toEqual(demo().heartrate(Date.parse(start), Date.parse(end)));
    expect(pages).toBe(Math.ceil(docs.length / 100));
  });

  it('pages a time series whose end defaults to now', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const live = await startSimulator({
      seed: 0,
      users: 1,
      days: 3,
      dataset: fixtureUsers({ users: 1, days: 3, endDate: today }),
      timeSeriesPageSize: 50,
    });
    try {
      const bearer = live.issueTokens('demo').access_token;
      const seen: unknown[] = [];
      let next: string | null = null;
      do {
        const query: string = next === null ? '' : `?next_token=${encodeURIComponent(next)}`;
        const res = await fetch(`${live.url}/v2/usercollection/heartrate${query}`, {
          headers: { authorization: `Bearer ${bearer}` },
        });
        expect(res.status).toBe(200);
        const body = await res.json();
        seen.push(...body.data.map((r: { timestamp_unix: number }) => r.timestamp_unix));
        next = body.next_token;
      } while (next !== null);
      expect(seen.length).toBeGreaterThan(50);
      expect(new Set(seen).size).toBe(seen.length);
    } finally {
      await live.close();
    }
  });

  it('refuses a next_token from a different query, and a made-up one, with 400', async () => {
    const first = await get(
      '/v2/usercollection/daily_sleep?start_date=2024-12-10&end_date=2025-01-20',
    );
    const token = encodeURIComponent(first.body.next_token);
    const other = await get(
      `/v2/usercollection/daily_sleep?start_date=2024-12-11&end_date=2025-01-20&next_token=${token}`,
    );
    expect(other.status).toBe(400);
    expect(other.body.detail).toMatch(/next_token/);
    const otherRoute = await get(
      `/v2/usercollection/daily_readiness?start_date=2024-12-10&end_date=2025-01-20&next_token=${token}`,
    );
    expect(otherRoute.status).toBe(400);
    const junk = await get('/v2/usercollection/daily_sleep?next_token=not-a-token');
    expect(junk.status).toBe(400);
  });
});

describe('date ranges', () => {
  it('excludes a date-only end_date and includes a date-time end_date after midnight', async () => {
    const dateOnly = await get(
      '/v2/usercollection/daily_readiness?start_date=2025-01-25&end_date=2025-01-28',
    );
    expect(days(dateOnly.body.data)).toEqual(['2025-01-25', '2025-01-26', '2025-01-27']);
    const endOfDay = await get(
      '/v2/usercollection/daily_readiness?start_date=2025-01-25&end_date=2025-01-28T23:59:59',
    );
    expect(days(endOfDay.body.data)).toEqual([
      '2025-01-25',
      '2025-01-26',
      '2025-01-27',
      '2025-01-28',
    ]);
    const midnight = await get(
      '/v2/usercollection/daily_readiness?start_date=2025-01-25T00:00:00&end_date=2025-01-28T00:00:00%2B02:00',
    );
    expect(days(midnight.body.data)).toEqual(['2025-01-25', '2025-01-26', '2025-01-27']);
  });

  it('selects range-started documents by start_day (enhanced_tag, rest_mode_period)', async () => {
    const tags = await get(
      '/v2/usercollection/enhanced_tag?start_date=2025-01-30&end_date=2025-02-01',
    );
    expect(tags.body.data.map((d: Doc) => d.start_day)).toEqual(['2025-01-30', '2025-01-31']);
  });

  it('defaults the start to one week before the end', async () => {
    const res = await get('/v2/usercollection/daily_sleep?end_date=2025-01-20');
    expect(days(res.body.data)).toEqual([
      '2025-01-13',
      '2025-01-14',
      '2025-01-15',
      '2025-01-16',
      '2025-01-17',
      '2025-01-18',
      '2025-01-19',
    ]);
  });

  it('answers a start after the end with 422 "Start date must be before end date"', async () => {
    const res = await get('/v2/usercollection/sleep?start_date=2025-01-21&end_date=2025-01-20');
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ detail: 'Start date must be before end date' });
    const series = await get(
      '/v2/usercollection/heartrate?start_datetime=2025-01-21T00:00:00Z&end_datetime=2025-01-20T00:00:00Z',
    );
    expect(series.status).toBe(422);
    expect(series.body).toEqual({ detail: 'Start date must be before end date' });
  });

  it('answers unparsable dates with 422 in the HTTPValidationError shape', async () => {
    const res = await get('/v2/usercollection/sleep?start_date=yesterday&end_date=2025-02-30');
    expect(res.status).toBe(422);
    expect(res.body.detail).toHaveLength(2);
    expect(res.body.detail[0]).toMatchObject({
      loc: ['query', 'start_date'],
      input: 'yesterday',
      type: expect.any(String),
      msg: expect.any(String),
      ctx: expect.any(Object),
    });
    expect(res.body.detail[1]).toMatchObject({ loc: ['query', 'end_date'], input: '2025-02-30' });
    // An unescaped '+' in an offset arrives as a space (spec: send it as %2B).
    const plus = await get('/v2/usercollection/heartrate?start_datetime=2025-01-20T00:00:00+01:00');
    expect(plus.status).toBe(422);
    expect(plus.body.detail[0].loc).toEqual(['query', 'start_datetime']);
    const latest = await get('/v2/usercollection/heartrate?latest=maybe');
    expect(latest.status).toBe(422);
    expect(latest.body.detail[0]).toMatchObject({ loc: ['query', 'latest'], type: 'bool_parsing' });
  });

  it('rejects time-series windows longer than 30 days with 400', async () => {
    const res = await get(
      '/v2/usercollection/heartrate?start_datetime=2024-12-01T00:00:00Z&end_datetime=2025-01-01T00:00:01Z',
    );
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/30 days/);
    const ok = await get(
      '/v2/usercollection/ring_battery_level?start_datetime=2024-12-01T00:00:00Z&end_datetime=2024-12-31T00:00:00Z',
    );
    expect(ok.status).toBe(200);
  });

  it('returns the most recent sample for latest=true', async () => {
    const res = await get(
      `/v2/usercollection/heartrate?latest=true&end_datetime=${FIXTURE_END}T12:00:00Z`,
    );
    const expected = demo().heartrate(
      Date.parse(`${FIXTURE_END}T11:00:00Z`),
      Date.parse(`${FIXTURE_END}T12:00:00Z`),
    );
    expect(res.body).toEqual({ data: [expected[expected.length - 1]], next_token: null });
  });

  it('serves ring_configuration without a range', async () => {
    const res = await get('/v2/usercollection/ring_configuration?start_date=2030-01-01');
    expect(res.body).toEqual({
      data: [...demo().documents.ring_configuration.values()],
      next_token: null,
    });
  });
});

describe('fields', () => {
  it('projects to the named fields plus id, day and timestamp', async () => {
    const res = await get('/v2/usercollection/daily_sleep?start_date=2025-01-30&fields=score');
    for (const doc of res.body.data) {
      expect(Object.keys(doc).sort()).toEqual(['day', 'id', 'score', 'timestamp']);
    }
    const hr = await get(
      '/v2/usercollection/heartrate?start_datetime=2025-01-30T00:00:00Z&end_datetime=2025-01-30T00:10:00Z&fields=bpm',
    );
    expect(hr.body.data[0]).toEqual({ timestamp: expect.any(String), bpm: expect.any(Number) });
  });
});

describe('single documents and errors', () => {
  it('returns one document by id and 404 "Document not found." otherwise', async () => {
    const [id, doc] = [...demo().documents.sleep][0] ?? [];
    const res = await get(`/v2/usercollection/sleep/${id}`);
    expect(res.body).toEqual(doc);
    const other = await get('/v2/usercollection/sleep/does-not-exist');
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ detail: 'Document not found.' });
    // Another user's document is not visible with this token.
    const alexDoc = sim.users[1]?.documents.sleep.keys().next().value;
    expect((await get(`/v2/usercollection/sleep/${alexDoc}`)).status).toBe(404);
  });

  it('answers 401 for a missing or unknown token', async () => {
    const missing = await get('/v2/usercollection/sleep', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    const unknown = await get('/v2/usercollection/sleep', { token: 'made-up' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toMatch(/invalid/i);
  });

  it("answers 403 when the token's scopes lack the route's scope", async () => {
    const limited = sim.issueTokens('demo', ['personal']).access_token;
    const res = await get('/v2/usercollection/daily_spo2', { token: limited });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/spo2Daily/);
    const heart = await get('/v2/usercollection/heartrate', { token: limited });
    expect(heart.status).toBe(403);
  });

  it('gives personal_info id to any token, the rest only with personal/email scopes', async () => {
    const none = sim.issueTokens('demo', []).access_token;
    const bare = await get('/v2/usercollection/personal_info', { token: none });
    expect(bare.body).toEqual({
      id: demo().personalInfo.id,
      age: null,
      weight: null,
      height: null,
      biological_sex: null,
      email: null,
    });
    const full = await get('/v2/usercollection/personal_info');
    expect(full.body).toEqual(demo().personalInfo);
  });

  it('answers unknown paths with 404 {"detail":"Not Found"}', async () => {
    const res = await get('/v2/usercollection/vo2_max');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: 'Not Found' });
  });
});

describe('sandbox', () => {
  it('needs no token and refuses fields and latest with 400', async () => {
    const fields = await get('/v2/sandbox/usercollection/daily_sleep?fields=score', {
      token: null,
    });
    expect(fields.status).toBe(400);
    const latest = await get('/v2/sandbox/usercollection/heartrate?latest=true', { token: null });
    expect(latest.status).toBe(400);
  });
});
