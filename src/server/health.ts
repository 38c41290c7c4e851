import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppDeps } from './app.ts';

/** `/healthz`: the process is alive. `/readyz`: the database answers and is fully migrated. */
export async function registerHealthRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.db);
      const { pendingMigrations } = await import('../db/migrate.ts');
      const pending = await pendingMigrations(deps.db);
      if (pending.length > 0) {
        return reply.code(503).send({ status: 'migrating', pending });
      }
      return { status: 'ready' };
    } catch (error) {
      deps.logger?.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
}
