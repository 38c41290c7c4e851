import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../../config/env.ts';
import type { Db } from '../../db/database.ts';
import { getOverview, type Overview } from '../../db/queries/getOverview.ts';
import type { UserResolver } from '../currentUser.ts';
import type { SyncRunner } from '../syncJobs.ts';

/**
 * What the API routes share: the database, the logged-in user (always from the session, never
 * from a parameter) and the in-process sync runner.
 */
export interface ApiContext {
  readonly config: Config;
  readonly db: Db;
  readonly log?: Logger | undefined;
  /** After a connect, disconnect or member removal: forget cached answers. */
  clearCaches(): void;
  readonly users: UserResolver;
  readonly sync: SyncRunner;
  readonly overviews: OverviewCache;
  readonly memo: Memo;
  /** Today as a UTC day; tests pin it. */
  today(): string;
  /** Whether creating the owner needs the setup token (the server listens beyond loopback). */
  readonly setupTokenRequired: boolean;
}

/** How long the stored span (first/last day) is reused; it only moves when a sync stores data. */
const OVERVIEW_TTL_MS = 10_000;

/**
 * Every range query needs the user's stored span; caching it briefly saves a round trip per
 * request. A sync finishing in this process clears it;
 * one in another process (CLI, scheduler) shows within the TTL.
 */
export function createOverviewCache(db: Db) {
  const cache = new Map<number, { at: number; value: Promise<Overview> }>();
  return {
    get(userId: number): Promise<Overview> {
      const hit = cache.get(userId);
      if (hit && Date.now() - hit.at < OVERVIEW_TTL_MS) return hit.value;
      const value = getOverview(db, userId);
      cache.set(userId, { at: Date.now(), value });
      value.catch(() => cache.delete(userId));
      return value;
    },
    clear(): void {
      cache.clear();
    },
  };
}

export type OverviewCache = ReturnType<typeof createOverviewCache>;

export async function userAndOverview(
  ctx: ApiContext,
  request: FastifyRequest,
): Promise<{ user: { id: number; name: string }; overview: Overview }> {
  const user = ctx.users.require(request);
  return { user, overview: await ctx.overviews.get(user.id) };
}

/** A loose object schema for documentation: responses are typed in src/api/types.ts. */
export function jsonResponse(description: string, properties: Record<string, unknown> = {}) {
  return { description, type: 'object', additionalProperties: true, properties } as const;
}

export const errorResponses = {
  400: { $ref: 'ApiError#' },
  404: { $ref: 'ApiError#' },
} as const;

/**
 * Results of expensive reads kept until the data changes (cleared when a sync in this process
 * finishes, bypassed while one runs, at most TTL old for syncs in other processes).
 */
export function createMemo(bypass: () => boolean) {
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  return {
    get<T>(key: string, compute: () => Promise<T>): Promise<T> {
      if (bypass()) return compute();
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < OVERVIEW_TTL_MS) return hit.value as Promise<T>;
      const value = compute();
      cache.set(key, { at: Date.now(), value });
      value.catch(() => cache.delete(key));
      return value;
    },
    clear(): void {
      cache.clear();
    },
  };
}

export type Memo = ReturnType<typeof createMemo>;
