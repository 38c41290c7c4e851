import type { FastifyInstance } from 'fastify';
import type { HeartRateResponse } from '../../api/types.ts';
import { getDayHeartRate } from '../../db/queries/getDayHeartRate.ts';
import { addDays } from '../../insights/days.ts';
import { minMaxBuckets, type Point } from '../../insights/downsample.ts';
import { mean } from '../../insights/stats.ts';
import { parseDay } from '../ranges.ts';
import { type ApiContext, errorResponses, jsonResponse, userAndOverview } from './context.ts';
import { MAX_CHART_POINTS } from './trends.ts';

/** A gap longer than this between samples is drawn as a gap (ring off, charging). */
const GAP_MS = 20 * 60_000;

export async function registerHeartRateRoutes(
  app: FastifyInstance,
  ctx: ApiContext,
): Promise<void> {
  app.get<{ Querystring: { day?: string } }>(
    '/api/heartrate',
    {
      schema: {
        tags: ['trends'],
        summary: 'Heart rate through one local day, min/max-bucketed to at most 2,000 points',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            day: {
              type: 'string',
              pattern: '^(latest|\\d{4}-\\d{2}-\\d{2})$',
              description: "Local day or 'latest'",
            },
          },
        },
        response: { 200: jsonResponse('Heart-rate samples of the day'), ...errorResponses },
      },
    },
    async (request): Promise<HeartRateResponse> => {
      const { user, overview } = await userAndOverview(ctx, request);
      const requested = request.query.day ?? 'latest';
      const day =
        requested === 'latest' ? (overview.lastDay ?? ctx.today()) : parseDay(requested, 'day');
      const hr = await getDayHeartRate(ctx.db, user.id, day);
      const points: Point[] = [];
      let prev: number | null = null;
      for (const s of hr.samples) {
        if (prev !== null && s.ts - prev > GAP_MS) points.push([prev + 1, null]);
        points.push([s.ts, s.bpm]);
        prev = s.ts;
      }
      const reduced = minMaxBuckets(points, MAX_CHART_POINTS / 2);
      const bpms = hr.samples.map((s) => s.bpm);
      return {
        day,
        prevDay: hr.firstDay && hr.firstDay < day ? addDays(day, -1) : null,
        nextDay: hr.lastDay && hr.lastDay > day ? addDays(day, 1) : null,
        utcOffsetMinutes: hr.utcOffsetMinutes,
        times: reduced.map((p) => p[0]),
        bpm: reduced.map((p) => p[1]),
        sampleCount: hr.samples.length,
        summary: {
          min: bpms.length ? Math.min(...bpms) : null,
          max: bpms.length ? Math.max(...bpms) : null,
          mean: mean(bpms),
        },
      };
    },
  );
}
