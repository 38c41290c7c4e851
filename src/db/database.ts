import { readFileSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config/env.ts';
import { startEmbeddedServer } from './embedded/server.ts';
import type { Database } from './schema.ts';

/** The one seam to PostgreSQL: every repository function takes a `Db` (or a transaction). */
export type Db = Kysely<Database>;

export interface OpenDatabase {
  readonly db: Db;
  /** 'embedded': the server Snowtorch runs in its data directory; 'postgres': one configured. */
  readonly kind: DatabaseConfig['kind'];
  /** The pool behind `db` (for COPY in bulk loads). */
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

// Type OIDs whose default parsing does not suit us.
const OID_INT8 = 20;
const OID_NUMERIC = 1700;
const OID_DATE = 1082;

/** `date` stays a 'YYYY-MM-DD' string: a sleep day is a calendar day, never an instant. */
const identity = (v: string) => v;
const toNumber = (v: string) => Number(v);

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === OID_INT8 || oid === OID_NUMERIC) return toNumber;
    if (oid === OID_DATE) return identity;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

export interface OpenOptions {
  /** Pool size (default 10; 5 on the embedded server). */
  poolSize?: number;
  /**
   * Every statement on this pool is cancelled after this many ms (SQLSTATE 57014). `serve` gives
   * the dashboard its own pool with the request budget, so a slow query stops when its request
   * gives up.
   */
  statementTimeoutMs?: number;
}

/**
 * Each connection is a server process of a few MB on the embedded server, which shares a small
 * machine with `serve`: five cover a household's dashboard (a night view sends six statements at
 * once) plus a sync.
 */
const EMBEDDED_POOL_SIZE = 5;

/**
 * Connect to the configured PostgreSQL. For the embedded one, the server in the data directory
 * is started first unless another Snowtorch process already runs it.
 */
export async function openDatabase(
  config: DatabaseConfig,
  options: OpenOptions = {},
): Promise<OpenDatabase> {
  const max = options.poolSize ?? (config.kind === 'embedded' ? EMBEDDED_POOL_SIZE : 10);
  const poolConfig: pg.PoolConfig =
    config.kind === 'embedded'
      ? {
          ...(await startEmbeddedServer(config.dataDir)),
          max,
          types,
          ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
        }
      : {
          connectionString: config.connectionString,
          max,
          types,
          ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
          ssl:
            config.ssl === false
              ? false
              : {
                  rejectUnauthorized: config.ssl.rejectUnauthorized,
                  ...(config.ssl.caFile ? { ca: readFileSync(config.ssl.caFile, 'utf8') } : {}),
                },
        };
  const pool = new pg.Pool(poolConfig);
  // A connection's network error (server restart, failover, pg_terminate_backend,
  // idle_session_timeout) must never crash the process: an idle client's reaches the pool, a
  // checked-out client's (a transaction, the sync lock's session) reaches its own listener. The
  // query in flight, or the next one on that client, fails with the error; the pool then drops
  // the client and opens a new connection for later queries.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: config.kind,
    pool,
    async close() {
      await db.destroy();
    },
  };
}
