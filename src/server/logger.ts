import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/env.ts';

/**
 * Every place a credential travels in a request, in one list. A token-bearing route added
 * anywhere in the app is added here; the log test scans a whole flow for every token it made.
 */
export const SECRETS = {
  /** Paths whose remainder is a token (compared case-insensitively on the decoded path). */
  pathPrefixes: ['/invite/', '/api/invites/'],
  /** Query parameters holding tokens: OAuth code and state, login links, webhook verification. */
  queryParams: [
    'code',
    'state',
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'client_secret',
    'verification_token',
    'setup_token',
  ],
  /** Request and response headers holding credentials. */
  headers: [
    'authorization',
    'cookie',
    'set-cookie',
    'x-csrf-token',
    'x-client-secret',
    'x-oura-signature',
    'x-setup-token',
  ],
  /** Body and object fields, wherever they appear in a logged object. */
  fields: [
    'password',
    'currentPassword',
    'newPassword',
    'setupToken',
    'token',
    'access_token',
    'refresh_token',
    'client_secret',
  ],
} as const;

const REDACTED = '[redacted]';
const QUERY_PARAMS = new Set<string>(SECRETS.queryParams);

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

function redactPath(path: string): string {
  const decoded = (safeDecode(path) ?? path).replace(/\/{2,}/g, '/').toLowerCase();
  for (const prefix of SECRETS.pathPrefixes) {
    if (decoded.startsWith(prefix)) return `${prefix}${REDACTED}`;
  }
  return path;
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const rawKey = eq === -1 ? part : part.slice(0, eq);
      const key = safeDecode(rawKey)?.trim().toLowerCase();
      // A name that does not decode may be hiding one of the list's: its value goes too.
      if (key === undefined || QUERY_PARAMS.has(key)) return `${rawKey}=${REDACTED}`;
      return part;
    })
    .join('&');
}

/** A request URL fit for the log: token paths and token query parameters replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return q === -1 ? redactPath(path) : `${redactPath(path)}?${redactQuery(url.slice(q + 1))}`;
}

/** Structured JSON logs; credentials are redacted wherever they might appear. */
export function createLogger(
  config: Pick<Config, 'logLevel'>,
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    serializers: {
      // Fastify's request serializer, minus secrets in the URL (headers are not logged).
      req: (req: { method?: string; url?: string; host?: string; ip?: string }) => ({
        method: req.method,
        url: redactUrl(req.url ?? ''),
        host: req.host,
        remoteAddress: req.ip,
      }),
    },
    redact: {
      paths: [
        ...SECRETS.headers.flatMap((h) => [`req.headers["${h}"]`, `res.headers["${h}"]`]),
        ...SECRETS.fields.flatMap((f) => [f, `*.${f}`]),
      ],
      censor: REDACTED,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
