import type { FastifyRequest } from 'fastify';
import { requireAuth } from './auth/session.ts';

/**
 * The user a request acts for: the one logged in with the session cookie. Routes never take a
 * user from a parameter, and every query they run is filtered by this id.
 */
export function createUserResolver() {
  return {
    find(request: FastifyRequest): { id: number; name: string } | null {
      return request.auth ? { id: request.auth.userId, name: request.auth.name } : null;
    },
    require(request: FastifyRequest): { id: number; name: string } {
      const auth = requireAuth(request);
      return { id: auth.userId, name: auth.name };
    },
  };
}

export type UserResolver = ReturnType<typeof createUserResolver>;
