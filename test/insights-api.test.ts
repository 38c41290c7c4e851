import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AnnotationsResponse,
  AssociationsResponse,
  CorrelationResponse,
  ExperimentResponse,
  ExperimentSubjectsResponse,
} from '../src/api/types.ts';
import { addDays } from '../src/insights/days.ts';
import { createApp } from '../src/server/app.ts';
import type { SimUserData } from '../src/simulator/data/index.ts';
import type { TagTruth } from '../src/simulator/data/tagEffects.ts';
import { setupOwner, type TestSession } from './support/auth.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

/**
 * The insights API (annotations, tag experiments, correlations, strongest associations) on data
 * synced by the real engine from the simulator, on the test database (PGlite, or PostgreSQL with
 * SNOWTORCH_TEST_DB=postgres). Expected values come from the simulator's documents and its
 * planted tag truth.
 */

const END = '2026-11-28';
const DAYS = 400;

let h: SyncHarness;
let app: FastifyInstance;
let sim: SimUserData;
let session: TestSession;
let truth: TagTruth;

beforeAll(async () => {
  h = await startSyncHarness({ days: DAYS, endDate: END, users: 1 });
  sim = h.simUser('demo');
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
  session = await setupOwner(app, sim.name);
  const res = await fetch(`${h.sim.url}/_sim/users/demo/truth/tags`);
  expect(res.status).toBe(200);
  truth = (await res.json()) as TagTruth;
}, 600_000);

afterAll(async () => {
  await app?.close();
  await h?.close();
});

const get = <T>(url: string) => session.get<T>(url);

describe('insights API on synced simulator data', () => {
  it('the simulator publishes its planted tag effects and the days they were tagged', () => {
    const alcohol = truth.effects.filter((e) => e.tag === 'tag_generic_alcohol');
    expect(alcohol.map((e) => [e.outcome, e.size])).toEqual(
      expect.arrayContaining([
        ['average_hrv', -0.15],
        ['lowest_heart_rate', 4],
      ]),
    );
    expect(truth.noEffectTags).toContain('tag_generic_caffeine');
    const tagged = [...sim.documents.enhanced_tag.values()].filter(
      (d) => d.tag_type_code === 'tag_generic_alcohol',
    );
    expect(truth.taggedDays.tag_generic_alcohol).toEqual([
      ...new Set(tagged.map((d) => d.start_day)),
    ]);
  });

  it('annotations carry every enhanced tag and workout of the range with its text', async () => {
    const res = await get<AnnotationsResponse>('/api/insights/annotations?range=30d');
    const from = addDays(res.range.from, -1);
    const tags = [...sim.documents.enhanced_tag.values()].filter(
      (d) => String(d.start_day) >= from && String(d.start_day) <= res.range.to,
    );
    const workouts = [...sim.documents.workout.values()].filter(
      (d) => String(d.day) >= from && String(d.day) <= res.range.to,
    );
    expect(res.annotations.filter((a) => a.kind === 'tag')).toHaveLength(tags.length);
    expect(res.annotations.filter((a) => a.kind === 'workout')).toHaveLength(workouts.length);
    const commented = tags.find((d) => d.comment);
    if (commented) expect(res.annotations.map((a) => a.text)).toContain(commented.comment);
    const alcohol = res.annotations.find((a) => a.subject === 'tag:tag_generic_alcohol');
    if (alcohol) expect(alcohol.label).toBe('Alcohol');
  });

  it('lists tags and workout types with their day counts', async () => {
    const res = await get<ExperimentSubjectsResponse>('/api/insights/experiments/subjects');
    const alcohol = res.subjects.find((s) => s.key === 'tag:tag_generic_alcohol');
    const inWindow = (truth.taggedDays.tag_generic_alcohol ?? []).filter(
      (d) => d >= addDays(res.from, -1) && d <= res.to,
    );
    expect(alcohol?.days).toBe(inWindow.length);
    expect(res.subjects.some((s) => s.kind === 'workout')).toBe(true);
    expect(res.outcomes.map((o) => o.key)).toContain('average_hrv');
  });

  it('finds the planted alcohol effects with the right sign, and says so in a sentence', async () => {
    const res = await get<ExperimentResponse>(
      '/api/insights/experiments?subject=tag:tag_generic_alcohol&outcomes=average_hrv,lowest_heart_rate',
    );
    const [hrv, rhr] = res.outcomes;
    expect(hrv?.verdict).toBe('lower');
    expect(rhr?.verdict).toBe('higher');
    expect(hrv?.upper).toBeLessThan(0);
    expect(rhr?.lower).toBeGreaterThan(0);
    expect((hrv?.nExposed ?? 0) + (hrv?.nOther ?? 0)).toBeGreaterThan(300);
    expect(hrv?.hedgesG).toBeLessThan(0);
    expect(hrv?.sentence).toMatch(
      /^On the \d+ nights after alcohol days, average HRV was .* lower/,
    );
    expect(hrv?.sentence).toContain('not proof');
    // Same question, same answer: the bootstrap is seeded.
    const again = await get<ExperimentResponse>(
      '/api/insights/experiments?subject=tag:tag_generic_alcohol&outcomes=average_hrv,lowest_heart_rate',
    );
    expect(again.outcomes[0]?.lower).toBe(hrv?.lower);
  });

  it('says "no evidence either way" for a tag with too few nights and for a date split', async () => {
    const rare = await get<ExperimentResponse>(
      '/api/insights/experiments?subject=tag:tag_never_used&outcomes=sleep_score',
    );
    expect(rare.outcomes[0]?.verdict).toBe('too_few');
    expect(rare.outcomes[0]?.sentence).toMatch(/^No evidence either way/);
    const split = await get<ExperimentResponse>(
      `/api/insights/experiments?subject=date:${addDays(END, -200)}&outcomes=sleep_score`,
    );
    expect(split.outcomes[0]?.nExposed).toBeGreaterThan(100);
    expect(split.outcomes[0]?.nOther).toBeGreaterThan(100);
  });

  it('rejects unknown subjects and outcomes with 400', async () => {
    const a = await session.inject('/api/insights/experiments?subject=mood:good');
    expect(a.statusCode).toBe(400);
    const b = await session.inject('/api/insights/experiments?subject=tag:x&outcomes=nope');
    expect(b.statusCode).toBe(400);
  });

  it('correlates two metrics with a lag: rank correlation, interval, points and a line', async () => {
    const res = await get<CorrelationResponse>(
      '/api/insights/correlations?x=time_in_bed&y=total_sleep&lag=0',
    );
    expect(res.n).toBeGreaterThan(300);
    expect(res.points).toHaveLength(res.n);
    expect(res.rho).toBeGreaterThan(0.5);
    expect(res.lower).toBeGreaterThan(0);
    expect(res.line?.slope).toBeGreaterThan(0);
    expect(res.sentence).toContain('not a cause');
    const lagged = await get<CorrelationResponse>(
      '/api/insights/correlations?x=steps&y=sleep_score&lag=3',
    );
    const first = lagged.points[0];
    if (first) {
      const steps = [...sim.documents.daily_activity.values()].find((d) => d.day === first.day);
      expect(first.x).toBe(steps?.steps);
    }
  });

  it('lists strongest associations at a 5 % false-discovery rate, strongest first', async () => {
    const res = await get<AssociationsResponse>('/api/insights/associations');
    expect(res.tested).toBeGreaterThan(500);
    expect(res.fdr).toBe(0.05);
    for (const a of res.associations) expect(a.q).toBeLessThanOrEqual(0.05);
    const strengths = res.associations.map((a) => Math.abs(a.rho));
    expect(strengths).toEqual([...strengths].sort((x, y) => y - x));
  });

  it('documents the insights routes in the OpenAPI document', async () => {
    const doc = (await app.inject('/api/openapi.json')).json() as {
      paths: Record<string, unknown>;
    };
    for (const p of ['experiments', 'correlations', 'associations', 'annotations']) {
      expect(Object.keys(doc.paths)).toContain(`/api/insights/${p}`);
    }
  });
});
