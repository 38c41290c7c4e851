import type { FastifyInstance } from 'fastify';
import type { SimContext } from './context.ts';
import { badRequest } from './errors.ts';

/**
 * `GET /_sim/users/:name/truth/tags`: the tag effects planted in a user's data (sizes, the
 * tags with none, and the tagged days), so tests can score the tag experiments against it.
 */
export function registerTagTruthRoute(app: FastifyInstance, ctx: SimContext): void {
  app.get<{ Params: { name: string } }>('/_sim/users/:name/truth/tags', async (req) => {
    const user = ctx.users.get(req.params.name);
    if (!user) throw badRequest(`Unknown simulated user: ${req.params.name}`);
    const truth = user.data.tagTruth?.();
    if (!truth) throw badRequest(`User ${req.params.name} has no planted tag truth`);
    return truth;
  });
}
