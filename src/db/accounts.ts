import { sql } from 'kysely';
import type { Db } from './database.ts';
import { nameKey } from './users.ts';

/** Users with their login data. Password hashes never leave this module except for verifying. */

export type Role = 'owner' | 'member';

export interface Account {
  id: number;
  name: string;
  role: Role;
  hasPassword: boolean;
  createdAt: Date;
}

interface Row {
  id: number;
  name: string;
  role: string;
  password_hash: string | null;
  created_at: Date;
}

const toAccount = (r: Row): Account => ({
  id: r.id,
  name: r.name,
  role: r.role === 'owner' ? 'owner' : 'member',
  hasPassword: r.password_hash !== null,
  createdAt: r.created_at,
});

export async function listAccounts(db: Db): Promise<Account[]> {
  const rows = await db.selectFrom('app_user').selectAll().orderBy('id').execute();
  return rows.map(toAccount);
}

export async function findAccountById(db: Db, id: number): Promise<Account | undefined> {
  const row = await db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

/** The account and its hash, for login only (the name in any case). */
export async function findLogin(
  db: Db,
  name: string,
): Promise<{ account: Account; passwordHash: string | null } | undefined> {
  const row = await db
    .selectFrom('app_user')
    .selectAll()
    .where(nameKey, '=', name.trim().toLowerCase())
    .executeTakeFirst();
  return row ? { account: toAccount(row), passwordHash: row.password_hash } : undefined;
}

export async function hasOwner(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('app_user')
    .select('id')
    .where('role', '=', 'owner')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Make the user the owner when the instance has none yet (the demo's "demo" user owns the demo
 * instance, so nobody is offered to create another owner beside it). Returns whether the user
 * is the owner now. The one-owner index settles a race with a browser setup.
 */
export async function claimOwnerIfNone(db: Db, userId: number): Promise<boolean> {
  try {
    await db
      .updateTable('app_user')
      .set({ role: 'owner' })
      .where('id', '=', userId)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('app_user as o').select('o.id').where('o.role', '=', 'owner'))),
      )
      .execute();
  } catch {
    // Another owner was created at the same moment: this user stays a member.
  }
  const row = await db
    .selectFrom('app_user')
    .select('role')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.role === 'owner';
}

export class AccountExistsError extends Error {
  override name = 'AccountExistsError';
}

/** A new account; an existing one without a password (made by `connect`/`demo`) is claimed. */
export async function createAccount(
  db: Db,
  args: { name: string; passwordHash: string | null; role: Role },
): Promise<Account> {
  const name = args.name.trim();
  const existing = await db
    .selectFrom('app_user')
    .selectAll()
    .where(nameKey, '=', name.toLowerCase())
    .executeTakeFirst();
  if (existing) {
    if (existing.password_hash !== null || (existing.role === 'owner' && args.role !== 'owner')) {
      throw new AccountExistsError(`The name '${name}' is taken.`);
    }
    const row = await db
      .updateTable('app_user')
      .set({ password_hash: args.passwordHash, role: args.role })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAccount(row);
  }
  const row = await db
    .insertInto('app_user')
    .values({ name, password_hash: args.passwordHash, role: args.role })
    .onConflict((oc) => oc.expression(nameKey).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AccountExistsError(`The name '${name}' is taken.`);
  return toAccount(row);
}

export async function setPasswordHash(db: Db, userId: number, passwordHash: string): Promise<void> {
  await db
    .updateTable('app_user')
    .set({ password_hash: passwordHash })
    .where('id', '=', userId)
    .execute();
}

/** Deletes the user; every table of theirs cascades (data, grant, sessions, tokens). */
export async function deleteAccount(db: Db, userId: number): Promise<boolean> {
  const res = await db.deleteFrom('app_user').where('id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Tables holding a user's synced data (not their account, grant, sessions or audit trail). */
const KEEP = new Set(['app_user', 'oura_connection', 'auth_session', 'auth_token']);

/** Deletes every stored Oura document, projection and sync record of the user. */
export async function deleteUserData(db: Db, userId: number): Promise<void> {
  const tables = await sql<{ table_name: string }>`
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables t
      ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.column_name = 'user_id' AND c.table_schema = current_schema()
      AND t.table_type = 'BASE TABLE'
    ORDER BY c.table_name`.execute(db);
  await db.transaction().execute(async (trx) => {
    for (const { table_name } of tables.rows) {
      if (KEEP.has(table_name)) continue;
      await sql`DELETE FROM ${sql.table(table_name)} WHERE user_id = ${userId}`.execute(trx);
    }
  });
}
