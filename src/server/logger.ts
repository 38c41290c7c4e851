import pino, { type Logger } from 'pino';
import type { Config } from '../config/env.ts';

/** Structured JSON logs; credentials are redacted wherever they might appear. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-client-secret"]',
        '*.access_token',
        '*.refresh_token',
        '*.client_secret',
        '*.password',
      ],
      censor: '[redacted]',
    },
  });
}
