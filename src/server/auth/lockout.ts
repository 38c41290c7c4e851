import type { Db } from '../../db/database.ts';
import { recentLoginFailures } from '../../db/loginFailures.ts';
import { ApiError } from '../errors.ts';

export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;

export class LockedOutError extends ApiError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(
      429,
      'account_locked',
      `Too many failed logins for this account. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask the owner to reset your password.`,
      { retryAfterSeconds },
    );
    this.name = 'LockedOutError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Throws LockedOutError while the account has had too many failures in the window. */
export async function checkLockout(db: Db, account: string): Promise<void> {
  const since = new Date(Date.now() - LOCKOUT_WINDOW_MS);
  const { count, oldest } = await recentLoginFailures(db, account, since);
  if (count < LOCKOUT_FAILURES || !oldest) return;
  const until = oldest.getTime() + LOCKOUT_WINDOW_MS;
  throw new LockedOutError(Math.max(1, Math.ceil((until - Date.now()) / 1000)));
}
