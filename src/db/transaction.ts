import type { Db } from './database.ts';

/** Run `fn` in a transaction, joining the caller's if `db` already is one. */
export async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}
