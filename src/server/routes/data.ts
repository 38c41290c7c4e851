import type { FastifyInstance } from 'fastify';
import type {
  CoverageResponse,
  CoverageStatus,
  SyncJobView,
  SyncStatusResponse,
} from '../../api/types.ts';
import { getCoverage } from '../../db/queries/getCoverage.ts';
import { listRuns } from '../../db/syncRuns.ts';
import { addDays } from '../../insights/days.ts';
import { getUserStatus } from '../../sync/status.ts';
import { type RangeQuery, rangeQuerySchema, resolveRange } from '../ranges.ts';
import { type ApiContext, errorResponses, jsonResponse, userAndOverview } from './context.ts';

/** Non-wear beyond this share of the day marks it "not worn" (seconds). */
const NON_WEAR_DAY_SECONDS = 12 * 3600;

export async function registerDataRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Querystring: RangeQuery }>(
    '/api/coverage',
    {
      schema: {
        tags: ['data'],
        summary: 'Per day: which data exists, gaps, non-wear and low battery (default: last year)',
        querystring: {
          ...rangeQuerySchema,
          properties: {
            ...rangeQuerySchema.properties,
            range: { ...rangeQuerySchema.properties.range, default: '1y' },
          },
        },
        response: { 200: jsonResponse('Coverage calendar'), ...errorResponses },
      },
    },
    async (request): Promise<CoverageResponse> => {
      const { user, overview } = await userAndOverview(ctx, request);
      const today = ctx.today();
      const range = resolveRange(
        {
          ...request.query,
          end:
            request.query.end ??
            (overview.lastDay && overview.lastDay > today ? overview.lastDay : today),
        },
        overview,
        today,
      );
      const rows = await getCoverage(ctx.db, user.id, range.from, range.to);
      return {
        from: range.from,
        to: range.to,
        days: rows.map((r) => {
          const any = r.sleep || r.readiness || r.activity || r.heartRate;
          const all = r.sleep && r.readiness && r.activity;
          let status: CoverageStatus;
          if (r.day > addDays(today, 1)) status = 'future';
          else if (r.lowBattery) status = 'low_battery';
          else if ((r.nonWearSeconds ?? 0) >= NON_WEAR_DAY_SECONDS) status = 'non_wear';
          else if (all) status = 'data';
          else if (any) status = 'partial';
          else status = 'gap';
          return {
            day: r.day,
            status,
            sleep: r.sleep,
            readiness: r.readiness,
            activity: r.activity,
            heartRate: r.heartRate,
            nonWearMinutes: r.nonWearSeconds === null ? null : Math.round(r.nonWearSeconds / 60),
            lowBattery: r.lowBattery,
          };
        }),
      };
    },
  );

  app.get(
    '/api/sync/status',
    {
      schema: {
        tags: ['data'],
        summary: 'Oura connection, last sync per data type, sync history with errors, live job',
        response: { 200: jsonResponse('Sync status'), ...errorResponses },
      },
    },
    async (request): Promise<SyncStatusResponse> => {
      const user = ctx.users.require(request);
      // Stored counts and runs change only when a sync writes: reused until then. The job
      // below is always live.
      const [status, runs] = await ctx.memo.get(`sync-status:${user.id}`, () =>
        Promise.all([
          getUserStatus(ctx.db, user),
          listRuns(ctx.db, { userId: user.id, limit: 15 }),
        ]),
      );
      return {
        connection: {
          status: status.connection.status === 'not_connected' ? 'none' : status.connection.status,
          scopes: status.connection.scopes,
        },
        dataTypes: status.types.map((t) => ({
          dataType: t.dataType,
          documents: t.documents,
          lastDay: t.newestDay,
          lastSuccessAt: t.lastSuccessAt ? t.lastSuccessAt.toISOString() : null,
          completeUntil: t.completeUntil,
          lastError: t.lastError,
          samples: t.samples
            ? {
                count: t.samples.count,
                first: t.samples.first?.toISOString() ?? null,
                last: t.samples.last?.toISOString() ?? null,
              }
            : null,
        })),
        runs: runs.map((r) => ({
          id: r.id,
          startedAt: r.startedAt.toISOString(),
          finishedAt: r.finishedAt ? r.finishedAt.toISOString() : null,
          status: r.status,
          trigger: r.trigger,
          fetched: Object.values(r.counts).reduce((sum, c) => sum + (c.fetched ?? 0), 0),
          errors: r.errors.map((e) => ({ dataType: e.dataType, code: e.code, message: e.message })),
        })),
        invalidDocuments: status.types.reduce((sum, t) => sum + t.invalidDocuments, 0),
        job: ctx.sync.current(user.id),
      };
    },
  );

  app.post(
    '/api/sync',
    {
      schema: {
        tags: ['data'],
        summary: 'Start a sync of your data now; poll /api/sync/progress for its progress',
        response: {
          202: jsonResponse('The started job'),
          409: { $ref: 'ApiError#' },
          503: { $ref: 'ApiError#' },
          ...errorResponses,
        },
      },
    },
    async (request, reply): Promise<SyncJobView> => {
      const user = ctx.users.require(request);
      const job = ctx.sync.start(user.id);
      reply.code(202);
      return job;
    },
  );

  app.get(
    '/api/sync/progress',
    {
      schema: {
        tags: ['data'],
        summary: 'Your current or last sync started from this server (null when none)',
        response: { 200: { type: ['object', 'null'], additionalProperties: true } },
      },
    },
    async (request): Promise<SyncJobView | null> => ctx.sync.current(ctx.users.require(request).id),
  );
}
