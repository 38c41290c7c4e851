import type { Db } from '../../db/database.ts';
import { getOverview, type Overview } from '../../db/queries/getOverview.ts';
import type { UserResolver } from '../currentUser.ts';
import type { SyncRunner } from '../syncJobs.ts';

/** What the API routes share: the database, the served user and the in-process sync runner. */
export interface ApiContext {
  readonly db: Db;
  readonly users: UserResolver;
  readonly sync: SyncRunner;
  /** Today as a UTC day; tests pin it. */
  today(): string;
}

export async function userAndOverview(ctx: ApiContext): Promise<{ user: { id: number; name: string }; overview: Overview }> {
  const user = await ctx.users.require();
  return { user, overview: await getOverview(ctx.db, user.id) };
}

/** A loose object schema for documentation: responses are typed in apiTypes.ts. */
export function jsonResponse(description: string, properties: Record<string, unknown> = {}) {
  return { description, type: 'object', additionalProperties: true, properties } as const;
}

export const errorResponses = {
  400: { $ref: 'ApiError#' },
  404: { $ref: 'ApiError#' },
} as const;
