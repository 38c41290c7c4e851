import type { FastifyInstance } from 'fastify';
import type { MeResponse } from '../../api/types.ts';
import { hasOwner } from '../../db/accounts.ts';
import { METRICS, metricInfo } from '../../db/queries/metricCatalog.ts';
import { grantsScope } from '../../oura/oauth.ts';
import { DATA_TYPES, ROUTES } from '../../oura/routes.ts';
import { csrfTokenFor } from '../auth/session.ts';
import { type ApiContext, jsonResponse } from './context.ts';

export async function registerMeRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  // Whether an owner exists only ever changes from false to true: remembered once true.
  let ownerExists = false;
  app.get(
    '/api/me',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Who is logged in, the CSRF token, Oura connection state, stored span and the metric catalogue',
        response: { 200: jsonResponse('Who and what is here') },
      },
    },
    async (request, reply): Promise<MeResponse> => {
      reply.header('cache-control', 'no-store');
      const metrics = METRICS.map(metricInfo);
      ownerExists ||= await hasOwner(ctx.db);
      const auth = request.auth;
      const base = {
        setupNeeded: !ownerExists,
        setupTokenRequired: !ownerExists && ctx.setupTokenRequired,
        csrfToken: csrfTokenFor(request, reply),
        oauthAvailable: Boolean(
          ctx.config.oura.clientId && ctx.config.oura.clientSecret && ctx.config.secretKey,
        ),
        metrics,
      };
      if (!auth) {
        return {
          ...base,
          user: null,
          connection: { status: 'none', scopes: [] },
          dataTypes: { granted: [], missing: [] },
          firstNight: null,
          lastNight: null,
          syncRunning: false,
        };
      }
      const overview = await ctx.overviews.get(auth.userId);
      const scopes = overview.connection.scopes;
      const connected = overview.connection.status !== 'none';
      const granted = DATA_TYPES.filter((t) => connected && grantsScope(scopes, ROUTES[t].scope));
      return {
        ...base,
        user: { id: auth.userId, name: auth.name, role: auth.role, hasPassword: auth.hasPassword },
        connection: overview.connection,
        dataTypes: {
          granted,
          missing: connected ? DATA_TYPES.filter((t) => !granted.includes(t)) : [],
        },
        firstNight: overview.firstNight,
        lastNight: overview.lastNight,
        syncRunning: ctx.sync.isRunningFor(auth.userId),
        metrics,
      };
    },
  );
}
