import pino, { type Logger } from 'pino';
import type { Config } from '../config/env.ts';

/**
 * Logs on stderr, so stdout stays the display (or JSON). Only errors unless LOG_LEVEL asks for
 * more: retries and per-type failures already show in the progress display and the summary.
 */
export function cliLogger(
  config: Pick<Config, 'logLevel'>,
  env: NodeJS.ProcessEnv = process.env,
): Logger {
  const level = env.LOG_LEVEL?.trim() ? config.logLevel : 'error';
  return pino(
    {
      level,
      redact: { paths: ['*.access_token', '*.refresh_token'], censor: '[redacted]' },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}
