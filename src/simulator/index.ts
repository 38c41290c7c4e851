import { OURA_SCOPES, ROUTES } from '../oura/routes.ts';
import type { DatasetOptions, DocumentDataType, SimUserData } from './data/index.ts';
import { buildSimulatorApp } from './server/app.ts';
import type { SimContext } from './server/context.ts';
import { utcDay } from './server/dates.ts';
import { type FaultControls, FaultState } from './server/faults.ts';
import { reviseDocument } from './server/mutate.ts';
import { RateLimiter, type RateLimitSettings } from './server/rateLimit.ts';
import { SimStats } from './server/stats.ts';
import { SimUser } from './server/store.ts';
import { type IssuedTokens, TokenStore } from './server/tokens.ts';
import { type WebhookDelivery, type WebhookEvent, WebhookHub } from './server/webhooks.ts';

export type { FaultControls } from './server/faults.ts';
export type { RateLimitSettings } from './server/rateLimit.ts';
export type { SimStats } from './server/stats.ts';
export type { IssuedTokens } from './server/tokens.ts';
export type { WebhookDelivery, WebhookEvent } from './server/webhooks.ts';

export interface SimulatorOptions extends DatasetOptions {
  /** Interface to bind; default 127.0.0.1 (never anything wider unless asked). */
  host?: string;
  /** 0 = a random free port. */
  port?: number;
  /** Delay added to every API response, in ms (the `latencyMs` fault starts here). */
  latencyMs?: number;
  /** Skip the consent page: `/oauth/authorize` redirects with a code at once. */
  autoApprove?: boolean;
  /** Default 'snowtorch-dev'. */
  clientId?: string;
  /** Default 'snowtorch-dev-secret'. */
  clientSecret?: string;
  /** Default 86400 (the `expires_in` Oura is seen to send). */
  accessTokenTtlSeconds?: number;
  /** Documents per page on document routes; default 100. */
  pageSize?: number;
  /** Per-access-token limit; default 5000 per 300 s (spec FAQ). */
  rateLimit?: RateLimitSettings;
  /** Per-application limit across all tokens; default 10x the per-token limit. */
  appRateLimit?: RateLimitSettings;
  /** Rows per page on time-series routes; default 10000. */
  timeSeriesPageSize?: number;
  /** Authorization code lifetime; default 600 (spec: codes are valid for 10 minutes). */
  authCodeTtlSeconds?: number;
  /** Webhook subscription lifetime from create/renew; default 30 days. */
  webhookTtlSeconds?: number;
  /** First webhook retry delay, doubling per retry (10 retries); default 15000. */
  webhookRetryDelayMs?: number;
  /** Serve these users instead of generating them from seed/users/days. */
  dataset?: SimUserData[];
}

export interface Simulator {
  url: string;
  users: SimUserData[];
  faults: FaultControls;
  stats: SimStats;
  close(): Promise<void>;
  /** Test helper: issue tokens for a user without the browser step (still via the real token store). */
  issueTokens(userName: string, scopes?: string[]): IssuedTokens;
  revokeUser(userName: string): void;
  /** POST a signed webhook event to every matching subscription; resolves after first attempts. */
  deliverEvent(event: WebhookEvent): Promise<WebhookDelivery[]>;
  /** Resolves when no webhook verification or delivery is in flight. */
  webhooksIdle(): Promise<void>;
}

const SANDBOX_SEED = 20_250_101;
/** Two years, so even the rare types (tag, rest_mode_period) have sandbox documents. */
const SANDBOX_DAYS = 730;

/** Start the Oura simulator (dataset, OAuth, API, webhooks, faults) on 127.0.0.1. */
export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const datasetEndDay = opts.endDate ?? utcDay(Date.now());
  // The generator is loaded on demand: a caller passing `dataset` never pays for it.
  const generate = async (o: DatasetOptions) =>
    (await import('./data/index.ts')).generateDataset(o);
  const data =
    opts.dataset ??
    (await generate({
      seed: opts.seed,
      users: opts.users,
      days: opts.days,
      endDate: datasetEndDay,
    }));
  const users = new Map(data.map((d) => [d.name, new SimUser(d)]));
  let sandbox: Promise<SimUser> | undefined;
  const sandboxUser = () => {
    sandbox ??= generate({
      seed: SANDBOX_SEED,
      users: 1,
      days: SANDBOX_DAYS,
      endDate: datasetEndDay,
    }).then((d) => {
      const first = d[0];
      if (first === undefined) throw new Error('sandbox dataset is empty');
      return new SimUser(first);
    });
    sandbox.catch(() => {
      sandbox = undefined;
    });
    return sandbox;
  };

  const clientId = opts.clientId ?? 'snowtorch-dev';
  const clientSecret = opts.clientSecret ?? 'snowtorch-dev-secret';
  const perToken = opts.rateLimit ?? { limit: 5000, windowSeconds: 300 };
  const stats = new SimStats();
  const tokens = new TokenStore({
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 86_400,
    authCodeTtlSeconds: opts.authCodeTtlSeconds ?? 600,
  });
  const webhooks = new WebhookHub({
    clientSecret,
    ttlSeconds: opts.webhookTtlSeconds ?? 30 * 86_400,
    retryBaseMs: opts.webhookRetryDelayMs ?? 15_000,
    stats,
    userIdOf: (name) => users.get(name)?.userId,
  });

  const userNamed = (name: string): SimUser => {
    const user = users.get(name);
    if (user === undefined) throw new Error(`Unknown simulated user: ${name}`);
    return user;
  };
  /** Changes announce themselves the way Oura does: one webhook event per document. */
  const announce = (
    user: string,
    type: DocumentDataType,
    ids: string[],
    eventType: 'update' | 'delete',
  ) => {
    const event = { dataType: type, eventType };
    if (!ROUTES[type].webhook || !webhooks.hasSubscribers(event)) return;
    for (const objectId of ids) {
      webhooks.deliver({ ...event, user, objectId }).catch(() => {});
    }
  };
  const actions = {
    expireTokensNow: () => tokens.expireAccessTokensNow(),
    changeDocuments(name: string, type: DocumentDataType, n: number): string[] {
      const index = userNamed(name).index(type);
      const ids = index.latestIds(n);
      for (const id of ids) {
        const doc = index.get(id);
        if (doc !== undefined) index.replace(id, reviseDocument(doc));
      }
      announce(name, type, ids, 'update');
      return ids;
    },
    deleteDocuments(name: string, type: DocumentDataType, n: number): string[] {
      const index = userNamed(name).index(type);
      const ids = index.latestIds(n);
      for (const id of ids) index.remove(id);
      announce(name, type, ids, 'delete');
      return ids;
    },
    issueTokens(name: string, scopes: string[] = [...OURA_SCOPES]): IssuedTokens {
      return tokens.issue(userNamed(name).name, clientId, scopes);
    },
    revokeUser(name: string): void {
      tokens.revokeUser(userNamed(name).name);
    },
  };
  const faults = new FaultState(actions, opts.latencyMs ?? 0);

  const ctx: SimContext = {
    config: {
      clientId,
      clientSecret,
      autoApprove: opts.autoApprove ?? false,
      pageSize: opts.pageSize ?? 100,
      timeSeriesPageSize: opts.timeSeriesPageSize ?? 10_000,
      datasetEndDay,
    },
    users,
    sandboxUser,
    tokens,
    faults,
    stats,
    limiter: new RateLimiter(
      perToken,
      opts.appRateLimit ?? { limit: perToken.limit * 10, windowSeconds: perToken.windowSeconds },
    ),
    webhooks,
  };

  const app = await buildSimulatorApp(ctx, actions);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ host, port: opts.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : opts.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    users: data,
    faults,
    stats,
    issueTokens: actions.issueTokens,
    revokeUser: actions.revokeUser,
    deliverEvent: (event) => webhooks.deliver(event),
    webhooksIdle: () => webhooks.idle(),
    async close() {
      webhooks.close();
      await app.close();
    },
  };
}
