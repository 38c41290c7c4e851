import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { OpenDatabase } from '../database.ts';
import { CANONICAL_SETTINGS, copyOutStatement, readCatalog } from './catalog.ts';
import { withCopySession } from './copySession.ts';
import { BackupError, type BackupManifest, type BackupTable, MANIFEST_FILE } from './manifest.ts';
import { digesting, TableDigest } from './tableDigest.ts';

/**
 * Write the whole database to `file` while it stays in use: one REPEATABLE READ snapshot, every
 * table COPYed in dependency order into a zip (deflated, streamed one table at a time), then
 * `manifest.json` with the schema migration and each table's row count and sha256. The archive
 * is written beside `file` and renamed when complete.
 */
export async function backupDatabase(open: OpenDatabase, file: string): Promise<BackupManifest> {
  const partial = `${file}.partial`;
  const zip = new yazl.ZipFile();
  const written = pipeline(zip.outputStream, createWriteStream(partial));
  // Keep a write error for the await below instead of letting it go unhandled meanwhile.
  written.catch(() => {});
  try {
    const manifest = await withCopySession(open, 'snapshot', async (session) => {
      for (const s of CANONICAL_SETTINGS) await session.query(s);
      const [migration] = await session
        .query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1')
        .catch(() => []);
      if (!migration) throw new BackupError('The database has no Snowtorch schema to back up');
      const [server] = await session.query<{ server_version: string }>('SHOW server_version');
      const now = new Date();
      const tables: BackupTable[] = [];
      for (const table of await readCatalog(session)) {
        const entry = `tables/${table.name}.copy`;
        const digest = new TableDigest();
        const body = new PassThrough();
        zip.addReadStream(body, entry, { mtime: now });
        await pipeline(digesting(session.copyOut(copyOutStatement(table)), digest), body);
        tables.push({
          name: table.name,
          columns: table.columns,
          file: entry,
          rows: digest.rows,
          sha256: digest.hex(),
        });
      }
      return {
        format: 'snowtorch-backup',
        formatVersion: 1,
        createdAt: now.toISOString(),
        migration: migration.name,
        postgres: server?.server_version ?? 'unknown',
        tables,
      } satisfies BackupManifest;
    });
    zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), MANIFEST_FILE, {
      mtime: new Date(manifest.createdAt),
    });
    zip.end();
    await written;
    await rename(partial, file);
    return manifest;
  } catch (error) {
    (zip.outputStream as Readable).destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
