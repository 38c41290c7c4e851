import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/env.ts';

/** Query parameters that carry secrets: OAuth code and state, one-time login tokens. */
const SECRET_PARAMS = /([?&](?:code|state|token|access_token|refresh_token)=)[^&#]*/gi;

/** A request URL fit for the log (secrets in the query replaced, invite tokens in the path). */
export function redactUrl(url: string): string {
  return url
    .replace(SECRET_PARAMS, '$1[redacted]')
    .replace(/^\/invite\/[^/?#]+/, '/invite/[redacted]');
}

/** Structured JSON logs; credentials are redacted wherever they might appear. */
export function createLogger(
  config: Pick<Config, 'logLevel'>,
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    serializers: {
      // Fastify's request serializer, minus secrets in the URL.
      req: (req: { method?: string; url?: string; host?: string; ip?: string }) => ({
        method: req.method,
        url: redactUrl(req.url ?? ''),
        host: req.host,
        remoteAddress: req.ip,
      }),
    },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-client-secret"]',
        '*.access_token',
        '*.refresh_token',
        '*.client_secret',
        '*.password',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
