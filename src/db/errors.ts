/** A migration failed; the database stays at the last migration that succeeded. */
export class MigrationError extends Error {
  override name = 'MigrationError';
  /** Name of the migration that failed, when one did (not a lock or connection failure). */
  readonly migration: string | undefined;
  constructor(message: string, migration: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.migration = migration;
  }
}

/** A document or sample that cannot be projected into its typed table (a bad value). */
export class ProjectionError extends Error {
  override name = 'ProjectionError';
}
