import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../oura/routes.ts';
import { registerRoute } from './collections.ts';
import type { SimContext } from './context.ts';

/**
 * `/v2/sandbox/usercollection/*`: fixed fake data "that you can access without an Oura account"
 * (spec "Sandbox Routes"). Every list route except personal_info and every single-document route
 * is mirrored (18 + 16 paths); `fields` and `latest` are not accepted there.
 */
export function registerSandboxRoutes(app: FastifyInstance, ctx: SimContext): void {
  for (const route of Object.values(ROUTES)) registerRoute(app, ctx, route, 'sandbox');
}
