import type { Kysely } from 'kysely';
import * as core from './2026-11-29-001-core.ts';
import * as projections from './2026-11-29-002-projections.ts';
import * as sleepDayViews from './2026-11-29-003-sleep-day-views.ts';
import * as jobs from './2026-11-29-010-jobs.ts';
import * as accounts from './2026-11-29-020-accounts.ts';
import * as insightSettings from './2026-12-07-010-insight-settings.ts';
import * as accountNamesNoCase from './2026-12-07-020-account-names-case-insensitive.ts';
import * as lz4Documents from './2026-12-07-030-lz4-documents.ts';

export interface MigrationModule {
  up(db: Kysely<unknown>): Promise<void>;
  down?(db: Kysely<unknown>): Promise<void>;
}

/**
 * Every migration, by name, in order. A static list (not a directory scan) so the app works when
 * bundled. Names sort in application order: `YYYY-MM-DD-NNN-what`. Append only.
 */
export const MIGRATIONS: Readonly<Record<string, MigrationModule>> = {
  '2026-11-29-001-core': core,
  '2026-11-29-002-projections': projections,
  '2026-11-29-003-sleep-day-views': sleepDayViews,
  '2026-11-29-010-jobs': jobs,
  '2026-11-29-020-accounts': accounts,
  '2026-12-07-010-insight-settings': insightSettings,
  '2026-12-07-020-account-names-case-insensitive': accountNamesNoCase,
  '2026-12-07-030-lz4-documents': lz4Documents,
};
