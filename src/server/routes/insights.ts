import type { FastifyInstance } from 'fastify';
import type {
  InsightSettings,
  RegularityResponse,
  SignalsResponse,
  SleepDebtResult,
  WeekReport,
} from '../../api/types.ts';
import { getHypnograms } from '../../db/queries/getHypnograms.ts';
import { getInsightSettings } from '../../db/queries/getInsightSettings.ts';
import { getSignalNights } from '../../db/queries/getSignalNights.ts';
import { getSleepNights } from '../../db/queries/getSleepNights.ts';
import { putInsightSettings } from '../../db/queries/putInsightSettings.ts';
import { chronotype } from '../../insights/chronotype.ts';
import { addDays, isValidDay } from '../../insights/days.ts';
import { bodySignals, DEFAULT_SIGNAL_OPTIONS, flaggedEpisodes } from '../../insights/signals.ts';
import { sleepDebt } from '../../insights/sleepDebt.ts';
import { dailySri, sriWindow } from '../../insights/sri.ts';
import { buildWeekReport } from '../../reports/week.ts';
import { ApiError } from '../errors.ts';
import { type RangeQuery, rangeQuerySchema, resolveRange } from '../ranges.ts';
import { type ApiContext, errorResponses, jsonResponse, userAndOverview } from './context.ts';

/**
 * Body signals start from flagged-free baselines, so each answer recomputes from well before
 * its range: a flag never depends on which range was asked for.
 */
const SIGNAL_HISTORY_DAYS = 180;
const REGULARITY_WINDOWS = [7, 30, 90] as const;
const CHRONOTYPE_DAYS = 90;

const dayQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    day: {
      type: 'string',
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: 'Wake-up day (default: the latest night)',
    },
  },
} as const;

function pickDay(day: string | undefined, lastNight: string | null, today: string): string {
  if (day !== undefined && !isValidDay(day))
    throw new ApiError(400, 'invalid_request', `day must be a real day 'YYYY-MM-DD', got '${day}'`);
  return day ?? lastNight ?? today;
}

export async function registerInsightRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Querystring: RangeQuery }>(
    '/api/insights/signals',
    {
      schema: {
        tags: ['insights'],
        summary:
          'Body signals per day: robust deviations (median, MAD × 1.4826 of a trailing 60-night ' +
          'baseline without flagged nights) and a flag when several move together',
        querystring: rangeQuerySchema,
        response: { 200: jsonResponse('Signals per day and flagged episodes'), ...errorResponses },
      },
    },
    async (request): Promise<SignalsResponse> => {
      const { user, overview } = await userAndOverview(ctx, request);
      const range = resolveRange(request.query, overview, ctx.today());
      const nights = await getSignalNights(
        ctx.db,
        user.id,
        addDays(range.from, -SIGNAL_HISTORY_DAYS),
        range.to,
      );
      const days = bodySignals(nights).filter((d) => d.day >= range.from);
      return {
        range: { from: range.from, to: range.to },
        baselineDays: DEFAULT_SIGNAL_OPTIONS.baselineDays,
        minBaselineNights: DEFAULT_SIGNAL_OPTIONS.minBaselineNights,
        zThreshold: DEFAULT_SIGNAL_OPTIONS.zThreshold,
        days,
        episodes: flaggedEpisodes(days),
      };
    },
  );

  app.get<{ Querystring: { day?: string } }>(
    '/api/insights/debt',
    {
      schema: {
        tags: ['insights'],
        summary:
          'Sleep need, weighted sleep debt over 14 nights (7-night half-life) and a bedtime ' +
          'window that repays it before the usual wake time',
        querystring: dayQuery,
        response: { 200: jsonResponse('Sleep debt'), ...errorResponses },
      },
    },
    async (request): Promise<SleepDebtResult> => {
      const { user, overview } = await userAndOverview(ctx, request);
      const day = pickDay(request.query.day, overview.lastNight, ctx.today());
      const settings = await getInsightSettings(ctx.db, user.id);
      const nights = await getSleepNights(ctx.db, user.id, addDays(day, -120), day);
      return sleepDebt(nights, day, settings.sleepNeedMinutes);
    },
  );

  app.get<{ Querystring: { day?: string } }>(
    '/api/insights/regularity',
    {
      schema: {
        tags: ['insights'],
        summary:
          'Sleep Regularity Index over 7, 30 and 90 days, mid-sleep on work and free days, ' +
          'social jetlag and the chronotype MSFsc',
        querystring: dayQuery,
        response: { 200: jsonResponse('Regularity and chronotype'), ...errorResponses },
      },
    },
    async (request): Promise<RegularityResponse> => {
      const { user, overview } = await userAndOverview(ctx, request);
      const to = pickDay(request.query.day, overview.lastNight, ctx.today());
      const settings = await getInsightSettings(ctx.db, user.id);
      const periods = await getHypnograms(ctx.db, user.id, addDays(to, -90), to);
      const nights = await getSleepNights(ctx.db, user.id, addDays(to, 1 - CHRONOTYPE_DAYS), to);
      return {
        to,
        sri: REGULARITY_WINDOWS.map((days) => sriWindow(periods, to, days)),
        chronotype: chronotype(nights, settings.workDays),
        daily: dailySri(periods, addDays(to, -83), to),
      };
    },
  );

  app.get<{ Querystring: { day?: string } }>(
    '/api/insights/week',
    {
      schema: {
        tags: ['insights'],
        summary:
          'Weekly report for the ISO week holding `day`: averages against baseline, best and ' +
          'worst night, debt, regularity, flags and the tags logged',
        querystring: dayQuery,
        response: { 200: jsonResponse('Weekly report'), ...errorResponses },
      },
    },
    async (request): Promise<WeekReport> => {
      const { user, overview } = await userAndOverview(ctx, request);
      const day = pickDay(request.query.day, overview.lastNight, ctx.today());
      return buildWeekReport(ctx.db, user, day);
    },
  );

  app.get(
    '/api/insights/settings',
    {
      schema: {
        tags: ['insights'],
        summary: 'Insight settings: sleep need override and work days',
        response: { 200: jsonResponse('Insight settings'), ...errorResponses },
      },
    },
    async (request): Promise<InsightSettings> => {
      const user = ctx.users.require(request);
      return getInsightSettings(ctx.db, user.id);
    },
  );

  app.put<{ Body: InsightSettings }>(
    '/api/insights/settings',
    {
      schema: {
        tags: ['insights'],
        summary: 'Set the sleep need (null: estimate from history) and the work days',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['sleepNeedMinutes', 'workDays'],
          properties: {
            sleepNeedMinutes: {
              anyOf: [{ type: 'integer', minimum: 240, maximum: 720 }, { type: 'null' }],
              description: 'Minutes of sleep a night, 240-720, or null',
            },
            workDays: {
              type: 'array',
              maxItems: 7,
              uniqueItems: true,
              items: { type: 'integer', minimum: 1, maximum: 7 },
              description: 'ISO weekdays (1 Monday … 7 Sunday) you wake up to work on',
            },
          },
        },
        response: { 200: jsonResponse('The stored settings'), ...errorResponses },
      },
    },
    async (request): Promise<InsightSettings> => {
      const user = ctx.users.require(request);
      await putInsightSettings(ctx.db, user.id, request.body);
      // Debt, regularity and the week report depend on these: cached answers are stale now.
      ctx.clearCaches();
      return getInsightSettings(ctx.db, user.id);
    },
  );
}
