import type { FastifyInstance } from 'fastify';
import { getNight } from '../../db/queries/getNight.ts';
import { ApiError } from '../errors.ts';
import { parseDay } from '../ranges.ts';
import { type ApiContext, errorResponses, jsonResponse, userAndOverview } from './context.ts';

export async function registerNightRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Params: { day: string } }>(
    '/api/nights/:day',
    {
      schema: {
        tags: ['nights'],
        summary: 'One night: scores, contributors, stages, series, naps and 30-night medians',
        params: {
          type: 'object',
          required: ['day'],
          properties: {
            day: {
              type: 'string',
              pattern: '^(latest|\\d{4}-\\d{2}-\\d{2})$',
              description: "Wake-up day 'YYYY-MM-DD', or 'latest'",
            },
          },
        },
        response: {
          200: jsonResponse('The night of that wake-up day', {
            day: { type: 'string' },
            prevDay: { type: ['string', 'null'] },
            nextDay: { type: ['string', 'null'] },
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { user, overview } = await userAndOverview(ctx, request);
      if (request.params.day === 'latest') {
        if (!overview.lastNight) throw new ApiError(404, 'no_data', 'No nights are stored yet.');
        return getNight(ctx.db, user.id, overview.lastNight);
      }
      // One day's lookup: bounded whatever the day, so a real day is enough (no clamping).
      return getNight(ctx.db, user.id, parseDay(request.params.day, 'day'));
    },
  );
}
