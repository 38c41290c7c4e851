import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { type Config, ConfigError, loadConfig } from '../../config/env.ts';
import { type Db, openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { getOrCreateUser, type User } from '../../db/users.ts';
import { OuraError } from '../../oura/errors.ts';
import { buildAuthorizeUrl, grantsScope } from '../../oura/oauth.ts';
import { OURA_SCOPES } from '../../oura/routes.ts';
import { redeemAuthorizationCode, saveGrant } from '../../sync/grant.ts';
import { parseCommandArgs, UsageError } from '../usage.ts';

const DEFAULT_PORT = 8765;
const DEFAULT_TIMEOUT_MS = 10 * 60_000;

const HELP = `Usage: snowtorch connect --user NAME [--port P] [--scopes a,b,...] [--no-open] [--json]

Connects an Oura account to the Snowtorch user NAME (created if new) with OAuth2: prints the
Oura authorization URL, waits on http://127.0.0.1:P/callback for Oura's redirect, then stores
the tokens encrypted together with the scopes the user actually granted.

  --user NAME     Snowtorch user to connect (required)
  --port P        callback port on 127.0.0.1 (default ${DEFAULT_PORT}); register
                  http://127.0.0.1:P/callback as a redirect URI of your Oura app
  --scopes LIST   scopes to ask for (default: all of ${OURA_SCOPES.join(', ')})
  --no-open       only print the URL, do not try to open a browser
  --json          print the result as JSON

Environment:
  OURA_CLIENT_ID, OURA_CLIENT_SECRET   your Oura API application
  SNOWTORCH_SECRET_KEY                 32-byte key that encrypts stored tokens
  OURA_AUTHORIZE_URL, OURA_TOKEN_URL, OURA_API_BASE_URL   endpoints (default: Oura's)
Gives up after 10 minutes without a redirect (an authorization code lives 10 minutes).`;

export interface ConnectResult {
  user: User;
  ouraUserId: string;
  scopes: string[];
  accessExpiresAt: Date;
}

export interface ConnectUserOptions {
  config: Config;
  db: Db;
  userName: string;
  /** Callback port on 127.0.0.1; 0 picks a free one (default 8765). */
  port?: number;
  /** Scopes to request; omitted: all scopes. */
  scopes?: readonly string[];
  /** Receives the URL to open; may itself follow it (the simulator auto-approves). */
  onAuthorizeUrl: (url: string) => void | Promise<void>;
  timeoutMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
}

export class ConnectError extends Error {
  override name = 'ConnectError';
}

/** The OAuth settings connect needs, or a ConfigError naming every missing variable. */
function requireOAuthConfig(config: Config) {
  const { clientId, clientSecret } = config.oura;
  const missing: { variable: string; message: string }[] = [];
  if (!clientId) missing.push({ variable: 'OURA_CLIENT_ID', message: 'required to connect Oura' });
  if (!clientSecret) {
    missing.push({ variable: 'OURA_CLIENT_SECRET', message: 'required to connect Oura' });
  }
  if (!config.secretKey) {
    missing.push({
      variable: 'SNOWTORCH_SECRET_KEY',
      message: 'required to store Oura tokens encrypted (generate: openssl rand -hex 32)',
    });
  }
  if (!clientId || !clientSecret || !config.secretKey) throw new ConfigError(missing);
  return { clientId, clientSecret, secretKey: config.secretKey };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function reply(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
  res.end(
    `<!doctype html><meta charset="utf-8"><title>Snowtorch: ${escapeHtml(title)}</title>` +
      `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`,
  );
}

/**
 * Run the OAuth2 authorization-code flow for one user: one-shot listener on 127.0.0.1, state
 * check, code exchange, `personal_info` (its `id` maps webhook events to the user), and the
 * encrypted tokens with the granted scopes stored in oura_connection.
 */
export async function connectUser(opts: ConnectUserOptions): Promise<ConnectResult> {
  const oauth = requireOAuthConfig(opts.config);
  const state = randomBytes(24).toString('base64url');
  const log = opts.logger;

  return new Promise<ConnectResult>((resolve, reject) => {
    let redirectUri = '';
    let handling = false;
    let settled = false;
    const server = createServer((req, res) => {
      void handle(req, res);
    });

    const finish = (err: unknown, result?: ConnectResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      server.close();
      server.closeIdleConnections();
      if (result) resolve(result);
      else reject(err);
    };
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(
      () =>
        finish(
          new ConnectError(
            `no authorization arrived within ${Math.round(timeoutMs / 60_000)} minutes; run connect again`,
          ),
        ),
      timeoutMs,
    );
    const onAbort = () => finish(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method !== 'GET' || url.pathname !== '/callback') {
        reply(res, 404, 'Not found', 'This address only receives the Oura redirect at /callback.');
        return;
      }
      // A redirect without our state was not started by this connect (CSRF): refuse it and keep
      // waiting for the real one.
      if (url.searchParams.get('state') !== state) {
        log?.warn('OAuth callback with a wrong or missing state ignored');
        reply(res, 400, 'State mismatch', 'This authorization was not started by this connect.');
        return;
      }
      if (handling) {
        reply(res, 409, 'Already handled', 'This authorization was already received.');
        return;
      }
      handling = true;
      const denied = url.searchParams.get('error');
      const code = url.searchParams.get('code');
      if (denied || !code) {
        const why = denied
          ? `Oura answered "${denied}"${url.searchParams.get('error_description') ? `: ${url.searchParams.get('error_description')}` : ''}`
          : 'the redirect carried no authorization code';
        reply(res, 400, 'Not connected', why);
        finish(new ConnectError(`authorization failed: ${why}`));
        return;
      }
      try {
        const { tokens, ouraUserId } = await redeemAuthorizationCode(
          opts.config,
          { clientId: oauth.clientId, clientSecret: oauth.clientSecret },
          { code, redirectUri },
        );
        // Users can untick scopes [AUTH]; without a `scope` in the answer assume the request.
        const scopes = tokens.scopes ?? [...(opts.scopes ?? OURA_SCOPES)];
        const user = await getOrCreateUser(opts.db, opts.userName);
        await saveGrant(opts.db, oauth.secretKey, { userId: user.id, ouraUserId, tokens, scopes });
        reply(
          res,
          200,
          'Connected',
          `Snowtorch user "${user.name}" is connected to Oura (granted: ${scopes.join(', ') || 'nothing'}). You can close this tab.`,
        );
        finish(undefined, {
          user,
          ouraUserId,
          scopes,
          accessExpiresAt: tokens.expiresAt,
        });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        reply(res, 502, 'Not connected', message);
        finish(err);
      }
    }

    server.on('error', (err) => finish(err));
    server.listen(opts.port ?? DEFAULT_PORT, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      redirectUri = `http://127.0.0.1:${port}/callback`;
      const authorizeUrl = buildAuthorizeUrl({
        authorizeUrl: opts.config.oura.authorizeUrl,
        clientId: oauth.clientId,
        redirectUri,
        state,
        ...(opts.scopes ? { scopes: opts.scopes } : {}),
      });
      Promise.resolve()
        .then(() => opts.onAuthorizeUrl(authorizeUrl))
        .catch((err: unknown) => finish(err));
    });
  });
}

function openBrowser(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser here (server, container): the printed URL is enough.
  }
}

export async function runConnectCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs('connect', argv, {
    user: { type: 'string', short: 'u' },
    port: { type: 'string', short: 'p' },
    scopes: { type: 'string' },
    'no-open': { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const userName = values.user?.trim();
  if (!userName)
    throw new UsageError('connect: --user NAME is required (see snowtorch connect --help)');
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`connect: --port must be 1-65535, got "${values.port}"`);
  }
  const scopes = values.scopes?.split(/[\s,]+/).filter(Boolean);
  if (scopes) {
    const bad = scopes.filter((s) => !/^[A-Za-z0-9_:]+$/.test(s));
    if (bad.length || scopes.length === 0) {
      throw new UsageError(
        `connect: --scopes takes names like ${OURA_SCOPES.join(',')}; got "${values.scopes}"`,
      );
    }
  }

  const config = loadConfig();
  requireOAuthConfig(config);
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const result = await connectUser({
      config,
      db: database.db,
      userName,
      port,
      ...(scopes ? { scopes } : {}),
      onAuthorizeUrl: (url) => {
        process.stdout.write(
          `Open this URL to connect Oura for "${userName}":\n\n  ${url}\n\n` +
            `Waiting for the redirect to http://127.0.0.1:${port}/callback (up to 10 minutes)...\n`,
        );
        if (!values['no-open']) openBrowser(url);
      },
    });
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({
          user: result.user.name,
          userId: result.user.id,
          ouraUserId: result.ouraUserId,
          scopes: result.scopes,
          accessExpiresAt: result.accessExpiresAt.toISOString(),
        })}\n`,
      );
      return;
    }
    const notGranted = OURA_SCOPES.filter((s) => !grantsScope(result.scopes, s));
    process.stdout.write(
      `Connected "${result.user.name}" to Oura user ${result.ouraUserId}.\n` +
        `Granted scopes: ${result.scopes.join(', ') || '(none)'}\n` +
        (notGranted.length
          ? `Not granted: ${notGranted.join(', ')} (their data types will be skipped)\n`
          : '') +
        'Run `snowtorch sync` to fetch the data.\n',
    );
  } catch (err) {
    // Expected failures get a one-line message, not a stack trace.
    if (err instanceof ConnectError || err instanceof OuraError) {
      throw new UsageError(`connect: ${err.message}`);
    }
    throw err;
  } finally {
    await database.close();
  }
}
