import type { Logger } from 'pino';
import { type Config, ConfigError } from '../config/env.ts';
import type { OpenDatabase } from '../db/database.ts';
import { createOuraClient, type OuraClient } from '../oura/client.ts';
import { createDbTokenProvider } from './tokenStore.ts';
import type { SyncContext } from './types.ts';

/** What a sync needs from the configuration, checked before any request is made. */
export function requireSyncConfig(config: Config): {
  secretKey: Buffer;
  clientId: string;
  clientSecret: string;
} {
  const issues: { variable: string; message: string }[] = [];
  if (!config.secretKey) {
    issues.push({
      variable: 'SNOWTORCH_SECRET_KEY',
      message: 'required to decrypt the stored Oura tokens',
    });
  }
  if (!config.oura.clientId) {
    issues.push({ variable: 'OURA_CLIENT_ID', message: 'required to refresh Oura tokens' });
  }
  if (!config.oura.clientSecret) {
    issues.push({ variable: 'OURA_CLIENT_SECRET', message: 'required to refresh Oura tokens' });
  }
  if (!config.secretKey || !config.oura.clientId || !config.oura.clientSecret) {
    throw new ConfigError(issues);
  }
  return {
    secretKey: config.secretKey,
    clientId: config.oura.clientId,
    clientSecret: config.oura.clientSecret,
  };
}

/** The engine's context for a configured deployment: clients use the tokens in the database. */
export function createSyncContext(args: {
  config: Config;
  database: OpenDatabase;
  logger?: Logger;
  /** Client options for tests (e.g. shorter timeouts). */
  clientOptions?: { timeoutMs?: number; maxRetries?: number; retryBaseDelayMs?: number };
}): SyncContext {
  const { config, database, logger } = args;
  const needs = requireSyncConfig(config);
  return {
    db: database.db,
    dbKind: database.kind,
    ...(logger ? { logger } : {}),
    clientFor(userId: number): OuraClient {
      const tokens = createDbTokenProvider(database.db, {
        userId,
        oauth: {
          tokenUrl: config.oura.tokenUrl,
          clientId: needs.clientId,
          clientSecret: needs.clientSecret,
        },
        keys: [needs.secretKey],
        ...(logger ? { logger } : {}),
      });
      return createOuraClient({
        baseUrl: config.oura.apiBaseUrl,
        tokens,
        requestLimit: config.oura.requestsPer5Minutes,
        ...args.clientOptions,
        ...(logger ? { logger } : {}),
      });
    },
  };
}
