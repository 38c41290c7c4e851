import { createHash } from 'node:crypto';
import { badRequest } from './errors.ts';

/**
 * Opaque `next_token` values. The client must repeat the same query with the token (spec
 * "pagination"); the token carries a fingerprint of that query so a token replayed against a
 * different query is refused instead of silently returning the wrong page.
 */

export interface Cursor {
  /** Document routes: offset into the selected range. Time series: epoch ms to resume at. */
  position: number;
  /** Time series: rows at exactly `position` already returned. */
  skip: number;
}

/** Fingerprint of everything that defines a query except the token itself. */
export function queryFingerprint(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

export function encodeNextToken(cursor: Cursor, fingerprint: string): string {
  const payload = JSON.stringify({ p: cursor.position, s: cursor.skip, q: fingerprint });
  return Buffer.from(payload, 'utf8').toString('base64url');
}

/** Decode a token issued for `fingerprint`; anything else is a 400. */
export function decodeNextToken(token: string, fingerprint: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('Invalid next_token');
  }
  if (typeof parsed !== 'object' || parsed === null) throw badRequest('Invalid next_token');
  const { p, s, q } = parsed as Record<string, unknown>;
  if (
    typeof p !== 'number' ||
    typeof s !== 'number' ||
    !Number.isSafeInteger(p) ||
    !Number.isSafeInteger(s) ||
    p < 0 ||
    s < 0 ||
    typeof q !== 'string'
  ) {
    throw badRequest('Invalid next_token');
  }
  if (q !== fingerprint) throw badRequest('next_token does not belong to this query');
  return { position: p, skip: s };
}
