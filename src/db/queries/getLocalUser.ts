import type { Db } from '../database.ts';
import { nameKey } from '../users.ts';

export interface LocalUser {
  id: number;
  name: string;
}

/** The one user the dashboard serves: the named one, or the first user created. */
export async function getLocalUser(db: Db, name?: string): Promise<LocalUser | null> {
  let query = db.selectFrom('app_user').select(['id', 'name']);
  query = name
    ? query.where(nameKey, '=', name.trim().toLowerCase())
    : query.orderBy('id').limit(1);
  const row = await query.executeTakeFirst();
  return row ?? null;
}
