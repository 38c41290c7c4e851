import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DATA_TYPES, DOCUMENT_DATA_TYPES, OURA_SCOPES } from '../../oura/routes.ts';
import type { DocumentDataType } from '../data/index.ts';
import type { SimContext } from './context.ts';
import { badRequest } from './errors.ts';
import { WEBHOOK_DATA_TYPES, WEBHOOK_EVENT_TYPES } from './webhooks.ts';

/**
 * `/_sim/*`: the control API for tests, benchmarks and the CLI (never part of Oura's API).
 * It serves loopback only, like the rest of the simulator.
 */

const count = z.number().int().min(0);
const mutation = z.object({ user: z.string(), type: z.enum(DOCUMENT_DATA_TYPES), n: count });

const faultsBody = z
  .object({
    latencyMs: count,
    fail5xxRate: z.number().min(0).max(1),
    fail5xxNext: count,
    timeoutNext: count,
    truncateNext: count,
    rateLimitNext: count,
    appUpdateNext: count,
    malformedNext: count,
    malformedType: z.enum(DATA_TYPES).nullable(),
    expireTokensNow: z.boolean(),
    reset: z.boolean(),
    changeDocuments: mutation,
    deleteDocuments: mutation,
  })
  .partial()
  .strict();

const eventBody = z.object({
  user: z.string(),
  dataType: z.enum(WEBHOOK_DATA_TYPES),
  eventType: z.enum(WEBHOOK_EVENT_TYPES),
  objectId: z.string(),
});

const tokenBody = z.object({
  user: z.string(),
  scopes: z.array(z.enum(OURA_SCOPES)).optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw badRequest(
      result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    );
  }
  return result.data;
}

export interface ControlActions {
  changeDocuments(user: string, type: DocumentDataType, n: number): string[];
  deleteDocuments(user: string, type: DocumentDataType, n: number): string[];
  issueTokens(user: string, scopes?: string[]): unknown;
  revokeUser(user: string): void;
}

export function registerControlRoutes(
  app: FastifyInstance,
  ctx: SimContext,
  actions: ControlActions,
): void {
  const requireUser = (name: string) => {
    if (!ctx.users.has(name)) throw badRequest(`Unknown simulated user: ${name}`);
  };

  app.get('/_sim/faults', async () => ctx.faults.toJSON());

  app.post('/_sim/faults', async (req) => {
    const body = parse(faultsBody, req.body);
    if (body.reset) ctx.faults.reset();
    const { faults } = ctx;
    if (body.latencyMs !== undefined) faults.latencyMs = body.latencyMs;
    if (body.fail5xxRate !== undefined) faults.fail5xxRate = body.fail5xxRate;
    if (body.fail5xxNext !== undefined) faults.fail5xxNext = body.fail5xxNext;
    if (body.timeoutNext !== undefined) faults.timeoutNext = body.timeoutNext;
    if (body.truncateNext !== undefined) faults.truncateNext = body.truncateNext;
    if (body.rateLimitNext !== undefined) faults.rateLimitNext = body.rateLimitNext;
    if (body.appUpdateNext !== undefined) faults.appUpdateNext = body.appUpdateNext;
    if (body.malformedNext !== undefined) faults.malformedNext = body.malformedNext;
    if (body.malformedType !== undefined) faults.malformedType = body.malformedType;
    if (body.expireTokensNow) faults.expireTokensNow();
    const out: Record<string, unknown> = {};
    if (body.changeDocuments) {
      const { user, type, n } = body.changeDocuments;
      requireUser(user);
      out.changed = actions.changeDocuments(user, type, n);
    }
    if (body.deleteDocuments) {
      const { user, type, n } = body.deleteDocuments;
      requireUser(user);
      out.deleted = actions.deleteDocuments(user, type, n);
    }
    return { faults: faults.toJSON(), ...out };
  });

  app.get('/_sim/stats', async () => ctx.stats.toJSON());
  app.delete('/_sim/stats', async () => {
    ctx.stats.reset();
    return ctx.stats.toJSON();
  });

  app.post('/_sim/webhooks/deliver', async (req) => {
    const event = parse(eventBody, req.body);
    requireUser(event.user);
    return { deliveries: await ctx.webhooks.deliver(event) };
  });

  app.post('/_sim/tokens', async (req) => {
    const body = parse(tokenBody, req.body);
    requireUser(body.user);
    return actions.issueTokens(body.user, body.scopes);
  });

  // The effects planted in a user's data, for tests and benchmarks that score the insights.
  app.get<{ Params: { name: string } }>('/_sim/users/:name/truth', async (req) => {
    const user = ctx.users.get(req.params.name);
    if (!user) throw badRequest(`Unknown simulated user: ${req.params.name}`);
    return user.data.truth();
  });

  app.post<{ Params: { name: string } }>('/_sim/users/:name/revoke', async (req) => {
    requireUser(req.params.name);
    actions.revokeUser(req.params.name);
    return { revoked: req.params.name };
  });
}
