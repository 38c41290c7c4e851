import type { Logger } from 'pino';
import type { Config } from '../config/env.ts';
import type { Db } from '../db/database.ts';
import type { SyncContext } from '../sync/types.ts';

/** What the app factory is given; route modules read their part of it. */
export interface AppDeps {
  readonly config: Config;
  readonly db: Db;
  readonly logger?: Logger | false;
  /** Engine context for "Sync now"; without it POST /api/sync answers 503 sync_unavailable. */
  readonly sync?: SyncContext;
  /**
   * Built dashboard to serve: a directory, null for API only. Default: web/dist when it exists
   * (`serveDashboard` builds it first when missing or stale).
   */
  readonly webDir?: string | null;
  /** Today's UTC day (tests pin it). */
  readonly today?: () => string;
  /** Reuse GET answers until the data changes (default true; benchmarks measure both). */
  readonly responseCache?: boolean;
  /** Called when a webhook delivery queued work (wakes the scheduler's worker). */
  readonly onWebhookQueued?: () => void;
  /**
   * The one-time token that creating the owner needs when the server listens beyond loopback
   * (`serve` makes one and prints it). Without one there, setup is refused: the owner is then
   * made with `snowtorch users create NAME --owner`.
   */
  readonly setupToken?: string;
  /** Time budget of each request in ms (default REQUEST_BUDGET_MS; tests shorten it). */
  readonly requestBudgetMs?: number;
}
