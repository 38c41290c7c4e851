import { sql } from 'kysely';
import type { Db } from './database.ts';
import { anyOf, chunk } from './rows.ts';

export interface InvalidDocument {
  docId: string | null;
  document: unknown;
  message: string;
}

/**
 * A JSON object that jsonb can hold, for a document that may itself be unstorable (not an
 * object, or containing U+0000 / unpaired surrogates, which PostgreSQL rejects).
 */
function storableCopy(document: unknown): string {
  const text =
    JSON.stringify(document, (_key, value: unknown) =>
      typeof value === 'string' ? value.replaceAll('\u0000', '\uFFFD').toWellFormed() : value,
    ) ?? 'null';
  const isObject = typeof document === 'object' && document !== null && !Array.isArray(document);
  return isObject ? text : `{"value":${text}}`;
}

/**
 * Record documents that could not be stored, replacing earlier records of the same documents,
 * and forget the records of documents that have now been stored fine.
 */
export async function recordInvalidDocuments(
  db: Db,
  userId: number,
  dataType: string,
  invalid: readonly InvalidDocument[],
  storedIds: readonly string[],
  seenAt: Date,
): Promise<void> {
  const resolved = [...storedIds, ...invalid.flatMap((d) => (d.docId ? [d.docId] : []))];
  if (resolved.length > 0) {
    await db
      .deleteFrom('sync_error_document')
      .where('user_id', '=', userId)
      .where('data_type', '=', dataType)
      .where('doc_id', '=', sql<string>`ANY(${anyOf(resolved)})`)
      .execute();
  }
  for (const part of chunk(invalid, 1_000)) {
    await db
      .insertInto('sync_error_document')
      .values(
        part.map((d) => ({
          user_id: userId,
          data_type: dataType,
          doc_id: d.docId,
          document: storableCopy(d.document),
          message: d.message,
          seen_at: seenAt,
        })),
      )
      .execute();
  }
}
