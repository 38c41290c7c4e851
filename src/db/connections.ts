import type { Selectable } from 'kysely';
import type { Db } from './database.ts';
import type { OuraConnectionTable } from './schema.ts';

/**
 * The stored Oura grant of each user (table oura_connection). Token columns hold AES-256-GCM
 * envelopes (crypto/tokenCipher.ts), never plaintext; these functions do not decrypt.
 */

export type ConnectionStatus = 'active' | 'reconnect_needed';

export interface Connection {
  userId: number;
  ouraUserId: string | null;
  /** Empty string once the grant died (reconnect_needed): the column is NOT NULL. */
  accessTokenEnc: string;
  refreshTokenEnc: string | null;
  accessExpiresAt: Date;
  scopes: string[];
  status: ConnectionStatus | (string & {});
  tokenVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

const toConnection = (r: Selectable<OuraConnectionTable>): Connection => ({
  userId: r.user_id,
  ouraUserId: r.oura_user_id,
  accessTokenEnc: r.access_token_enc,
  refreshTokenEnc: r.refresh_token_enc,
  accessExpiresAt: r.access_expires_at,
  scopes: r.scopes,
  status: r.status,
  tokenVersion: r.token_version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface SaveConnectionArgs {
  userId: number;
  ouraUserId: string | null;
  accessTokenEnc: string;
  refreshTokenEnc: string | null;
  accessExpiresAt: Date;
  scopes: readonly string[];
}

/**
 * Store a new grant (after `snowtorch connect`), replacing any previous one of the user. The
 * version is bumped so a process holding the old tokens notices they changed.
 */
export async function saveConnection(db: Db, args: SaveConnectionArgs): Promise<Connection> {
  const now = new Date();
  const row = await db
    .insertInto('oura_connection')
    .values({
      user_id: args.userId,
      oura_user_id: args.ouraUserId,
      access_token_enc: args.accessTokenEnc,
      refresh_token_enc: args.refreshTokenEnc,
      access_expires_at: args.accessExpiresAt,
      scopes: [...args.scopes],
      status: 'active',
      token_version: 1,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet((eb) => ({
        oura_user_id: eb.ref('excluded.oura_user_id'),
        access_token_enc: eb.ref('excluded.access_token_enc'),
        refresh_token_enc: eb.ref('excluded.refresh_token_enc'),
        access_expires_at: eb.ref('excluded.access_expires_at'),
        scopes: eb.ref('excluded.scopes'),
        status: 'active',
        token_version: eb(eb.ref('oura_connection.token_version'), '+', 1),
        updated_at: now,
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toConnection(row);
}

export async function getConnection(db: Db, userId: number): Promise<Connection | undefined> {
  const row = await db
    .selectFrom('oura_connection')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? toConnection(row) : undefined;
}

/**
 * The row, locked until the transaction `trx` ends (`SELECT ... FOR UPDATE`): how token refreshes
 * are serialised across processes. Must be called inside a transaction.
 */
export async function lockConnection(trx: Db, userId: number): Promise<Connection | undefined> {
  const row = await trx
    .selectFrom('oura_connection')
    .selectAll()
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  return row ? toConnection(row) : undefined;
}

/** Webhook events name the Oura user (`personal_info.id`), not ours. */
export async function findConnectionByOuraUserId(
  db: Db,
  ouraUserId: string,
): Promise<Connection | undefined> {
  const row = await db
    .selectFrom('oura_connection')
    .selectAll()
    .where('oura_user_id', '=', ouraUserId)
    .executeTakeFirst();
  return row ? toConnection(row) : undefined;
}

export async function listConnections(db: Db): Promise<Connection[]> {
  const rows = await db.selectFrom('oura_connection').selectAll().orderBy('user_id').execute();
  return rows.map(toConnection);
}

/**
 * Persist refreshed tokens and bump `token_version`. Call inside the transaction that locked the
 * row: the single-use refresh token that was just spent is replaced atomically.
 */
export async function updateConnectionTokens(
  db: Db,
  args: {
    userId: number;
    accessTokenEnc: string;
    refreshTokenEnc: string | null;
    accessExpiresAt: Date;
    /** Only when the token response named them; otherwise the stored scopes stay. */
    scopes?: readonly string[] | null;
  },
): Promise<Connection> {
  const row = await db
    .updateTable('oura_connection')
    .set((eb) => ({
      access_token_enc: args.accessTokenEnc,
      refresh_token_enc: args.refreshTokenEnc,
      access_expires_at: args.accessExpiresAt,
      ...(args.scopes ? { scopes: [...args.scopes] } : {}),
      status: 'active',
      token_version: eb(eb.ref('token_version'), '+', 1),
      updated_at: new Date(),
    }))
    .where('user_id', '=', args.userId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toConnection(row);
}

/**
 * The grant is dead (`invalid_grant`): the user must connect again. Only now are the stored
 * credentials cleared; a transient failure never does this.
 */
export async function markReconnectNeeded(db: Db, userId: number): Promise<void> {
  await db
    .updateTable('oura_connection')
    .set((eb) => ({
      status: 'reconnect_needed',
      access_token_enc: '',
      refresh_token_enc: null,
      token_version: eb(eb.ref('token_version'), '+', 1),
      updated_at: new Date(),
    }))
    .where('user_id', '=', userId)
    .execute();
}

/** Forget the grant (after revoking it upstream). */
export async function deleteConnection(db: Db, userId: number): Promise<boolean> {
  const res = await db
    .deleteFrom('oura_connection')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return res.numDeletedRows > 0n;
}
