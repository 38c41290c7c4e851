import { type Kysely, sql } from 'kysely';

/**
 * Every jsonb column of a table is compressed with lz4 instead of pglz where the server has lz4
 * (PostgreSQL 14+ built with it: Debian's and the managed services' are; the embedded binaries
 * are not, and keep pglz). A raw document or a day of samples is TOASTed on every write, and
 * lz4 compresses several times faster than pglz at a similar size. Existing values are left as
 * they are (both methods read back); only new values use lz4. No data changes.
 */
const forEachJsonbColumn = (compression: 'lz4' | 'default') => `DO $$
DECLARE c record;
BEGIN
  FOR c IN
    SELECT col.table_name, col.column_name
    FROM information_schema.columns col
    JOIN information_schema.tables t
      ON t.table_schema = col.table_schema AND t.table_name = col.table_name
    WHERE col.table_schema = current_schema() AND col.data_type = 'jsonb'
      AND t.table_type = 'BASE TABLE'
  LOOP
    EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET COMPRESSION ${compression}',
      c.table_name, c.column_name);
  END LOOP;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'this server has no lz4: jsonb columns keep pglz';
END $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(forEachJsonbColumn('lz4')).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(forEachJsonbColumn('default')).execute(db);
}
