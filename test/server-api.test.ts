import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CoverageResponse,
  HeartRateResponse,
  MeResponse,
  NightResponse,
  StagesResponse,
  SyncJobView,
  SyncStatusResponse,
  TimingResponse,
  TrendResponse,
  WeekdayResponse,
} from '../src/api/types.ts';
import { addDays } from '../src/insights/days.ts';
import { parseOffsetMinutes } from '../src/insights/localTime.ts';
import { createApp } from '../src/server/app.ts';
import type { SimUserData } from '../src/simulator/data/index.ts';
import { setupOwner, type TestSession } from './support/auth.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

/**
 * The dashboard API against data synced by the real engine from the simulator, on the test
 * database (see test/support/testDatabaseKind.ts). Expected values come from
 * the simulator's own documents.
 */

const END = '2026-11-28';
const DAYS = 400;

type Doc = Record<string, unknown>;

function longSleeps(sim: SimUserData): Doc[] {
  return [...sim.documents.sleep.values()].filter((d) => d.type === 'long_sleep');
}

/** The simulated user with a night whose bedtime and wake-up offsets differ (a DST switch). */
function findDstNight(users: SimUserData[]): { user: SimUserData; night: Doc } | null {
  for (const user of users) {
    for (const night of longSleeps(user)) {
      const a = parseOffsetMinutes(String(night.bedtime_start));
      const b = parseOffsetMinutes(String(night.bedtime_end));
      if (a !== null && b !== null && a !== b) return { user, night };
    }
  }
  return null;
}

const wallClock = (iso: unknown) => String(iso).slice(11, 16);

let h: SyncHarness;
let app: FastifyInstance;
let sim: SimUserData;
let dst: { user: SimUserData; night: Doc } | null;
let session: TestSession;

async function get<T>(url: string): Promise<T> {
  return session.get<T>(url);
}

beforeAll(async () => {
  h = await startSyncHarness({ days: DAYS, endDate: END, users: 3 });
  dst = findDstNight(h.sim.users);
  // The served user is the first one created: the one with a DST night when there is one.
  sim = dst?.user ?? h.sim.users[0] ?? h.simUser('demo');
  const user = await h.connect(sim.name);
  const run = await h.sync(user.id);
  expect(run.status).toBe('succeeded');
  app = await createApp({
    config: h.config,
    db: h.db,
    sync: h.ctx,
    webDir: null,
    today: () => END,
  });
  // The synced user (made by connect, no password) becomes the owner at setup.
  session = await setupOwner(app, sim.name);
}, 600_000);

afterAll(async () => {
  await app?.close();
  await h?.close();
});

describe('dashboard API on synced simulator data', () => {
  it('names the user, the span of nights and the metric catalogue', async () => {
    const me = await get<MeResponse>('/api/me');
    const nights = longSleeps(sim)
      .map((d) => String(d.day))
      .sort();
    expect(me.user?.name).toBe(sim.name);
    expect(me.connection.status).toBe('active');
    expect(me.lastNight).toBe(nights.at(-1));
    expect(me.firstNight).toBe(nights[0]);
    expect(me.metrics.map((m) => m.key)).toContain('sleep_score');
  });

  it("shows a night's stage minutes, times, scores and series as Oura recorded them", async () => {
    const me = await get<MeResponse>('/api/me');
    const day = me.lastNight ?? '';
    const doc = longSleeps(sim).find((d) => d.day === day);
    expect(doc).toBeDefined();
    const night = await get<NightResponse>(`/api/nights/${day}`);
    expect(night.day).toBe(day);
    expect(night.night?.deepSleep).toBe(doc?.deep_sleep_duration);
    expect(night.night?.remSleep).toBe(doc?.rem_sleep_duration);
    expect(night.night?.lightSleep).toBe(doc?.light_sleep_duration);
    expect(night.night?.awake).toBe(doc?.awake_time);
    expect(night.night?.totalSleep).toBe(doc?.total_sleep_duration);
    expect(night.night?.bedtimeLocal).toBe(wallClock(doc?.bedtime_start));
    expect(night.night?.wakeLocal).toBe(wallClock(doc?.bedtime_end));
    expect(Date.parse(night.night?.bedtimeStart ?? '')).toBe(
      Date.parse(String(doc?.bedtime_start)),
    );
    const stages = String(doc?.sleep_phase_30_sec ?? doc?.sleep_phase_5_min);
    expect(night.night?.hypnogram?.stages).toBe(stages);
    const hr = doc?.heart_rate as { timestamp: string; items: unknown[]; interval: number };
    expect(night.night?.heartRate?.start).toBe(Date.parse(hr.timestamp));
    expect(night.night?.heartRate?.items).toEqual(hr.items);
    const score = [...sim.documents.daily_sleep.values()].find((d) => d.day === day);
    expect(night.sleepScore?.score).toBe(score?.score);
    expect(Object.keys(night.sleepScore?.contributors ?? {})).toHaveLength(7);
    const readiness = [...sim.documents.daily_readiness.values()].find((d) => d.day === day);
    expect(night.readiness?.score).toBe(readiness?.score);
    expect(Object.keys(night.readiness?.contributors ?? {})).toHaveLength(9);
    // Each number against the median of the 30 nights before.
    const prior = longSleeps(sim)
      .filter((d) => String(d.day) < day && String(d.day) >= addDays(day, -30))
      .map((d) => Number(d.total_sleep_duration))
      .sort((a, b) => a - b);
    const mid = prior.length >> 1;
    const expectedMedian =
      prior.length % 2 ? prior[mid] : ((prior[mid - 1] ?? 0) + (prior[mid] ?? 0)) / 2;
    expect(night.compare.totalSleep?.median30).toBe(expectedMedian);
    expect(night.nextDay).toBeNull();
    expect(night.prevDay).toBe(
      longSleeps(sim)
        .map((d) => String(d.day))
        .filter((d) => d < day)
        .sort()
        .at(-1),
    );
  });

  it('keeps a DST night in the offsets it started and ended in', async (ctx) => {
    if (!dst) {
      ctx.skip();
      return;
    }
    const day = String(dst.night.day);
    const night = await get<NightResponse>(`/api/nights/${day}`);
    expect(night.night?.bedtimeLocal).toBe(wallClock(dst.night.bedtime_start));
    expect(night.night?.wakeLocal).toBe(wallClock(dst.night.bedtime_end));
    expect(night.night?.bedtimeStart.slice(-6)).toBe(String(dst.night.bedtime_start).slice(-6));
    expect(night.night?.bedtimeEnd.slice(-6)).toBe(String(dst.night.bedtime_end).slice(-6));
    expect(night.night?.timeInBed).toBe(dst.night.time_in_bed);
    const timing = await get<TimingResponse>(`/api/timing?range=7d&end=${day}`);
    const i = timing.days.indexOf(day);
    const [wh, wm] = wallClock(dst.night.bedtime_end).split(':').map(Number);
    expect(timing.wake[i]).toBe((wh ?? 0) * 60 + (wm ?? 0));
  });

  it('shows naps of the day separately from the night', async () => {
    const nap = [...sim.documents.sleep.values()].find((d) => d.type === 'sleep');
    if (!nap) return;
    const night = await get<NightResponse>(`/api/nights/${String(nap.day)}`);
    expect(night.naps.map((n) => n.id)).toContain(nap.id);
    expect(night.night?.id).not.toBe(nap.id);
  });

  it('gives a trend with the 7-day rolling mean of the stored scores', async () => {
    const end = addDays(END, -10);
    const trend = await get<TrendResponse>(`/api/trends/sleep_score?range=30d&end=${end}`);
    expect(trend.days).toHaveLength(30);
    expect(trend.days.at(-1)).toBe(end);
    const scores = [...sim.documents.daily_sleep.values()].filter(
      (d) =>
        String(d.day) > addDays(end, -7) && String(d.day) <= end && typeof d.score === 'number',
    );
    const expected = scores.reduce((s, d) => s + Number(d.score), 0) / scores.length;
    expect(trend.rolling7.at(-1)).toBeCloseTo(expected, 9);
    const stored = [...sim.documents.daily_sleep.values()].find((d) => d.day === end);
    expect(trend.values.at(-1)).toBe(stored?.score ?? null);
    expect(trend.baselineLower.at(-1) ?? 0).toBeLessThan(trend.baselineUpper.at(-1) ?? 0);
  });

  it('keeps every chart at or under 2,000 points', async () => {
    const all = await get<TrendResponse>('/api/trends/total_sleep?range=all');
    expect(all.days.length).toBeLessThanOrEqual(2000);
    const hr = await get<HeartRateResponse>(`/api/heartrate?day=${addDays(END, -3)}`);
    expect(hr.sampleCount).toBeGreaterThan(0);
    expect(hr.times.length).toBeLessThanOrEqual(2000);
    expect(hr.summary.min).toBeLessThanOrEqual(hr.summary.max ?? 0);
  });

  it('gives stage composition, timing consistency and the weekday pattern', async () => {
    const stages = await get<StagesResponse>(`/api/stages?range=30d&end=${END}`);
    const byDay = new Map(longSleeps(sim).map((d) => [String(d.day), d]));
    const day = stages.days[5] ?? '';
    expect(stages.deep[5]).toBe(byDay.get(day)?.deep_sleep_duration);
    const year = await get<StagesResponse>('/api/stages?range=1y');
    expect(year.bucket).toBe('week');
    const timing = await get<TimingResponse>('/api/timing?range=30d');
    expect(timing.regularity.nights).toBe(timing.days.length);
    expect(timing.regularity.bedtimeSdMinutes).toBeGreaterThanOrEqual(0);
    const wd = await get<WeekdayResponse>('/api/trends/sleep_score/weekdays?range=1y');
    expect(wd.weekdays).toHaveLength(7);
    expect(wd.weekdays.reduce((s, w) => s + w.count, 0)).toBeGreaterThan(300);
  });

  it('answers bad input with one error shape', async () => {
    for (const [url, status, code] of [
      ['/api/nights/2026-02-30', 400, 'invalid_request'],
      ['/api/nights/yesterday', 400, 'invalid_request'],
      ['/api/trends/not_a_metric', 400, 'invalid_request'],
      ['/api/trends/steps?range=2w', 400, 'invalid_request'],
      ['/api/nope', 404, 'not_found'],
    ] as const) {
      const res = await session.inject(url);
      expect(res.statusCode, url).toBe(status);
      const body = res.json() as { error: { code: string; message: string } };
      expect(body.error.code, url).toBe(code);
      expect(body.error.message.length, url).toBeGreaterThan(5);
    }
    const empty = await get<NightResponse>('/api/nights/2001-01-01');
    expect(empty.night).toBeNull();
  });

  it('shows coverage: stored days as data, days before the history as gaps', async () => {
    const cov = await get<CoverageResponse>(`/api/coverage?range=1y&end=${END}`);
    expect(cov.days).toHaveLength(365);
    const day = addDays(END, -20);
    const entry = cov.days.find((d) => d.day === day);
    const hasNight = longSleeps(sim).some((d) => d.day === day);
    expect(entry?.sleep).toBe(hasNight);
    expect(entry?.heartRate).toBe(true);
    expect(cov.days.filter((d) => d.status === 'data').length).toBeGreaterThan(250);
  });

  it('shows coverage, sync status and runs a sync with progress', async () => {
    const status = await get<SyncStatusResponse>('/api/sync/status');
    expect(status.connection.status).toBe('active');
    expect(status.runs[0]?.status).toBe('succeeded');
    expect(status.dataTypes.find((t) => t.dataType === 'sleep')?.documents).toBe(
      sim.documents.sleep.size,
    );
    // Answers are reused until a sync stores new data.
    const trendUrl = '/api/trends/sleep_score?range=30d';
    await session.inject(trendUrl);
    expect((await session.inject(trendUrl)).headers['x-cache']).toBe('hit');
    const started = await session.inject({ method: 'POST', url: '/api/sync' });
    expect(started.statusCode).toBe(202);
    const again = await session.inject({ method: 'POST', url: '/api/sync' });
    expect([202, 409]).toContain(again.statusCode);
    let job: SyncJobView | null = started.json() as SyncJobView;
    for (let i = 0; i < 600 && job?.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = await get<SyncJobView | null>('/api/sync/progress');
    }
    expect(job?.state).toBe('succeeded');
    expect(job?.done).toBe(job?.total);
    const after = await get<SyncStatusResponse>('/api/sync/status');
    expect(after.runs[0]?.trigger).toBe('api');
    expect((await session.inject(trendUrl)).headers['x-cache']).toBeUndefined();
  });

  it('serves health, metrics and the OpenAPI document', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/readyz')).json()).toEqual({ status: 'ready' });
    const metrics = await app.inject('/metrics');
    expect(metrics.body).toContain(
      'snowtorch_http_requests_total{method="GET",route="/api/nights/:day",status="200"}',
    );
    const spec = (await app.inject('/api/openapi.json')).json() as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/nights/{day}',
        '/api/trends/{metric}',
        '/api/sync',
        '/api/coverage',
      ]),
    );
    const docs = await app.inject('/api/docs/');
    expect(docs.statusCode).toBe(200);
  });
});
