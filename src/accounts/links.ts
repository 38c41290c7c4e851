import { createAuthToken } from '../db/authTokens.ts';
import type { Db } from '../db/database.ts';
import { hashToken, randomToken } from './secrets.ts';

export const LOGIN_LINK_TTL_MS = 15 * 60_000;
export const INVITE_TTL_MS = 7 * 24 * 3600_000;

/** A single-use login URL for the user (stored hashed; valid 15 minutes). */
export async function createLoginLink(
  db: Db,
  userId: number,
  baseUrl: string,
): Promise<{ url: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + LOGIN_LINK_TTL_MS);
  await createAuthToken(db, { tokenHash: hashToken(token), purpose: 'login', userId, expiresAt });
  return { url: `${baseUrl.replace(/\/+$/, '')}/login/link?token=${token}`, expiresAt };
}

/** A single-use invite URL for a new household member (valid 7 days). */
export async function createInvite(
  db: Db,
  createdBy: number,
  baseUrl: string,
): Promise<{ url: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + INVITE_TTL_MS);
  await createAuthToken(db, {
    tokenHash: hashToken(token),
    purpose: 'invite',
    createdBy,
    expiresAt,
  });
  return { url: `${baseUrl.replace(/\/+$/, '')}/invite/${token}`, expiresAt };
}
