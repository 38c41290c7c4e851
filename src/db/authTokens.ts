import type { Db } from './database.ts';

/** One-time tokens, stored as sha256: login links, invites, OAuth `state`. */

export type TokenPurpose = 'login' | 'invite' | 'oauth_state';

export async function createAuthToken(
  db: Db,
  args: {
    tokenHash: string;
    purpose: TokenPurpose;
    userId?: number | null;
    sessionHash?: string | null;
    createdBy?: number | null;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('auth_token')
    .values({
      token_hash: args.tokenHash,
      purpose: args.purpose,
      user_id: args.userId ?? null,
      session_hash: args.sessionHash ?? null,
      created_by: args.createdBy ?? null,
      expires_at: args.expiresAt,
    })
    .execute();
}

export interface UsedToken {
  userId: number | null;
  sessionHash: string | null;
  createdBy: number | null;
}

/**
 * Marks the token used and returns it, in one statement: two requests racing with the same
 * token cannot both win. Unknown, expired, used or other-purpose tokens give undefined.
 */
export async function consumeAuthToken(
  db: Db,
  tokenHash: string,
  purpose: TokenPurpose,
): Promise<UsedToken | undefined> {
  const row = await db
    .updateTable('auth_token')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning(['user_id', 'session_hash', 'created_by'])
    .executeTakeFirst();
  return row
    ? { userId: row.user_id, sessionHash: row.session_hash, createdBy: row.created_by }
    : undefined;
}

/** Whether an invite can still be used (for the page that asks for name and password). */
export async function isTokenUsable(
  db: Db,
  tokenHash: string,
  purpose: TokenPurpose,
): Promise<boolean> {
  const row = await db
    .selectFrom('auth_token')
    .select('token_hash')
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return row !== undefined;
}

export async function listOpenInvites(
  db: Db,
): Promise<{ createdAt: Date; expiresAt: Date; tokenHash: string }[]> {
  const rows = await db
    .selectFrom('auth_token')
    .select(['created_at', 'expires_at', 'token_hash'])
    .where('purpose', '=', 'invite')
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    tokenHash: r.token_hash,
  }));
}
