import type { FastifyInstance } from 'fastify';
import type {
  AnnotationsResponse,
  AssociationsResponse,
  CorrelationResponse,
  ExperimentResponse,
  ExperimentSubjectsResponse,
  MetricInfo,
  RangeKey,
} from '../../api/types.ts';
import { getAnnotations } from '../../db/queries/getAnnotations.ts';
import { getDailyValues } from '../../db/queries/getDailyValues.ts';
import { getSubjectDays } from '../../db/queries/getSubjectDays.ts';
import {
  METRIC_KEYS,
  METRICS,
  type MetricSource,
  metricByKey,
  metricInfo,
} from '../../db/queries/metricCatalog.ts';
import {
  candidateTests,
  type DailyMap,
  laggedPairs,
  MAX_LAG,
  strongestAssociations,
} from '../../insights/correlation.ts';
import { addDays, daysBetween, isValidDay } from '../../insights/days.ts';
import {
  compareNights,
  DEFAULT_RESAMPLES,
  seedFrom,
  simultaneousLevel,
} from '../../insights/experiment.ts';
import { experimentSentence } from '../../insights/experimentSentence.ts';
import { spearman, theilSen } from '../../insights/spearman.ts';
import { subjectLabel, tagSubject, workoutSubject } from '../../insights/subjects.ts';
import { ApiError } from '../errors.ts';
import { RANGE_KEYS, type RangeQuery, resolveRange } from '../ranges.ts';
import { type ApiContext, errorResponses, jsonResponse, userAndOverview } from './context.ts';

/** Nights an analysis reads at most (three years), decided before any work starts. */
export const MAX_ANALYSIS_DAYS = 1096;
/** Outcomes one experiment compares at most. */
export const MAX_OUTCOMES = 8;
/** Tags that join the strongest-associations run (most used first), and the days they need. */
const MAX_ASSOCIATION_TAGS = 8;
const MIN_TAG_DAYS = 10;
const FDR = 0.05;
/** Annotations one response carries at most (the latest), so a five-year chart stays light. */
export const MAX_ANNOTATIONS = 2000;

/** The default experiment outcomes, and the metrics the strongest-associations list compares. */
export const DEFAULT_OUTCOMES = [
  'average_hrv',
  'lowest_heart_rate',
  'deep_sleep',
  'rem_sleep',
  'sleep_score',
  'latency',
];
const ASSOCIATION_METRICS = [
  'sleep_score',
  'total_sleep',
  'deep_sleep',
  'rem_sleep',
  'latency',
  'efficiency',
  'lowest_heart_rate',
  'average_hrv',
  'average_breath',
  'temperature_deviation',
  'readiness_score',
  'steps',
  'active_calories',
  'stress_high',
];

const analysisRange = {
  range: {
    type: 'string',
    enum: RANGE_KEYS,
    default: 'all',
    description: 'Nights analysed, ending on `end` (at most the last three years)',
  },
  end: {
    type: 'string',
    pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    description: 'Last day (default: the latest day with data)',
  },
} as const;

function requireMetric(key: string): MetricSource {
  const metric = metricByKey(key);
  if (!metric) throw new ApiError(400, 'invalid_request', `Unknown metric '${key}'.`);
  return metric;
}

async function analysisWindow(ctx: ApiContext, request: Parameters<typeof userAndOverview>[1]) {
  const { user, overview } = await userAndOverview(ctx, request);
  const q = request.query as RangeQuery;
  const r = resolveRange({ ...q, range: q.range ?? 'all' }, overview, ctx.today());
  const from =
    daysBetween(r.from, r.to) >= MAX_ANALYSIS_DAYS
      ? addDays(r.to, -(MAX_ANALYSIS_DAYS - 1))
      : r.from;
  return { user, key: r.key as RangeKey, from, to: r.to };
}

const toMap = (rows: { day: string; value: number | null }[]): Map<string, number> =>
  new Map(rows.filter((r) => r.value !== null).map((r) => [r.day, r.value as number]));

/** Subject key → the days carrying it in [from, to]. */
async function subjectDays(
  ctx: ApiContext,
  userId: number,
  from: string,
  to: string,
): Promise<Map<string, Set<string>>> {
  const rows = await getSubjectDays(ctx.db, userId, from, to);
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    const key = r.kind === 'tag' ? tagSubject(r.code, r.customName) : workoutSubject(r.code);
    const set = out.get(key) ?? new Set<string>();
    set.add(r.day);
    out.set(key, set);
  }
  return out;
}

export async function registerTagInsightRoutes(
  app: FastifyInstance,
  ctx: ApiContext,
): Promise<void> {
  app.get<{ Querystring: RangeQuery }>(
    '/api/insights/annotations',
    {
      schema: {
        tags: ['insights'],
        summary: 'Tags, enhanced tags and workouts of a range, for drawing on the charts',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...analysisRange, range: { ...analysisRange.range, default: '90d' } },
        },
        response: { 200: jsonResponse('Annotations, oldest first'), ...errorResponses },
      },
    },
    async (request): Promise<AnnotationsResponse> => {
      const { user, overview } = await userAndOverview(ctx, request);
      const range = resolveRange(request.query, overview, ctx.today());
      // The evening before the first night belongs to it.
      const annotations = await getAnnotations(ctx.db, user.id, addDays(range.from, -1), range.to);
      return { range, annotations: annotations.slice(-MAX_ANNOTATIONS) };
    },
  );

  app.get<{ Querystring: RangeQuery }>(
    '/api/insights/experiments/subjects',
    {
      schema: {
        tags: ['insights'],
        summary: 'Tags and workout types that can be compared, with their day counts',
        querystring: { type: 'object', additionalProperties: false, properties: analysisRange },
        response: { 200: jsonResponse('Experiment subjects'), ...errorResponses },
      },
    },
    async (request): Promise<ExperimentSubjectsResponse> => {
      const { user, from, to } = await analysisWindow(ctx, request);
      const days = await subjectDays(ctx, user.id, addDays(from, -1), to);
      const subjects = [...days.entries()]
        .map(([key, set]) => ({
          key,
          label: subjectLabel(key),
          kind: key.startsWith('workout:') ? ('workout' as const) : ('tag' as const),
          days: set.size,
        }))
        .sort((a, b) => b.days - a.days || a.label.localeCompare(b.label));
      return { from, to, subjects, outcomes: METRICS.map(metricInfo) };
    },
  );

  app.get<{ Querystring: RangeQuery & { subject: string; outcomes?: string } }>(
    '/api/insights/experiments',
    {
      schema: {
        tags: ['insights'],
        summary:
          'Nights after days with a tag or workout type (or from a date on) vs the other nights: difference, Hedges g, bootstrap interval, n, a sentence',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['subject'],
          properties: {
            ...analysisRange,
            subject: {
              type: 'string',
              minLength: 3,
              maxLength: 200,
              description:
                "'tag:<code>' (custom tags 'tag:custom:<name>'), 'workout:<activity>' or 'date:YYYY-MM-DD' (nights from that day on vs before)",
            },
            outcomes: {
              type: 'string',
              maxLength: 400,
              description: `Comma-separated metric keys, at most ${MAX_OUTCOMES} (default: HRV, lowest heart rate, deep, REM, sleep score, latency)`,
            },
          },
        },
        response: { 200: jsonResponse('Experiment result per outcome'), ...errorResponses },
      },
    },
    async (request): Promise<ExperimentResponse> => {
      const { user, from, to } = await analysisWindow(ctx, request);
      const subject = request.query.subject;
      const keys = (request.query.outcomes ?? DEFAULT_OUTCOMES.join(','))
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k);
      if (keys.length === 0 || keys.length > MAX_OUTCOMES) {
        throw new ApiError(400, 'invalid_request', `Choose 1 to ${MAX_OUTCOMES} outcomes.`);
      }
      const metrics = [...new Set(keys)].map(requireMetric);
      let exposed: (day: string) => boolean;
      let label: string;
      let exposedLabel: string;
      let otherLabel: string;
      if (subject.startsWith('date:')) {
        const date = subject.slice(5);
        if (!isValidDay(date)) {
          throw new ApiError(400, 'invalid_request', `'${date}' is not a day YYYY-MM-DD.`);
        }
        exposed = (day) => day >= date;
        label = `From ${date} on`;
        exposedLabel = `nights from ${date} on`;
        otherLabel = `nights before ${date}`;
      } else if (subject.startsWith('tag:') || subject.startsWith('workout:')) {
        const days = (await subjectDays(ctx, user.id, addDays(from, -1), to)).get(subject);
        const set = days ?? new Set<string>();
        // The night after a tagged day: its wake-up day is the next day.
        exposed = (day) => set.has(addDays(day, -1));
        label = subjectLabel(subject);
        exposedLabel = `nights after ${label.toLowerCase()} days`;
        otherLabel = 'other nights';
      } else {
        throw new ApiError(
          400,
          'invalid_request',
          "subject must start with 'tag:', 'workout:' or 'date:'.",
        );
      }
      const level = simultaneousLevel(metrics.length);
      const outcomes = [];
      for (const metric of metrics) {
        const rows = await getDailyValues(ctx.db, user.id, metric, from, to);
        const nights = rows.flatMap((r) =>
          r.value === null ? [] : [{ day: r.day, value: r.value }],
        );
        const stats = compareNights(nights, exposed, {
          seed: seedFrom(`${subject}|${metric.key}|${from}|${to}`),
          resamples: DEFAULT_RESAMPLES,
          level,
        });
        const info = metricInfo(metric);
        outcomes.push({
          metric: info,
          ...stats,
          sentence: experimentSentence(info, exposedLabel, stats),
        });
      }
      return {
        subject: { key: subject, label },
        from,
        to,
        exposedLabel,
        otherLabel,
        resamples: DEFAULT_RESAMPLES,
        outcomes,
      };
    },
  );

  app.get<{ Querystring: RangeQuery & { x: string; y: string; lag?: number } }>(
    '/api/insights/correlations',
    {
      schema: {
        tags: ['insights'],
        summary:
          'Spearman rank correlation of two daily metrics, y read 0–3 days after x, with a 95 % interval, scatter points and a Theil–Sen line',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['x', 'y'],
          properties: {
            ...analysisRange,
            x: { type: 'string', enum: METRIC_KEYS },
            y: { type: 'string', enum: METRIC_KEYS },
            lag: { type: 'integer', minimum: 0, maximum: MAX_LAG, default: 0 },
          },
        },
        response: { 200: jsonResponse('Correlation'), ...errorResponses },
      },
    },
    async (request): Promise<CorrelationResponse> => {
      const { user, from, to } = await analysisWindow(ctx, request);
      const lag = request.query.lag ?? 0;
      const mx = requireMetric(request.query.x);
      const my = requireMetric(request.query.y);
      const x = toMap(await getDailyValues(ctx.db, user.id, mx, from, to));
      const y = toMap(await getDailyValues(ctx.db, user.id, my, from, to));
      const pairs = laggedPairs(x, y, lag);
      const r = spearman(pairs.x, pairs.y);
      const xi = metricInfo(mx);
      const yi = metricInfo(my);
      const when = lag === 0 ? 'on the same day' : `${lag} day${lag > 1 ? 's' : ''} later`;
      const strength = (rho: number) =>
        Math.abs(rho) < 0.1
          ? 'no'
          : Math.abs(rho) < 0.3
            ? 'a weak'
            : Math.abs(rho) < 0.5
              ? 'a moderate'
              : 'a strong';
      const sentence = !r
        ? `Too few days with both ${xi.label} and ${yi.label} ${when} (${pairs.x.length}; at least 10 needed).`
        : r.lower <= 0 && r.upper >= 0
          ? `No evidence either way: over ${r.n} days, ${xi.label} and ${yi.label} ${when} have a rank correlation of ${r.rho.toFixed(2)}, and the 95 % interval (${r.lower.toFixed(2)} to ${r.upper.toFixed(2)}) includes zero.`
          : `Over ${r.n} days, ${strength(r.rho)} ${r.rho > 0 ? 'positive' : 'negative'} association: higher ${xi.label} goes with ${r.rho > 0 ? 'higher' : 'lower'} ${yi.label} ${when} (rank correlation ${r.rho.toFixed(2)}, 95 % interval ${r.lower.toFixed(2)} to ${r.upper.toFixed(2)}). An association, not a cause.`;
      return {
        x: xi,
        y: yi,
        lag,
        from,
        to,
        n: pairs.x.length,
        rho: r?.rho ?? null,
        lower: r?.lower ?? null,
        upper: r?.upper ?? null,
        p: r?.p ?? null,
        line: r ? theilSen(pairs.x, pairs.y) : null,
        points: pairs.days.map((day, i) => ({ day, x: pairs.x[i] ?? 0, y: pairs.y[i] ?? 0 })),
        sentence,
      };
    },
  );

  app.get<{ Querystring: RangeQuery }>(
    '/api/insights/associations',
    {
      schema: {
        tags: ['insights'],
        summary:
          'Strongest associations across metric pairs, tags and lags 0–3, kept at a 5 % false-discovery rate (Benjamini–Hochberg)',
        querystring: { type: 'object', additionalProperties: false, properties: analysisRange },
        response: { 200: jsonResponse('Associations surviving FDR control'), ...errorResponses },
      },
    },
    async (request): Promise<AssociationsResponse> => {
      const { user, from, to } = await analysisWindow(ctx, request);
      return ctx.memo.get(`associations:${user.id}:${from}:${to}`, async () => {
        const series = new Map<string, DailyMap>();
        const infos = new Map<string, MetricInfo>();
        for (const key of ASSOCIATION_METRICS) {
          const metric = requireMetric(key);
          series.set(key, toMap(await getDailyValues(ctx.db, user.id, metric, from, to)));
          infos.set(key, metricInfo(metric));
        }
        // Tags as 0/1 series over the days with a night: most used first, bounded.
        const nightDays = [...(series.get('total_sleep')?.keys() ?? [])];
        const tags = [...(await subjectDays(ctx, user.id, from, to)).entries()]
          .filter(([k, set]) => k.startsWith('tag:') && set.size >= MIN_TAG_DAYS)
          .sort((a, b) => b[1].size - a[1].size)
          .slice(0, MAX_ASSOCIATION_TAGS);
        for (const [key, set] of tags) {
          series.set(key, new Map(nightDays.map((d) => [d, set.has(d) ? 1 : 0])));
          infos.set(key, {
            key,
            label: `${subjectLabel(key)} tagged`,
            unit: 'count',
            group: 'sleep',
            higherIsBetter: null,
          });
        }
        const { tested, kept } = strongestAssociations(
          series,
          candidateTests(
            ASSOCIATION_METRICS,
            tags.map(([k]) => k),
          ),
          FDR,
        );
        return {
          from,
          to,
          tested,
          fdr: FDR,
          associations: kept.slice(0, 50).flatMap((a) => {
            const x = infos.get(a.x);
            const y = infos.get(a.y);
            return x && y
              ? [
                  {
                    x,
                    y,
                    lag: a.lag,
                    n: a.n,
                    rho: a.rho,
                    lower: a.lower,
                    upper: a.upper,
                    p: a.p,
                    q: a.q,
                  },
                ]
              : [];
          }),
        };
      });
    },
  );
}
