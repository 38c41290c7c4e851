import type { Db } from './database.ts';

/** Login sessions. Callers pass the sha256 of the session id: the id itself is never stored. */

export interface SessionRow {
  userId: number;
  userName: string;
  role: string;
  hasPassword: boolean;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
}

export async function createSession(
  db: Db,
  args: { idHash: string; userId: number; csrfToken: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('auth_session')
    .values({
      id_hash: args.idHash,
      user_id: args.userId,
      csrf_token: args.csrfToken,
      expires_at: args.expiresAt,
    })
    .execute();
}

/** The live session with its user, or undefined (unknown or expired). */
export async function findSession(db: Db, idHash: string): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('auth_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select([
      's.user_id',
      'u.name',
      'u.role',
      'u.password_hash',
      's.csrf_token',
      's.expires_at',
      's.last_seen_at',
    ])
    .where('s.id_hash', '=', idHash)
    .where('s.expires_at', '>', new Date())
    .executeTakeFirst();
  return row
    ? {
        userId: row.user_id,
        userName: row.name,
        role: row.role,
        hasPassword: row.password_hash !== null,
        csrfToken: row.csrf_token,
        expiresAt: row.expires_at,
        lastSeenAt: row.last_seen_at,
      }
    : undefined;
}

export async function touchSession(db: Db, idHash: string, expiresAt: Date): Promise<void> {
  await db
    .updateTable('auth_session')
    .set({ last_seen_at: new Date(), expires_at: expiresAt })
    .where('id_hash', '=', idHash)
    .execute();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('auth_session').where('id_hash', '=', idHash).execute();
}

/** After a password change or removal: log the user out everywhere (except `keep`). */
export async function deleteUserSessions(db: Db, userId: number, keep?: string): Promise<void> {
  let q = db.deleteFrom('auth_session').where('user_id', '=', userId);
  if (keep) q = q.where('id_hash', '!=', keep);
  await q.execute();
}

export async function deleteExpiredSessions(db: Db): Promise<void> {
  await db.deleteFrom('auth_session').where('expires_at', '<=', new Date()).execute();
}
