import type { FaultState } from './faults.ts';
import type { RateLimiter } from './rateLimit.ts';
import type { SimStats } from './stats.ts';
import type { SimUser } from './store.ts';
import type { TokenStore } from './tokens.ts';
import type { WebhookHub } from './webhooks.ts';

export interface SimConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly autoApprove: boolean;
  /** Documents per page on document routes (Oura: 100 by observation). */
  readonly pageSize: number;
  /** Rows per page on time-series routes. */
  readonly timeSeriesPageSize: number;
  /** Last day of generated data ('YYYY-MM-DD'); "today" is never earlier than this. */
  readonly datasetEndDay: string;
}

/** Everything the route handlers share. */
export interface SimContext {
  readonly config: SimConfig;
  /** Users by name, in dataset order. */
  readonly users: ReadonlyMap<string, SimUser>;
  /** The fixed account behind `/v2/sandbox/*`, generated on first use. */
  sandboxUser(): Promise<SimUser>;
  readonly tokens: TokenStore;
  readonly faults: FaultState;
  readonly stats: SimStats;
  readonly limiter: RateLimiter;
  readonly webhooks: WebhookHub;
}
