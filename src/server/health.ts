import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { type MigrationProvider, Migrator } from 'kysely/migration';
import type { Db } from '../db/database.ts';
import { MIGRATIONS } from '../db/migrations/index.ts';
import type { AppDeps } from './deps.ts';

const provider: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) };

/** Names of the known migrations not yet applied to the database. */
async function pendingMigrations(db: Db): Promise<string[]> {
  const infos = await new Migrator({ db, provider }).getMigrations();
  return infos.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** `/healthz`: the process is alive. `/readyz`: the database answers and is fully migrated. */
export async function registerHealthRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.db);
      const pending = await pendingMigrations(deps.db);
      if (pending.length > 0) {
        return reply.code(503).send({ status: 'migrating', pending });
      }
      return { status: 'ready' };
    } catch (error) {
      if (deps.logger) deps.logger.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
}
