import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config/env.ts';
import type { Database } from './schema.ts';

/** The one seam to PostgreSQL: every repository function takes a `Db` (or a transaction). */
export type Db = Kysely<Database>;

export interface OpenDatabase {
  readonly db: Db;
  readonly kind: DatabaseConfig['kind'];
  /** Present for PGlite: the embedded instance (for dumpDataDir in tests, COPY in bulk loads). */
  readonly pglite?: PGlite;
  /** Present for PostgreSQL: the pool (for COPY in bulk loads). */
  readonly pool?: pg.Pool;
  close(): Promise<void>;
}

// Type OIDs whose default parsing does not suit us.
const OID_INT8 = 20;
const OID_NUMERIC = 1700;
const OID_DATE = 1082;

/** `date` stays a 'YYYY-MM-DD' string: a sleep day is a calendar day, never an instant. */
const identity = (v: string) => v;
const toNumber = (v: string) => Number(v);

export interface OpenOptions {
  /** PGlite only: start from a dumped data directory (tests start from a migrated snapshot). */
  loadDataDir?: Blob | File;
  /** PostgreSQL only: pool size (default 10). */
  poolSize?: number;
  /**
   * PostgreSQL only: every statement on this pool is cancelled after this many ms (SQLSTATE
   * 57014). `serve` gives the dashboard its own pool with the request budget, so a slow query
   * stops when its request gives up. PGlite runs in-process, one statement at a time: there the
   * request budget alone applies.
   */
  statementTimeoutMs?: number;
}

export async function openDatabase(
  config: DatabaseConfig,
  options: OpenOptions = {},
): Promise<OpenDatabase> {
  if (config.kind === 'pglite') {
    const inMemory = config.dataDir.startsWith('memory://');
    if (!inMemory) await mkdir(config.dataDir, { recursive: true });
    const pglite = await PGlite.create(inMemory ? undefined : config.dataDir, {
      parsers: { [OID_INT8]: toNumber, [OID_NUMERIC]: toNumber, [OID_DATE]: identity },
      // PGlite's default 128 MB buffer pool is most of its resident memory; one embedded user's
      // working set (a few years of nights) fits in far less.
      postgresqlconf: ['shared_buffers=32MB'],
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
    return {
      db,
      kind: 'pglite',
      pglite,
      async close() {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
      },
    };
  }
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: options.poolSize ?? 10,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    ssl:
      config.ssl === false
        ? false
        : {
            rejectUnauthorized: config.ssl.rejectUnauthorized,
            ...(config.ssl.caFile ? { ca: readFileSync(config.ssl.caFile, 'utf8') } : {}),
          },
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === OID_INT8 || oid === OID_NUMERIC) return toNumber;
        if (oid === OID_DATE) return identity;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
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
    kind: 'postgres',
    pool,
    async close() {
      await db.destroy();
    },
  };
}
