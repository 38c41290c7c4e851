import type { FastifyInstance } from 'fastify';
import type {
  StagesResponse,
  TimingResponse,
  TrendResponse,
  WeekdayResponse,
} from '../../api/types.ts';
import { getDailyValues } from '../../db/queries/getDailyValues.ts';
import { getStages } from '../../db/queries/getStages.ts';
import { getTiming } from '../../db/queries/getTiming.ts';
import { METRIC_KEYS, metricByKey, metricInfo } from '../../db/queries/metricCatalog.ts';
import { addDays, dayToUtcMs, utcMsToDay } from '../../insights/days.ts';
import { lttb } from '../../insights/downsample.ts';
import { sleepRegularity } from '../../insights/regularity.ts';
import { baselineBand, rollingMean } from '../../insights/rolling.ts';
import { mean, median } from '../../insights/stats.ts';
import { weekdayPattern } from '../../insights/weekday.ts';
import { NotFoundError } from '../errors.ts';
import { dayCount, type RangeQuery, rangeQuerySchema, resolveRange } from '../ranges.ts';
import { type ApiContext, errorResponses, jsonResponse, userAndOverview } from './context.ts';

/** Points per chart, at most (issue: ≤ 2,000 points per chart, shape-preserving). */
export const MAX_CHART_POINTS = 2000;
/** Days before the range that feed its first rolling means and baselines. */
const BASELINE_DAYS = 60;

const metricParams = {
  type: 'object',
  required: ['metric'],
  properties: {
    metric: { type: 'string', enum: METRIC_KEYS, description: 'Metric key (see /api/me)' },
  },
} as const;

function requireMetric(key: string) {
  const metric = metricByKey(key);
  if (!metric) throw new NotFoundError(`Unknown metric '${key}'.`);
  return metric;
}

/** Every day of [from, to] with its value or null, so gaps stay gaps on the chart. */
function denseDays(from: string, to: string): string[] {
  const n = dayCount({ from, to });
  const start = dayToUtcMs(from);
  return Array.from({ length: n }, (_, i) => utcMsToDay(start + i * 86_400_000));
}

export async function registerTrendRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Params: { metric: string }; Querystring: RangeQuery }>(
    '/api/trends/:metric',
    {
      schema: {
        tags: ['trends'],
        summary:
          'A daily metric with its 7-day rolling mean and 60-day baseline band (mean ± 1 SD)',
        params: metricParams,
        querystring: rangeQuerySchema,
        response: {
          200: jsonResponse('Columnar daily series, at most 2,000 points'),
          ...errorResponses,
        },
      },
    },
    async (request): Promise<TrendResponse> => {
      const metric = requireMetric(request.params.metric);
      const { user, overview } = await userAndOverview(ctx, request);
      const range = resolveRange(request.query, overview, ctx.today());
      const rows = await getDailyValues(
        ctx.db,
        user.id,
        metric,
        addDays(range.from, -BASELINE_DAYS),
        range.to,
      );
      const byDay = new Map(rows.map((r) => [r.day, r.value]));
      // Means and bands for every calendar day (also days without a value), so a missing night
      // leaves a gap in the values but not in the 7-day mean or the baseline band.
      const dense = denseDays(addDays(range.from, -BASELINE_DAYS), range.to).map((day) => ({
        day,
        value: byDay.get(day) ?? null,
      }));
      // Sparse measures (VO2 max is estimated every few days) would never fill the usual
      // minimum counts; for them any value in the window counts.
      const sparse = rows.filter((r) => r.value !== null).length < dense.length / 2;
      const rolling = new Map(
        rollingMean(dense, 7, sparse ? 1 : undefined).map((p) => [p.day, p.value]),
      );
      const band = new Map(
        baselineBand(dense, BASELINE_DAYS, 1, sparse ? 3 : undefined).map((p) => [p.day, p]),
      );
      let days = denseDays(range.from, range.to);
      let downsampled = false;
      if (days.length > MAX_CHART_POINTS) {
        // LTTB picks the days that keep the shape of the values; the other columns follow.
        const points = days.map((d, i) => [i, byDay.get(d) ?? null] as const);
        const keep = lttb(points, MAX_CHART_POINTS)
          .filter((p) => Number.isInteger(p[0]))
          .map((p) => days[p[0]] ?? '');
        days = keep.filter((d) => d !== '');
        downsampled = true;
      }
      const inRange = rows.filter((r) => r.day >= range.from && r.value !== null);
      const values = inRange.map((r) => r.value);
      const nums = values.filter((v): v is number => v !== null);
      return {
        metric: metricInfo(metric),
        range,
        days,
        values: days.map((d) => byDay.get(d) ?? null),
        rolling7: days.map((d) => rolling.get(d) ?? null),
        baselineMean: days.map((d) => band.get(d)?.mean ?? null),
        baselineLower: days.map((d) => band.get(d)?.lower ?? null),
        baselineUpper: days.map((d) => band.get(d)?.upper ?? null),
        downsampled,
        summary: {
          count: nums.length,
          mean: mean(nums),
          median: median(nums),
          min: nums.length ? Math.min(...nums) : null,
          max: nums.length ? Math.max(...nums) : null,
          latest: inRange.length ? (inRange[inRange.length - 1]?.value ?? null) : null,
        },
      };
    },
  );

  app.get<{ Params: { metric: string }; Querystring: RangeQuery }>(
    '/api/trends/:metric/weekdays',
    {
      schema: {
        tags: ['trends'],
        summary: 'Mean per weekday (wake-up day) and Monday–Friday vs weekend',
        params: metricParams,
        querystring: rangeQuerySchema,
        response: { 200: jsonResponse('Weekday pattern'), ...errorResponses },
      },
    },
    async (request): Promise<WeekdayResponse> => {
      const metric = requireMetric(request.params.metric);
      const { user, overview } = await userAndOverview(ctx, request);
      const range = resolveRange(request.query, overview, ctx.today());
      const rows = await getDailyValues(ctx.db, user.id, metric, range.from, range.to);
      return { metric: metricInfo(metric), range, ...weekdayPattern(rows) };
    },
  );

  app.get<{ Querystring: RangeQuery }>(
    '/api/stages',
    {
      schema: {
        tags: ['trends'],
        summary: 'Seconds of deep, light, REM and awake per night (weekly means beyond 120 nights)',
        querystring: rangeQuerySchema,
        response: { 200: jsonResponse('Stage composition'), ...errorResponses },
      },
    },
    async (request): Promise<StagesResponse> => {
      const { user, overview } = await userAndOverview(ctx, request);
      const range = resolveRange(request.query, overview, ctx.today());
      const rows = await getStages(ctx.db, user.id, range.from, range.to);
      if (rows.length <= 120) {
        return {
          range,
          bucket: 'day',
          days: rows.map((r) => r.day),
          deep: rows.map((r) => r.deep),
          light: rows.map((r) => r.light),
          rem: rows.map((r) => r.rem),
          awake: rows.map((r) => r.awake),
        };
      }
      // Weekly means keep a year's bars readable; weeks start on Monday.
      const weeks = new Map<string, typeof rows>();
      for (const r of rows) {
        const dow = (new Date(`${r.day}T00:00:00Z`).getUTCDay() + 6) % 7;
        const week = addDays(r.day, -dow);
        const list = weeks.get(week) ?? [];
        list.push(r);
        weeks.set(week, list);
      }
      const keys = [...weeks.keys()].sort();
      const col = (k: 'deep' | 'light' | 'rem' | 'awake') =>
        keys.map((w) => mean((weeks.get(w) ?? []).map((r) => r[k])));
      return {
        range,
        bucket: 'week',
        days: keys,
        deep: col('deep'),
        light: col('light'),
        rem: col('rem'),
        awake: col('awake'),
      };
    },
  );

  app.get<{ Querystring: RangeQuery }>(
    '/api/timing',
    {
      schema: {
        tags: ['trends'],
        summary: 'Bedtime and wake time per night (local clock) and timing consistency',
        querystring: rangeQuerySchema,
        response: { 200: jsonResponse('Sleep timing'), ...errorResponses },
      },
    },
    async (request): Promise<TimingResponse> => {
      const { user, overview } = await userAndOverview(ctx, request);
      const range = resolveRange(request.query, overview, ctx.today());
      const nights = await getTiming(ctx.db, user.id, range.from, range.to);
      return {
        range,
        days: nights.map((n) => n.day),
        bedtime: nights.map((n) => n.bedtimeMinutes),
        wake: nights.map((n) => n.wakeMinutes),
        regularity: sleepRegularity(nights),
      };
    },
  );
}
