import { ConfigError, type ConfigIssue } from './errors.ts';

/**
 * Where the database is, from DATABASE_URL, SQL_* or SNOWTORCH_DATA_DIR. Plain code rather than
 * a zod schema: a command that needs only the database (`snowtorch status`) starts without
 * loading zod (a tenth of its start). loadConfig (env.ts) parses these variables here too.
 */

export type DatabaseConfig =
  /** Snowtorch's own PostgreSQL server in the data directory (src/db/embedded/server.ts). */
  | { readonly kind: 'embedded'; readonly dataDir: string }
  | {
      readonly kind: 'postgres';
      readonly connectionString: string;
      /** TLS settings derived from `sslmode` / `SQL_SSLMODE` and `SQL_CA_FILE`. */
      readonly ssl: false | { readonly rejectUnauthorized: boolean; readonly caFile?: string };
    };

const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** The variables that are set: empty strings mean "unset" (as docker-compose and .env files produce them). */
export function setVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') set[k] = v;
  return set;
}

/** A TCP port, with the messages of the other port variables. */
function portIssue(value: string): string | undefined {
  const n = Number(value);
  if (!Number.isFinite(n)) return 'must be a number';
  if (!Number.isInteger(n)) return 'must be an integer';
  if (n < 1 || n > 65535) return 'must be 1-65535';
  return undefined;
}

export function parseDatabaseEnv(env: Readonly<Record<string, string>>): {
  database: DatabaseConfig;
  dataDir: string;
  issues: ConfigIssue[];
} {
  const issues: ConfigIssue[] = [];
  const get = (k: string) => env[k]?.trim();
  const dataDir = get('SNOWTORCH_DATA_DIR') ?? './data';
  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl && !(/^postgres(ql)?:\/\//.test(databaseUrl) && URL.canParse(databaseUrl))) {
    issues.push({
      variable: 'DATABASE_URL',
      message: 'must be a postgres:// or postgresql:// URL',
    });
  }
  const sqlPort = get('SQL_PORT');
  const sqlPortIssue = sqlPort === undefined ? undefined : portIssue(sqlPort);
  if (sqlPortIssue) issues.push({ variable: 'SQL_PORT', message: sqlPortIssue });
  const sqlSslmode = get('SQL_SSLMODE');
  if (sqlSslmode !== undefined && !SSL_MODES.includes(sqlSslmode)) {
    issues.push({ variable: 'SQL_SSLMODE', message: `must be one of ${SSL_MODES.join(', ')}` });
  }
  if (issues.length) return { database: { kind: 'embedded', dataDir }, dataDir, issues };

  const sqlVars = ['SQL_HOST', 'SQL_USER', 'SQL_DATABASE'] as const;
  const password = env.SQL_PASSWORD;
  const anySql = sqlVars.some((k) => get(k) !== undefined) || password !== undefined;
  if (databaseUrl && anySql) {
    issues.push({
      variable: 'DATABASE_URL',
      message: 'set either DATABASE_URL or the SQL_* variables, not both',
    });
  }
  if (!databaseUrl && !anySql) return { database: { kind: 'embedded', dataDir }, dataDir, issues };

  let connectionString: string;
  let sslmode = sqlSslmode;
  if (databaseUrl) {
    const u = new URL(databaseUrl);
    sslmode = u.searchParams.get('sslmode') ?? sslmode;
    // pg would otherwise interpret sslmode itself; TLS options are passed explicitly below.
    u.searchParams.delete('sslmode');
    u.searchParams.delete('sslrootcert');
    connectionString = u.toString();
  } else {
    for (const k of sqlVars) {
      if (get(k) === undefined)
        issues.push({ variable: k, message: 'required when SQL_* is used' });
    }
    const u = new URL('postgres://localhost');
    u.hostname = get('SQL_HOST') ?? 'localhost';
    u.port = String(sqlPort === undefined ? 5432 : Number(sqlPort));
    u.username = encodeURIComponent(get('SQL_USER') ?? '');
    if (password) u.password = encodeURIComponent(password);
    u.pathname = `/${encodeURIComponent(get('SQL_DATABASE') ?? '')}`;
    connectionString = u.toString();
  }
  if (sslmode && !SSL_MODES.includes(sslmode)) {
    issues.push({ variable: 'DATABASE_URL', message: `unknown sslmode "${sslmode}"` });
  }
  const caFile = get('SQL_CA_FILE');
  const ssl =
    !sslmode || sslmode === 'disable' || sslmode === 'prefer'
      ? false
      : {
          // `require` encrypts without verifying (libpq semantics) unless a CA file is given.
          rejectUnauthorized: sslmode !== 'require' || caFile !== undefined,
          ...(caFile ? { caFile } : {}),
        };
  return { database: { kind: 'postgres', connectionString, ssl }, dataDir, issues };
}

/** The database alone; throws ConfigError naming every bad database variable. */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const { database, issues } = parseDatabaseEnv(setVariables(env));
  if (issues.length) throw new ConfigError(issues);
  return Object.freeze(database);
}
