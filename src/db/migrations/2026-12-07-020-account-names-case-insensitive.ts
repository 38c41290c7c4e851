import { type Kysely, sql } from 'kysely';

/**
 * Account names are unique regardless of case (`OWNER` beside `owner` let one person pass for
 * another). Expand-then-contract: this adds a unique index on lower(name) beside the existing
 * unique(name), so code of the previous release keeps working against it (its exact-name
 * lookups still find exact names); dropping unique(name) is left to a later release once no
 * such code runs. Names that already clash by case keep the oldest account's spelling; the
 * others become `<name>-<id>` and the rename is written to the audit log, where the owner sees it.
 * No app code is imported here.
 */
const UP = [
  `INSERT INTO audit_log (event, actor_id, actor_name, subject, details)
    SELECT 'account_renamed', u.id, u.name, u.name || '-' || u.id,
      jsonb_build_object('reason', 'name differs only in case from an older account')
    FROM app_user u
    WHERE EXISTS (SELECT 1 FROM app_user o WHERE lower(o.name) = lower(u.name) AND o.id < u.id)`,
  `UPDATE app_user u SET name = u.name || '-' || u.id
    WHERE EXISTS (SELECT 1 FROM app_user o WHERE lower(o.name) = lower(u.name) AND o.id < u.id)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS app_user_name_lower_idx ON app_user (lower(name))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Renamed accounts keep their new names: guessing which spelling was whose is worse.
  await sql.raw('DROP INDEX IF EXISTS app_user_name_lower_idx').execute(db);
}
