import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServerOwner } from './osUser.ts';

/**
 * The first directory at or above `path` that `owner` cannot pass through (search permission),
 * or undefined when every existing one lets it. Running as root, the PostgreSQL programs run as
 * `owner`: a checkout under /root (mode 0700) or a mkdtemp directory is out of its reach.
 * Directories that do not exist yet are skipped (Snowtorch creates them with mode 0755).
 */
export function blockedFor(
  path: string,
  owner: Pick<ServerOwner, 'uid' | 'gid'> | null,
): string | undefined {
  for (let current = path; ; current = dirname(current)) {
    if (existsSync(current)) {
      const info = statSync(current);
      const passes =
        (info.mode & 0o001) !== 0 ||
        (owner !== null && info.gid === owner.gid && (info.mode & 0o010) !== 0) ||
        (owner !== null && info.uid === owner.uid && (info.mode & 0o100) !== 0);
      if (!passes) return current;
    }
    if (dirname(current) === current) return undefined;
  }
}
