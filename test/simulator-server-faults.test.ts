import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/simulator/index.ts';
import { startFixtureSimulator } from './support/simFixture.ts';

let sim: Simulator;
let token: string;
const LIST = '/v2/usercollection/daily_activity?start_date=2025-01-20&end_date=2025-01-25';

beforeAll(async () => {
  sim = await startFixtureSimulator();
  token = sim.issueTokens('demo').access_token;
});
afterAll(() => sim.close());
afterEach(() => sim.faults.reset());

const fetchApi = (path: string, init: RequestInit = {}, bearer = token) =>
  fetch(`${sim.url}${path}`, { ...init, headers: { authorization: `Bearer ${bearer}` } });

async function getJson(path: string, bearer = token) {
  const res = await fetchApi(path, {}, bearer);
  return { status: res.status, body: await res.json() };
}

async function control(path: string, body?: unknown) {
  const res = await fetch(`${sim.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('fault switches', () => {
  it('fail5xxNext answers 500 that many times, then recovers', async () => {
    sim.faults.fail5xxNext = 2;
    const before = sim.stats.served5xx;
    expect((await fetchApi(LIST)).status).toBe(500);
    expect((await fetchApi(LIST)).status).toBe(500);
    expect((await fetchApi(LIST)).status).toBe(200);
    expect(sim.stats.served5xx - before).toBe(2);
  });

  it('fail5xxRate fails requests with that probability', async () => {
    sim.faults.fail5xxRate = 1;
    expect((await fetchApi(LIST)).status).toBe(500);
    sim.faults.fail5xxRate = 0;
    expect((await fetchApi(LIST)).status).toBe(200);
  });

  it('timeoutNext leaves the request hanging until the client gives up', async () => {
    sim.faults.timeoutNext = 1;
    sim.faults.malformedNext = 1;
    const err = await fetchApi(LIST, { signal: AbortSignal.timeout(300) }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('TimeoutError');
    // The hung request never reached the route: the next fault is still pending.
    expect(sim.faults.malformedNext).toBe(1);
    expect((await fetchApi(LIST)).status).toBe(200);
  });

  it('truncateNext cuts the JSON body mid-way (Content-Length matches what is sent)', async () => {
    const whole = await (await fetchApi(LIST)).text();
    sim.faults.truncateNext = 1;
    const res = await fetchApi(LIST);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(whole.startsWith(text)).toBe(true);
    expect(text.length).toBeLessThan(whole.length);
    expect(() => JSON.parse(text)).toThrow();
    expect(await (await fetchApi(LIST)).text()).toBe(whole);
  });

  it('rateLimitNext answers 429 with the rate-limit headers', async () => {
    sim.faults.rateLimitNext = 1;
    const res = await fetchApi(LIST);
    expect(res.status).toBe(429);
    for (const h of [
      'retry-after',
      'x-ratelimit-limit',
      'x-ratelimit-window',
      'x-ratelimit-reset',
      'x-ratelimit-tier',
    ]) {
      expect(res.headers.get(h)).toMatch(/\S/);
    }
    expect((await fetchApi(LIST)).status).toBe(200);
  });

  it('malformedNext gives one document of the next page a field of the wrong type', async () => {
    const clean = (await getJson(LIST)).body.data as Record<string, unknown>[];
    sim.faults.malformedNext = 1;
    const dirty = (await getJson(LIST)).body.data as Record<string, unknown>[];
    expect(dirty).toHaveLength(clean.length);
    const differing = dirty.filter((d, i) => JSON.stringify(d) !== JSON.stringify(clean[i]));
    expect(differing).toHaveLength(1);
    const [bad] = differing;
    const original = clean.find((d) => d.id === bad?.id) ?? {};
    const changedKeys = Object.keys(original).filter((k) => typeof original[k] !== typeof bad?.[k]);
    expect(changedKeys).toHaveLength(1);
    expect((await getJson(LIST)).body.data).toEqual(clean);
  });

  it('malformedType limits malformedNext to pages of one data type', async () => {
    sim.faults.malformedNext = 1;
    sim.faults.malformedType = 'daily_activity';
    const other = await getJson('/v2/usercollection/daily_sleep?start_date=2025-01-20');
    expect(other.body.data.every((d: { day: unknown }) => typeof d.day === 'string')).toBe(true);
    expect(sim.faults.malformedNext).toBe(1);
    const target = await getJson(LIST);
    expect(
      target.body.data.filter((d: { day: unknown }) => typeof d.day !== 'string'),
    ).toHaveLength(1);
    expect(sim.faults.malformedNext).toBe(0);
  });

  it('latencyMs delays responses (a client waiting less gives up)', async () => {
    sim.faults.latencyMs = 3000;
    const err = await fetchApi(LIST, { signal: AbortSignal.timeout(200) }).catch((e: Error) => e);
    expect((err as Error).name).toBe('TimeoutError');
  });

  it('expireTokensNow expires issued access tokens; refresh still works', async () => {
    const issued = sim.issueTokens('demo');
    sim.faults.expireTokensNow();
    const expired = await getJson(LIST, issued.access_token);
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toMatch(/expired/i);
    const res = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: issued.refresh_token,
        client_id: 'snowtorch-dev',
        client_secret: 'snowtorch-dev-secret',
      }),
    });
    const fresh = await res.json();
    expect((await getJson(LIST, fresh.access_token)).status).toBe(200);
    token = fresh.access_token;
  });
});

describe('data changes between syncs', () => {
  it('changeDocuments revises the most recent documents in place', async () => {
    const user = sim.users[0];
    const before = new Map(
      [...(user?.documents.daily_sleep ?? [])].map(([id, d]) => [id, structuredClone(d)]),
    );
    const ids = sim.faults.changeDocuments('demo', 'daily_sleep', 3);
    expect(ids).toHaveLength(3);
    const newest = [...before.keys()].slice(-3);
    expect(ids).toEqual(newest);
    for (const id of ids) {
      const served = (await getJson(`/v2/usercollection/daily_sleep/${id}`)).body;
      const old = before.get(id);
      expect(served).not.toEqual(old);
      expect({ id: served.id, day: served.day }).toEqual({ id: old?.id, day: old?.day });
      expect(user?.documents.daily_sleep.get(id)).toEqual(served);
    }
  });

  it('changeDocuments finds something to revise in every document type', () => {
    const alex = sim.users[1];
    if (!alex) throw new Error('no second user');
    for (const [type, docs] of Object.entries(alex.documents)) {
      const before = JSON.stringify([...docs.values()].at(-1));
      const [id] = sim.faults.changeDocuments('alex', type as keyof typeof alex.documents, 1);
      const after = docs.get(id ?? '');
      expect(after?.id, type).toBe(id);
      expect(JSON.stringify(after), type).not.toBe(before);
    }
  });

  it('deleteDocuments removes documents from lists and single routes', async () => {
    const ids = sim.faults.deleteDocuments('demo', 'workout', 2);
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      expect((await getJson(`/v2/usercollection/workout/${id}`)).status).toBe(404);
    }
    const listed = (
      await getJson('/v2/usercollection/workout?start_date=2024-12-01&end_date=2025-02-01')
    ).body.data;
    expect(listed.map((d: { id: string }) => d.id)).not.toContain(ids[0]);
    expect(listed).toHaveLength(60 - 2);
    expect(sim.users[0]?.documents.workout.has(ids[0] ?? '')).toBe(false);
  });
});

describe('control API', () => {
  it('sets and reads faults over HTTP', async () => {
    const set = await control('/_sim/faults', { fail5xxNext: 1, truncateNext: 2 });
    expect(set.body.faults).toMatchObject({ fail5xxNext: 1, truncateNext: 2 });
    expect((await fetchApi(LIST)).status).toBe(500);
    expect((await control('/_sim/faults')).body).toMatchObject({ fail5xxNext: 0, truncateNext: 2 });
    await control('/_sim/faults', { reset: true });
    expect((await control('/_sim/faults')).body.truncateNext).toBe(0);
  });

  it('changes and deletes documents over HTTP, and rejects bad input with 400', async () => {
    const res = await control('/_sim/faults', {
      changeDocuments: { user: 'alex', type: 'sleep', n: 1 },
      deleteDocuments: { user: 'alex', type: 'tag', n: 1 },
    });
    expect(res.body.changed).toHaveLength(1);
    expect(res.body.deleted).toHaveLength(1);
    expect((await control('/_sim/faults', { fail5xxNext: -1 })).status).toBe(400);
    expect((await control('/_sim/faults', { bogus: 1 })).status).toBe(400);
    expect(
      (await control('/_sim/faults', { deleteDocuments: { user: 'nobody', type: 'tag', n: 1 } }))
        .status,
    ).toBe(400);
  });

  it('counts requests per path and 429s served', async () => {
    await fetch(`${sim.url}/_sim/stats`, { method: 'DELETE' });
    await fetchApi(LIST);
    await fetchApi(LIST);
    sim.faults.rateLimitNext = 1;
    await fetchApi('/v2/usercollection/sleep');
    const stats = (await control('/_sim/stats')).body;
    expect(stats.requests).toEqual({
      '/v2/usercollection/daily_activity': 2,
      '/v2/usercollection/sleep': 1,
    });
    expect(stats.rateLimited).toBe(1);
    expect(sim.stats.requests['/v2/usercollection/daily_activity']).toBe(2);
  });

  it('issues tokens over HTTP', async () => {
    const issued = (await control('/_sim/tokens', { user: 'alex', scopes: ['daily'] })).body;
    expect(issued.scope).toBe('daily');
    expect((await getJson(LIST, issued.access_token)).status).toBe(200);
  });
});
