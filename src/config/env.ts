import { isIP } from 'node:net';
import { z } from 'zod';
import { type DatabaseConfig, parseDatabaseEnv, setVariables } from './database.ts';
import { ConfigError } from './errors.ts';

export type { DatabaseConfig } from './database.ts';
export { ConfigError } from './errors.ts';

/**
 * Snowtorch's configuration, parsed once from the environment into a frozen object.
 * Every bad or missing variable is reported at once, by name (see ConfigError).
 */

export interface Config {
  readonly database: DatabaseConfig;
  readonly dataDir: string;
  readonly oura: {
    readonly apiBaseUrl: string;
    readonly authorizeUrl: string;
    readonly tokenUrl: string;
    readonly revokeUrl: string;
    readonly clientId: string | undefined;
    readonly clientSecret: string | undefined;
    /** Requests per five minutes the client allows itself per token (Oura's budget: 5000). */
    readonly requestsPer5Minutes: number;
    /** Where Oura sends the browser back after "Connect Oura" (register it in your Oura app). */
    readonly redirectUri: string;
  };
  /** 32-byte key for AES-256-GCM token encryption, or undefined when not set. */
  readonly secretKey: Buffer | undefined;
  readonly server: { readonly host: string; readonly port: number; readonly allowRemote: boolean };
  /** Live sync: incremental sync every `intervalMinutes` (0: no periodic syncs). */
  readonly sync: { readonly intervalMinutes: number };
  /** Public https URL of this server (webhook callbacks arrive at `<publicUrl>/webhooks/oura`). */
  readonly publicUrl: string | undefined;
  /**
   * Fastify `trustProxy`: the reverse proxies (nginx terminating TLS) whose X-Forwarded-* headers
   * are believed, as a list for proxy-addr ("loopback", addresses, CIDRs), or false. Only a
   * trusted peer's own hop of X-Forwarded-For is taken; a chain the client wrote is not.
   */
  readonly trustProxy: false | string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const url = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
      message: `must be an http(s) URL (${what})`,
    });

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .min(1, 'must be 1-65535')
  .max(65535, 'must be 1-65535');

const envSchema = z.object({
  OURA_API_BASE_URL: url('API base').default('https://api.ouraring.com'),
  OURA_AUTHORIZE_URL: url('authorize endpoint').default(
    'https://cloud.ouraring.com/oauth/authorize',
  ),
  OURA_TOKEN_URL: url('token endpoint').optional(),
  OURA_REVOKE_URL: url('revoke endpoint').optional(),
  OURA_CLIENT_ID: z.string().trim().min(1).optional(),
  OURA_CLIENT_SECRET: z.string().trim().min(1).optional(),
  OURA_REQUESTS_PER_5_MINUTES: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .positive('must be > 0')
    .max(1_000_000, 'must be <= 1000000')
    .default(5000),
  SNOWTORCH_SECRET_KEY: z
    .string()
    .trim()
    .refine((v) => decodeKey(v) !== undefined, {
      message: 'must be 32 bytes as 64 hex characters or base64 (generate: openssl rand -hex 32)',
    })
    .optional(),
  SNOWTORCH_HOST: z.string().trim().min(1).default('127.0.0.1'),
  SNOWTORCH_PORT: port.default(3000),
  SNOWTORCH_ALLOW_REMOTE: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false'),
  SNOWTORCH_SYNC_INTERVAL_MINUTES: z.coerce
    .number({ message: 'must be a number of minutes' })
    .int('must be a whole number of minutes')
    .min(0, 'must be >= 0 (0 disables periodic syncs)')
    .max(10_080, 'must be <= 10080 (one week)')
    .default(60),
  // Oura calls webhooks over https; plain http is accepted only for this machine (the simulator).
  SNOWTORCH_PUBLIC_URL: z
    .string()
    .trim()
    .refine(
      (v) =>
        URL.canParse(v) &&
        (new URL(v).protocol === 'https:' ||
          (new URL(v).protocol === 'http:' &&
            ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(v).hostname))),
      { message: 'must be an https:// URL (http:// only on 127.0.0.1 or localhost)' },
    )
    .optional(),
  OURA_REDIRECT_URI: url('OAuth redirect URI').optional(),
  SNOWTORCH_TRUST_PROXY: z
    .string()
    .trim()
    .refine((v) => v === 'true' || v === 'false' || v.split(',').every(isProxyEntry), {
      message:
        'must be true (a proxy on this machine), false, or comma-separated proxy addresses/CIDRs and "loopback"',
    })
    .default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export function decodeKey(value: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  const b = Buffer.from(value, 'base64');
  return b.length === 32 ? b : undefined;
}

/** One trusted proxy: "loopback", an IP address, or a CIDR block. */
function isProxyEntry(raw: string): boolean {
  const entry = raw.trim();
  if (entry === 'loopback') return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `true` means a proxy on this machine (loopback), never "every hop": trusting every hop would
 * take the client's own X-Forwarded-For, and with it any address an attacker likes (login
 * lockout and rate limits are per address). A proxy elsewhere is named by its address.
 */
function parseTrustProxy(value: string): false | string {
  if (value === 'false') return false;
  if (value === 'true') return 'loopback';
  return value
    .split(',')
    .map((entry) => entry.trim())
    .join(',');
}

/** Parse the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = setVariables(env);
  const db = parseDatabaseEnv(cleaned);
  const parsed = envSchema.safeParse(cleaned);
  const issues = [
    ...db.issues,
    ...(parsed.error?.issues ?? []).map((i) => ({
      variable: String(i.path[0] ?? '(environment)'),
      message: i.message,
    })),
  ];
  if (issues.length || !parsed.success) throw new ConfigError(issues);
  const e = parsed.data;

  const apiBase = e.OURA_API_BASE_URL.replace(/\/+$/, '');
  return Object.freeze({
    database: Object.freeze(db.database),
    dataDir: db.dataDir,
    oura: Object.freeze({
      apiBaseUrl: apiBase,
      authorizeUrl: e.OURA_AUTHORIZE_URL,
      tokenUrl: e.OURA_TOKEN_URL ?? `${apiBase}/oauth/token`,
      revokeUrl: e.OURA_REVOKE_URL ?? `${apiBase}/oauth/revoke`,
      clientId: e.OURA_CLIENT_ID,
      clientSecret: e.OURA_CLIENT_SECRET,
      requestsPer5Minutes: e.OURA_REQUESTS_PER_5_MINUTES,
      redirectUri:
        e.OURA_REDIRECT_URI ??
        `${e.SNOWTORCH_PUBLIC_URL?.replace(/\/+$/, '') ?? `http://${e.SNOWTORCH_HOST.includes(':') ? `[${e.SNOWTORCH_HOST}]` : e.SNOWTORCH_HOST}:${e.SNOWTORCH_PORT}`}/oauth/callback`,
    }),
    secretKey: e.SNOWTORCH_SECRET_KEY ? decodeKey(e.SNOWTORCH_SECRET_KEY) : undefined,
    server: Object.freeze({
      host: e.SNOWTORCH_HOST,
      port: e.SNOWTORCH_PORT,
      allowRemote: e.SNOWTORCH_ALLOW_REMOTE === 'true',
    }),
    sync: Object.freeze({ intervalMinutes: e.SNOWTORCH_SYNC_INTERVAL_MINUTES }),
    publicUrl: e.SNOWTORCH_PUBLIC_URL?.replace(/\/+$/, ''),
    trustProxy: parseTrustProxy(e.SNOWTORCH_TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
  });
}
