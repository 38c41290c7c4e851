import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  InsightSettings,
  RegularityResponse,
  SignalsResponse,
  SleepDebtResult,
  WeekReport,
} from '../src/api/types.ts';
import { addDays } from '../src/insights/days.ts';
import { createApp } from '../src/server/app.ts';
import type { PlantedTruth } from '../src/simulator/data/episodes.ts';
import { setupOwner, type TestSession } from './support/auth.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

/**
 * The insight API against data synced from the simulator into the test database (PGlite, or
 * PostgreSQL with SNOWTORCH_TEST_DB=postgres), scored against the effects the simulator planted
 * (read from its control API, as a benchmark would).
 */

const END = '2026-11-28';
const DAYS = 300;

let h: SyncHarness;
let app: FastifyInstance;
let session: TestSession;
let truth: PlantedTruth;

beforeAll(async () => {
  h = await startSyncHarness({ days: DAYS, endDate: END, users: 1 });
  const user = await h.connect('demo');
  expect((await h.sync(user.id)).status).toBe('succeeded');
  app = await createApp({
    config: h.config,
    db: h.db,
    sync: h.ctx,
    webDir: null,
    today: () => END,
  });
  session = await setupOwner(app, 'demo');
  truth = (await (await fetch(`${h.sim.url}/_sim/users/demo/truth`)).json()) as PlantedTruth;
}, 600_000);

afterAll(async () => {
  await app?.close();
  await h?.close();
});

async function put(body: unknown) {
  return session.inject({ method: 'PUT', url: '/api/insights/settings', payload: body as object });
}

describe('insight API on synced simulator data', () => {
  it('the simulator reports what it planted, with sizes and days', () => {
    expect(truth.from).toBe(addDays(END, 1 - DAYS));
    expect(truth.illness.length).toBeGreaterThan(0);
    for (const e of truth.illness) {
      expect(e.days).toBeGreaterThanOrEqual(2);
      expect(e.days).toBeLessThanOrEqual(5);
      expect(e.effects).toHaveLength(e.days);
      for (const x of e.effects) {
        expect(x.restingHrBpm).toBeGreaterThan(0);
        expect(x.hrvPercent).toBeLessThan(0);
        expect(x.temperatureC).toBeGreaterThan(0);
        expect(x.breathsPerMin).toBeGreaterThan(0);
      }
    }
    expect(truth.shortSleep.length).toBeGreaterThan(0);
    expect(truth.weekendShift.midSleepLaterMin).toBeGreaterThan(0);
  });

  it('flags each planted illness within a day of its start and says which signals moved', async () => {
    const res = await session.get<SignalsResponse>('/api/insights/signals?range=1y');
    expect(res.range.to).toBe(END);
    expect(res.baselineDays).toBe(60);
    const flagged = new Set(res.days.filter((d) => d.flagged).map((d) => d.day));
    const judged = new Set(res.days.filter((d) => d.status === 'ok').map((d) => d.day));
    const scored = truth.illness.filter((e) => judged.has(e.start));
    expect(scored.length).toBeGreaterThan(0);
    for (const e of scored) {
      const hit = [-1, 0, 1].some((k) => flagged.has(addDays(e.start, k)));
      expect(hit, `episode starting ${e.start}`).toBe(true);
    }
    const first = res.days.find((d) => d.flagged);
    expect(first?.summary).toMatch(/^Several signals moved together: .*temperature \+/);
    const temp = first?.signals.find((s) => s.key === 'temperature');
    expect(temp?.n).toBeGreaterThanOrEqual(14);
    expect(temp?.z).toBeGreaterThanOrEqual(2);
    // Flagged runs are reported as episodes.
    expect(res.episodes.length).toBeGreaterThanOrEqual(scored.length);
    // Few flags outside the planted episodes.
    const ill = new Set(truth.illness.flatMap((e) => e.effects.map((x) => x.day)));
    const healthy = res.days.filter((d) => d.status === 'ok' && !ill.has(d.day));
    const falseFlags = healthy.filter((d) => d.flagged).length;
    expect(falseFlags / healthy.length).toBeLessThanOrEqual(1 / 30);
  });

  it('estimates sleep need from history and a setting overrides it', async () => {
    const auto = await session.get<SleepDebtResult>('/api/insights/debt');
    expect(auto.day).toBe(END);
    expect(auto.need.source).toBe('history');
    expect(Math.abs(auto.need.minutes - truth.sleepNeedMinutes)).toBeLessThan(30);
    const [lo, hi] = auto.need.interval ?? [0, 0];
    expect(lo).toBeLessThanOrEqual(auto.need.minutes);
    expect(hi).toBeGreaterThanOrEqual(auto.need.minutes);
    expect(auto.nights).toHaveLength(14);
    expect(auto.bedtime?.n).toBeGreaterThanOrEqual(7);

    const res = await put({ sleepNeedMinutes: auto.need.minutes + 60, workDays: [1, 2, 3, 4, 5] });
    expect(res.statusCode).toBe(200);
    const set = await session.get<SleepDebtResult>('/api/insights/debt');
    expect(set.need).toMatchObject({ source: 'settings', minutes: auto.need.minutes + 60 });
    expect(set.debtMinutes ?? 0).toBeGreaterThan(auto.debtMinutes ?? 0);
    expect(set.message).toMatch(/your set need of/);
    await put({ sleepNeedMinutes: null, workDays: [1, 2, 3, 4, 5] });
  });

  it('finds more debt in a planted run of short nights than before it', async () => {
    const run = truth.shortSleep.filter((s) => s.start > addDays(truth.from, 120)).at(-1);
    expect(run).toBeDefined();
    if (!run) return;
    const before = await session.get<SleepDebtResult>(
      `/api/insights/debt?day=${addDays(run.start, -1)}`,
    );
    const after = await session.get<SleepDebtResult>(`/api/insights/debt?day=${run.end}`);
    expect((after.debtMinutes ?? 0) - (before.debtMinutes ?? 0)).toBeGreaterThan(
      run.nights * run.minutesShort * 0.4,
    );
  });

  it('reports SRI for 7, 30 and 90 days and the planted weekend shift as social jetlag', async () => {
    const r = await session.get<RegularityResponse>('/api/insights/regularity');
    expect(r.sri.map((w) => w.days)).toEqual([7, 30, 90]);
    for (const w of r.sri) {
      expect(w.sri).not.toBeNull();
      expect(w.sri ?? 0).toBeGreaterThan(0);
      expect(w.sri ?? 0).toBeLessThan(100);
      const [lo, hi] = w.interval ?? [0, 0];
      expect(lo).toBeLessThanOrEqual(w.sri ?? 0);
      expect(hi).toBeGreaterThanOrEqual(w.sri ?? 0);
    }
    const c = r.chronotype;
    expect(c.workDays).toEqual([1, 2, 3, 4, 5]);
    expect(c.nWork).toBeGreaterThan(c.nFree);
    const [lo, hi] = c.socialJetlagInterval ?? [0, 0];
    expect(lo).toBeGreaterThan(0);
    expect(Math.abs((c.socialJetlag ?? 0) - truth.weekendShift.midSleepLaterMin)).toBeLessThan(30);
    expect(hi).toBeGreaterThan(lo);
    expect(c.msfsc).not.toBeNull();
    expect(r.daily).toHaveLength(84);
  });

  it('stores work days per user; with no free days it refuses to conclude', async () => {
    expect(await session.get<InsightSettings>('/api/insights/settings')).toEqual({
      sleepNeedMinutes: null,
      workDays: [1, 2, 3, 4, 5],
    });
    expect(
      (await put({ sleepNeedMinutes: null, workDays: [1, 2, 3, 4, 5, 6, 7] })).statusCode,
    ).toBe(200);
    const r = await session.get<RegularityResponse>('/api/insights/regularity');
    expect(r.chronotype.nFree).toBe(0);
    expect(r.chronotype.socialJetlag).toBeNull();
    expect(r.chronotype.message).toMatch(/Not enough nights/);
    await put({ sleepNeedMinutes: null, workDays: [1, 2, 3, 4, 5] });
  });

  it('refuses bad settings and requests without the CSRF token', async () => {
    expect((await put({ sleepNeedMinutes: 30, workDays: [1] })).statusCode).toBe(400);
    expect((await put({ sleepNeedMinutes: null, workDays: [0, 8] })).statusCode).toBe(400);
    const noCsrf = await session.inject({
      method: 'PUT',
      url: '/api/insights/settings',
      payload: { sleepNeedMinutes: null, workDays: [1] },
      headers: { 'x-csrf-token': undefined },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect((await session.inject('/api/insights/debt?day=2026-02-30')).statusCode).toBe(400);
  });

  it('builds the weekly report with baseline comparisons and the tags of the week', async () => {
    const w = await session.get<WeekReport>('/api/insights/week?day=2026-11-18');
    expect(w.from).toBe('2026-11-16');
    expect(w.to).toBe('2026-11-22');
    expect(w.user).toBe('demo');
    expect(w.metrics.map((m) => m.key)).toContain('total_sleep');
    for (const m of w.metrics) {
      expect(m.baselineN).toBeGreaterThanOrEqual(14);
      if (m.delta !== null) {
        const [lo, hi] = m.deltaInterval ?? [0, 0];
        expect(lo).toBeLessThanOrEqual(m.delta);
        expect(hi).toBeGreaterThanOrEqual(m.delta);
      }
    }
    expect(w.best?.score ?? 0).toBeGreaterThanOrEqual(w.worst?.score ?? 0);
    expect(w.debt.day <= w.to).toBe(true);
    expect(w.regularity.sri.days).toBe(7);
    // Tags: what the simulator sent for those days.
    const sim = h.simUser('demo');
    const expected = new Set(
      [...sim.documents.enhanced_tag.values()]
        .filter((t) => String(t.start_day) >= w.from && String(t.start_day) <= w.to)
        .map((t) => String(t.custom_name ?? t.tag_type_code)),
    );
    expect(new Set(w.tags.map((t) => t.tag))).toEqual(expected);
  });

  it('lists the insight routes in the OpenAPI document', async () => {
    const spec = (await app.inject('/api/openapi.json')).json() as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/insights/signals',
        '/api/insights/debt',
        '/api/insights/regularity',
        '/api/insights/week',
        '/api/insights/settings',
      ]),
    );
  });
});
