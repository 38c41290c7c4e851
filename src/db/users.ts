import { sql } from 'kysely';
import type { Db } from './database.ts';

/** Names are unique regardless of case: every lookup compares lower(name). */
export const nameKey = sql<string>`lower(name)`;

export interface User {
  id: number;
  name: string;
  createdAt: Date;
}

const toUser = (r: { id: number; name: string; created_at: Date }): User => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
});

/**
 * The user called `name` (in any case), created on first use (safe when two processes race:
 * lower(name) is unique).
 */
export async function getOrCreateUser(db: Db, name: string): Promise<User> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('user name must not be empty');
  const inserted = await db
    .insertInto('app_user')
    .values({ name: trimmed })
    .onConflict((oc) => oc.expression(nameKey).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return toUser(inserted);
  const existing = await findUserByName(db, trimmed);
  if (!existing) throw new Error(`user '${trimmed}' vanished while being created`);
  return existing;
}

export async function findUserByName(db: Db, name: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('app_user')
    .selectAll()
    .where(nameKey, '=', name.trim().toLowerCase())
    .executeTakeFirst();
  return row ? toUser(row) : undefined;
}

export async function findUserById(db: Db, id: number): Promise<User | undefined> {
  const row = await db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : undefined;
}

export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.selectFrom('app_user').selectAll().orderBy('id').execute();
  return rows.map(toUser);
}
