/** `manifest.json` of a backup archive: what it holds and how to check a restore against it. */
export interface BackupManifest {
  format: 'snowtorch-backup';
  formatVersion: 1;
  createdAt: string;
  /** The last schema migration applied to the source: a restore migrates the target to it. */
  migration: string;
  /** `server_version` of the source, for the record. */
  postgres: string;
  tables: BackupTable[];
}

export interface BackupTable {
  name: string;
  columns: string[];
  /** Entry of the archive holding the table's COPY text. */
  file: string;
  rows: number;
  /** sha256 (hex) of the canonical COPY text of the whole table. */
  sha256: string;
}

export const MANIFEST_FILE = 'manifest.json';

/** A backup that cannot be restored here, or a restore that did not reproduce the source. */
export class BackupError extends Error {
  override name = 'BackupError';
}

export function parseManifest(text: string): BackupManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BackupError('The archive has no readable manifest.json: not a Snowtorch backup');
  }
  const m = value as Partial<BackupManifest> | null;
  if (m?.format !== 'snowtorch-backup' || !Array.isArray(m.tables) || !m.migration) {
    throw new BackupError('manifest.json is not a Snowtorch backup manifest');
  }
  if (m.formatVersion !== 1) {
    throw new BackupError(
      `Backup format version ${String(m.formatVersion)} is newer than this Snowtorch reads (1)`,
    );
  }
  return m as BackupManifest;
}
