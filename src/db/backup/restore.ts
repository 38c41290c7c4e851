import { sql } from 'kysely';
import type { OpenDatabase } from '../database.ts';
import { migrateTo, migrateToLatest } from '../migrate.ts';
import { MIGRATIONS } from '../migrations/index.ts';
import {
  CANONICAL_SETTINGS,
  type CatalogTable,
  copyOutStatement,
  ident,
  readCatalog,
} from './catalog.ts';
import { withCopySession } from './copySession.ts';
import { BackupError, type BackupManifest, MANIFEST_FILE, parseManifest } from './manifest.ts';
import { digesting, TableDigest } from './tableDigest.ts';
import { openZip, readText } from './zipReader.ts';

export interface RestoreResult {
  manifest: BackupManifest;
  /** Migrations applied after the rows went in (the backup came from an older Snowtorch). */
  upgradedWith: string[];
}

/**
 * Restore a `backupDatabase` archive into an empty database: migrate it to the backup's schema,
 * COPY every table in, check each table's row count and sha256 against the manifest (as read
 * from the archive and again as stored), set the id sequences past the restored ids, and commit
 * only if all of it held. Then migrate to this version's latest schema.
 */
export async function restoreDatabase(open: OpenDatabase, file: string): Promise<RestoreResult> {
  const zip = await openZip(file).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BackupError(`${file} is not a Snowtorch backup (${reason})`);
  });
  try {
    const manifest = parseManifest(await readText(await zip.open(MANIFEST_FILE)));
    if (!Object.hasOwn(MIGRATIONS, manifest.migration)) {
      throw new BackupError(
        `The backup's schema (${manifest.migration}) is newer than this Snowtorch knows: upgrade Snowtorch, then restore`,
      );
    }
    await refuseUnlessEmpty(open, manifest.migration);
    await migrateTo(open.db, manifest.migration);
    await withCopySession(open, 'write', async (session) => {
      for (const s of CANONICAL_SETTINGS) await session.query(s);
      const catalog = new Map((await readCatalog(session)).map((t) => [t.name, t]));
      const targets = manifest.tables.map((t) => {
        const target = catalog.get(t.name);
        if (!target || target.columns.join() !== t.columns.join()) {
          throw new BackupError(
            `Table ${t.name} of the backup does not match schema ${manifest.migration} here`,
          );
        }
        return target;
      });
      for (const t of manifest.tables) {
        const read = new TableDigest();
        await session.copyIn(
          `COPY ${ident(t.name)} (${t.columns.map(ident).join(', ')}) FROM STDIN`,
          digesting(await zip.open(t.file), read),
        );
        if (read.rows !== t.rows || read.hex() !== t.sha256) {
          throw new BackupError(`The archive's copy of ${t.name} is damaged (hash differs)`);
        }
      }
      for (const [i, t] of manifest.tables.entries()) {
        const stored = new TableDigest();
        for await (const chunk of session.copyOut(copyOutStatement(targets[i] as CatalogTable))) {
          stored.update(chunk);
        }
        if (stored.rows !== t.rows || stored.hex() !== t.sha256) {
          throw new BackupError(
            `${t.name} restored as ${stored.rows} rows that differ from the backup's ${t.rows}`,
          );
        }
      }
      for (const t of targets) {
        for (const s of t.sequences) {
          await session.query(
            `SELECT setval($1, COALESCE((SELECT max(${ident(s.column)}) FROM ${ident(t.name)}), 0) + 1, false)`,
            [s.sequence],
          );
        }
      }
    });
    const { applied } = await migrateToLatest(open.db);
    return { manifest, upgradedWith: applied };
  } finally {
    zip.close();
  }
}

/**
 * A restore only ever fills an empty database: merging a backup into live rows would either
 * collide on keys or silently mix two histories. A freshly migrated, row-less database (a new
 * server started once) counts as empty if its schema is not newer than the backup's.
 */
async function refuseUnlessEmpty(open: OpenDatabase, migration: string): Promise<void> {
  const { db } = open;
  const { rows: tables } = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`.execute(db);
  const filled: string[] = [];
  for (const { name } of tables) {
    if (name === 'kysely_migration' || name === 'kysely_migration_lock') continue;
    const { rows } = await sql<{ any: boolean }>`
      SELECT EXISTS (SELECT 1 FROM ${sql.table(name)}) AS any`.execute(db);
    if (rows[0]?.any) filled.push(name);
  }
  if (filled.length > 0) {
    throw new BackupError(
      `The target database is not empty (${filled.join(', ')} hold rows): restore only into a new, empty database`,
    );
  }
  if (tables.some((t) => t.name === 'kysely_migration')) {
    const { rows } = await sql<{ name: string }>`
      SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1`.execute(db);
    const current = rows[0]?.name;
    if (current && current > migration) {
      throw new BackupError(
        `The target's schema (${current}) is newer than the backup's (${migration}): restore into a new, empty database`,
      );
    }
  }
}
