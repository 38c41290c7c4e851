import { type Kysely, sql } from 'kysely';

/**
 * Per-user settings of the insights: a sleep need that replaces the one estimated from history,
 * and which weekdays are work days (for social jetlag and the chronotype). A missing row means
 * the defaults (estimated need, Monday to Friday). Additive only.
 */
const UP = [
  `CREATE TABLE insight_settings (
    user_id integer PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
    sleep_need_minutes integer CHECK (sleep_need_minutes BETWEEN 240 AND 720),
    work_days smallint[] NOT NULL DEFAULT '{1,2,3,4,5}',
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE insight_settings').execute(db);
}
