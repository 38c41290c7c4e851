import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createOuraClient,
  type OuraClientOptions,
  type Page,
  type TokenProvider,
} from '../src/oura/client.ts';
import {
  OuraAppUpdateError,
  OuraAuthError,
  OuraProtocolError,
  OuraRateLimitError,
  OuraScopeError,
  OuraTimeoutError,
  OuraUpstreamError,
  OuraValidationError,
} from '../src/oura/errors.ts';
import { createLimiter } from '../src/oura/limiter.ts';
import { refreshTokens } from '../src/oura/oauth.ts';
import { addDays } from '../src/oura/ranges.ts';
import type { DataType } from '../src/oura/routes.ts';
import { type Simulator, startSimulator } from '../src/simulator/index.ts';

const END = '2025-03-31';
let sim: Simulator;
/** Last day holding a daily_sleep (and daily_stress, daily_spo2...) document. */
let LAST = '';

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, users: 1, days: 90, endDate: END, pageSize: 5 });
  const days = [...(sim.users[0]?.documents.daily_sleep.values() ?? [])].map((d) => String(d.day));
  LAST = days.sort().at(-1) ?? END;
});
afterAll(async () => {
  await sim?.close();
});
afterEach(() => {
  sim.faults.reset();
});

/** Tokens held in memory; a 401 refreshes through the simulator's real token endpoint. */
function memoryTokens(scopes?: string[]) {
  let current: { access_token: string; refresh_token: string } = sim.issueTokens('demo', scopes);
  let refreshes = 0;
  const provider: TokenProvider = {
    accessToken: async () => current.access_token,
    refreshAfterUnauthorized: async (rejected) => {
      if (rejected !== current.access_token) return current.access_token;
      const set = await refreshTokens(
        {
          tokenUrl: `${sim.url}/oauth/token`,
          clientId: 'snowtorch-dev',
          clientSecret: 'snowtorch-dev-secret',
        },
        current.refresh_token,
      );
      refreshes++;
      current = { access_token: set.accessToken, refresh_token: set.refreshToken ?? '' };
      return current.access_token;
    },
  };
  return {
    provider,
    get refreshes() {
      return refreshes;
    },
  };
}

function client(opts: Partial<OuraClientOptions> = {}) {
  return createOuraClient({
    baseUrl: sim.url,
    tokens: memoryTokens().provider,
    retryBaseDelayMs: 20,
    ...opts,
  });
}

async function collect(pages: AsyncGenerator<Page>): Promise<Page[]> {
  const out: Page[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const docsOf = (pages: Page[]) => pages.flatMap((p) => p.documents);

function expectedDocs(
  type: Exclude<DataType, 'heartrate' | 'ring_battery_level'>,
  from: string,
  to: string,
) {
  const user = sim.users[0];
  if (!user) throw new Error('simulator has no user');
  return [...user.documents[type].values()].filter((d) => {
    const day = String(d.day);
    return day >= from && day <= to;
  });
}

describe('listing documents', () => {
  it('follows next_token across many pages and returns every document exactly once', async () => {
    const c = client();
    const pages = await collect(c.listPages('daily_sleep', { start: '2025-01-01', end: LAST }));
    const expected = expectedDocs('daily_sleep', '2025-01-01', LAST);
    expect(expected.length).toBeGreaterThan(50);
    expect(pages.length).toBe(Math.ceil(expected.length / 5));
    const ids = docsOf(pages).map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(expected.map((d) => d.id)));
    expect(c.stats.requests).toBe(pages.length);
  });

  it('returns documents as received, unknown fields included', async () => {
    const [page] = await collect(client().listPages('sleep', { start: LAST, end: LAST }));
    const expected = expectedDocs('sleep', LAST, LAST);
    expect(page?.documents).toEqual(expected);
  });

  it('includes the documents of the last day of the range (end_date is sent as end + 1)', async () => {
    const first = addDays(LAST, -6);
    const docs = docsOf(
      await collect(client().listPages('daily_readiness', { start: first, end: LAST })),
    );
    const days = docs.map((d) => String(d.day));
    expect(days).toContain(LAST);
    expect(days.every((d) => d >= first && d <= LAST)).toBe(true);
    expect(docs).toEqual(expectedDocs('daily_readiness', first, LAST));
  });

  it('splits a long heart-rate range into windows of at most 30 days, each row once', async () => {
    const start = '2025-01-05T00:00:00Z';
    const end = '2025-03-15T12:00:00Z';
    const c = client();
    const rows = docsOf(await collect(c.listPages('heartrate', { start, end })));
    const expected = sim.users[0]?.heartrate(Date.parse(start), Date.parse(end)) ?? [];
    expect(expected.length).toBeGreaterThan(10_000);
    expect(rows.length).toBe(expected.length);
    expect(rows.map((r) => r.timestamp)).toEqual(expected.map((r) => r.timestamp));
    // 69.5 days need three windows; the simulator refuses any window over 30 days.
    expect(sim.stats.requests['/v2/usercollection/heartrate']).toBeGreaterThanOrEqual(3);
  });

  it('fetches one document by id, and null for an id Oura does not know', async () => {
    const c = client();
    const [doc] = expectedDocs('daily_activity', LAST, LAST);
    expect(await c.getDocument('daily_activity', String(doc?.id))).toEqual(doc);
    expect(await c.getDocument('daily_activity', 'no-such-document')).toBeNull();
  });

  it('reads personal_info', async () => {
    const info = await client().personalInfo();
    expect(info.id).toBe(sim.users[0]?.personalInfo.id);
  });

  it('puts a malformed document in Page.invalid with its path, and keeps the rest', async () => {
    sim.faults.malformedNext = 1;
    const pages = await collect(
      client().listPages('daily_sleep', { start: '2025-03-01', end: LAST }),
    );
    const invalid = pages.flatMap((p) => p.invalid);
    expect(invalid).toHaveLength(1);
    // The simulator breaks the document's `day` (a number where a date belongs).
    expect(invalid[0]?.message).toMatch(/^daily_sleep document '[^']+': day: /);
    expect(typeof (invalid[0]?.document as { day?: unknown } | undefined)?.day).not.toBe('string');
    const expected = expectedDocs('daily_sleep', '2025-03-01', LAST);
    expect(docsOf(pages).length + invalid.length).toBe(expected.length);
  });
});

describe('errors and retries', () => {
  it('retries a 429 after Retry-After and then succeeds', async () => {
    sim.faults.rateLimitNext = 2;
    const c = client();
    const docs = docsOf(await collect(c.listPages('daily_stress', { start: LAST, end: LAST })));
    expect(docs).toHaveLength(1);
    expect(c.stats.rateLimited).toBe(2);
    expect(c.stats.retries).toBe(2);
  });

  it('gives up on 429s after maxRetries with OuraRateLimitError', async () => {
    sim.faults.rateLimitNext = 3;
    const c = client({ maxRetries: 1 });
    const err = await collect(c.listPages('daily_stress', { start: LAST, end: LAST })).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(OuraRateLimitError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 1 });
  });

  it('retries 5xx answers, and reports OuraUpstreamError when they persist', async () => {
    sim.faults.fail5xxNext = 2;
    const c = client();
    expect(await c.getDocument('daily_sleep', 'missing')).toBeNull();
    expect(c.stats.retries).toBe(2);

    sim.faults.fail5xxNext = 5;
    const err = await client({ maxRetries: 1 })
      .getDocument('daily_sleep', 'missing')
      .catch((e) => e);
    expect(err).toBeInstanceOf(OuraUpstreamError);
    expect(err).toMatchObject({ status: 500 });
  });

  it('times out a request that hangs, retries it, and reports OuraTimeoutError when it persists', async () => {
    sim.faults.timeoutNext = 1;
    const c = client({ timeoutMs: 300 });
    expect((await c.personalInfo()).id).toBeTruthy();
    expect(c.stats.retries).toBe(1);

    sim.faults.timeoutNext = 2;
    const err = await client({ timeoutMs: 300, maxRetries: 1 })
      .personalInfo()
      .catch((e) => e);
    expect(err).toBeInstanceOf(OuraTimeoutError);
    expect(err).toMatchObject({ code: 'timeout', status: null });
  });

  it('retries a truncated body, and reports OuraProtocolError when it persists', async () => {
    sim.faults.truncateNext = 1;
    const c = client();
    const docs = docsOf(await collect(c.listPages('daily_spo2', { start: LAST, end: LAST })));
    expect(docs).toEqual(expectedDocs('daily_spo2', LAST, LAST));
    expect(c.stats.retries).toBe(1);

    sim.faults.truncateNext = 2;
    const err = await collect(
      client({ maxRetries: 1 }).listPages('daily_spo2', { start: LAST, end: LAST }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(OuraProtocolError);
    expect(err).toMatchObject({ code: 'bad_response' });
  });

  it('maps 403 (scope not granted) to OuraScopeError without retrying', async () => {
    const c = client({ tokens: memoryTokens(['daily']).provider });
    const err = await collect(
      c.listPages('heartrate', { start: '2025-03-01T00:00:00Z', end: '2025-03-02T00:00:00Z' }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(OuraScopeError);
    expect(err).toMatchObject({ status: 403, code: 'scope_missing' });
    expect(c.stats.retries).toBe(0);
  });

  it('maps 426 (the Oura app is too old to share the data) to OuraAppUpdateError without retrying', async () => {
    sim.faults.appUpdateNext = 1;
    const c = client();
    const err = await collect(
      c.listPages('daily_stress', { start: '2025-03-01', end: '2025-03-02' }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(OuraAppUpdateError);
    expect(err).toMatchObject({ status: 426, code: 'app_update_required' });
    expect(c.stats.retries).toBe(0);
  });

  it('maps 422 to OuraValidationError, and refuses a start after the end before asking', async () => {
    const c = client();
    // An extended-year instant is valid ISO 8601 for JS but not for Oura's parser.
    const err = await collect(
      c.listPages('heartrate', {
        start: '-000001-01-01T00:00:00Z',
        end: '-000001-01-02T00:00:00Z',
      }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(OuraValidationError);
    expect(err).toMatchObject({ status: 422, code: 'invalid_request' });

    const before = c.stats.requests;
    await expect(
      collect(c.listPages('daily_sleep', { start: '2025-03-02', end: '2025-03-01' })),
    ).rejects.toThrow(OuraValidationError);
    expect(c.stats.requests).toBe(before);
  });

  it('refreshes the token once after a 401 and carries on', async () => {
    const tokens = memoryTokens();
    const c = client({ tokens: tokens.provider });
    await c.personalInfo();
    sim.faults.expireTokensNow();
    const docs = docsOf(await collect(c.listPages('daily_sleep', { start: LAST, end: LAST })));
    expect(docs).toHaveLength(1);
    expect(tokens.refreshes).toBe(1);
  });

  it('throws OuraAuthError when the token is rejected again after the refresh', async () => {
    const stale: TokenProvider = {
      accessToken: async () => 'at_not-a-real-token',
      refreshAfterUnauthorized: async () => 'at_still-not-a-real-token',
    };
    const err = await client({ tokens: stale })
      .personalInfo()
      .catch((e) => e);
    expect(err).toBeInstanceOf(OuraAuthError);
    expect(err).toMatchObject({ status: 401, reconnectNeeded: false });
  });
});

describe('rate limiter', () => {
  it('keeps a burst of requests under the server limit: no 429 at all', async () => {
    const limited = await startSimulator({
      seed: 7,
      users: 1,
      days: 10,
      endDate: END,
      rateLimit: { limit: 20, windowSeconds: 1 },
    });
    try {
      const token = limited.issueTokens('demo').access_token;
      const c = createOuraClient({
        baseUrl: limited.url,
        tokens: {
          accessToken: async () => token,
          refreshAfterUnauthorized: async () => token,
        },
        requestLimit: 20,
        limitWindowMs: 1000,
        maxConcurrency: 8,
      });
      const ids = [...(limited.users[0]?.documents.daily_sleep.keys() ?? [])];
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          c.getDocument('daily_sleep', ids[i % ids.length] ?? ''),
        ),
      );
      expect(results.every((r) => r !== null)).toBe(true);
      expect(c.stats.requests).toBe(40);
      expect(c.stats.rateLimited).toBe(0);
      expect(limited.stats.rateLimited).toBe(0);

      // Control: the same burst without pacing is refused by the server.
      const unpaced = createOuraClient({
        baseUrl: limited.url,
        tokens: { accessToken: async () => token, refreshAfterUnauthorized: async () => token },
        requestLimit: 1000,
        maxConcurrency: 8,
        maxRetries: 0,
      });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          unpaced.getDocument('daily_sleep', ids[i % ids.length] ?? ''),
        ),
      );
      expect(
        outcomes.some((o) => o.status === 'rejected' && o.reason instanceof OuraRateLimitError),
      ).toBe(true);
    } finally {
      await limited.close();
    }
  });
});

describe('request budget', () => {
  it("a backfill's few hundred requests go out at once under Oura's budget", async () => {
    const clock = 0;
    const limiter = createLimiter({ maxConcurrency: 1000, now: () => clock });
    let started = 0;
    const gates: (() => void)[] = [];
    const runs = Array.from({ length: 300 }, () =>
      limiter.run(
        () =>
          new Promise<void>((resolve) => {
            started++;
            gates.push(resolve);
          }),
      ),
    );
    // The clock never moves: every request started without waiting for the window.
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(300);
    for (const open of gates) open();
    await Promise.all(runs);
  });

  it('never has more requests in the window than the budget, and adopts the stated budget', async () => {
    // The limiter and the test read one clock: with Date.now against performance.now, a start
    // 59.6 ms after an end (one clock's rounding) read as inside the 60 ms window.
    const clock = () => performance.now();
    const limiter = createLimiter({ limit: 3, windowMs: 60, maxConcurrency: 10, now: clock });
    const requests: { start: number; end: number }[] = [];
    await Promise.all(
      Array.from({ length: 7 }, () =>
        limiter.run(async () => {
          const start = clock();
          await Promise.resolve();
          requests.push({ start, end: clock() });
        }),
      ),
    );
    expect(requests).toHaveLength(7);
    for (const { start: s } of requests) {
      const inWindow = requests.filter((r) => r.start <= s && r.end > s - 60).length;
      expect(inWindow).toBeLessThanOrEqual(3);
    }
    // A response stating a smaller budget for this token is followed from then on.
    limiter.observe(new Headers({ 'x-ratelimit-limit': '1', 'x-ratelimit-window': '0.05' }));
    const after: number[] = [];
    await Promise.all(
      Array.from({ length: 2 }, () => limiter.run(async () => void after.push(performance.now()))),
    );
    expect((after[1] ?? 0) - (after[0] ?? 0)).toBeGreaterThanOrEqual(45);
  });
});
