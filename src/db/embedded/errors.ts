/** The embedded PostgreSQL cannot be used as things stand; the message says what to do. */
export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}
