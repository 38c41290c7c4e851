import type { Db } from './database.ts';

/** Failed logins per account name, for lockout (counted whether or not the account exists). */

export async function recordLoginFailure(
  db: Db,
  account: string,
  ip: string | null,
): Promise<void> {
  await db
    .insertInto('login_failure')
    .values({ account: account.trim().toLowerCase(), ip })
    .execute();
}

/** Failures in the window and the oldest one's time (the lock ends when it leaves the window). */
export async function recentLoginFailures(
  db: Db,
  account: string,
  since: Date,
): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('login_failure')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('at').as('oldest')])
    .where('account', '=', account.trim().toLowerCase())
    .where('at', '>', since)
    .executeTakeFirst();
  return { count: Number(row?.count ?? 0), oldest: row?.oldest ? new Date(row.oldest) : null };
}

export async function clearLoginFailures(db: Db, account: string): Promise<void> {
  await db
    .deleteFrom('login_failure')
    .where('account', '=', account.trim().toLowerCase())
    .execute();
}
