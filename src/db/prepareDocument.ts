import { contentHash, documentJson } from './contentHash.ts';
import type { InvalidDocument } from './errorDocuments.ts';
import { ProjectionError } from './errors.ts';
import type { AnyProjection } from './projections/types.ts';
import type { RawWrite } from './rawDocuments.ts';

export interface PreparedDocument extends RawWrite {
  /** The projection row, ready for the typed table. */
  row: Record<string, unknown>;
}

/**
 * Everything storage derives from one document, computed before touching the database so a bad
 * value never aborts a transaction half-way: its raw key, JSON text, hash and projection.
 */
export function prepareDocument(
  projection: AnyProjection,
  userId: number,
  document: unknown,
): PreparedDocument | InvalidDocument {
  const label = `${projection.dataType} document`;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { docId: null, document, message: `${label}: expected a JSON object` };
  }
  const doc = document as Record<string, unknown>;
  const docId = typeof doc.id === 'string' && doc.id !== '' ? doc.id : null;
  if (docId === null) {
    return { docId: null, document, message: `${label}: id: expected a non-empty string` };
  }
  try {
    const json = documentJson(doc);
    const place = projection.place(doc);
    return {
      docId,
      day: place.day,
      utcOffsetMinutes: place.utcOffsetMinutes,
      json,
      contentHash: contentHash(json),
      row: projection.toRow(userId, doc),
    };
  } catch (error) {
    if (error instanceof ProjectionError) {
      return { docId, document, message: `${label} '${docId}': ${error.message}` };
    }
    throw error;
  }
}

export function isInvalid(p: PreparedDocument | InvalidDocument): p is InvalidDocument {
  return 'message' in p;
}
