import type { FastifyInstance } from 'fastify';
import { METRICS, metricInfo } from '../../db/queries/metricCatalog.ts';
import type { MeResponse } from '../apiTypes.ts';
import { type ApiContext, jsonResponse } from './context.ts';

export async function registerMeRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get(
    '/api/me',
    {
      schema: {
        tags: ['nights'],
        summary: 'The served user, Oura connection state, stored span and the metric catalogue',
        response: { 200: jsonResponse('Who and what is here') },
      },
    },
    async (): Promise<MeResponse> => {
      const metrics = METRICS.map(metricInfo);
      const user = await ctx.users.find();
      if (!user) {
        return {
          user: null,
          connection: { status: 'none', scopes: [] },
          firstNight: null,
          lastNight: null,
          syncRunning: ctx.sync.isRunning(),
          metrics,
        };
      }
      const overview = await ctx.overviews.get(user.id);
      return {
        user,
        connection: overview.connection,
        firstNight: overview.firstNight,
        lastNight: overview.lastNight,
        syncRunning: ctx.sync.isRunning(),
        metrics,
      };
    },
  );
}
