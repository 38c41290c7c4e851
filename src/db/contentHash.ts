import { createHash } from 'node:crypto';
import { ProjectionError } from './errors.ts';

/**
 * Canonical JSON: object keys sorted, no whitespace, JSON.stringify's rules otherwise (undefined
 * properties dropped). Two fetches of the same document give the same text whatever the key
 * order Oura used, so the hash detects real changes only.
 *
 * PostgreSQL text and jsonb cannot hold U+0000 or unpaired surrogates; such a document is
 * rejected here (ProjectionError) instead of failing the whole batch's transaction.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

function checkString(s: string): string {
  if (s.includes('\u0000')) {
    throw new ProjectionError('contains a NUL character (\\u0000), which PostgreSQL cannot store');
  }
  if (!s.isWellFormed()) {
    throw new ProjectionError('contains an unpaired UTF-16 surrogate, which PostgreSQL cannot store');
  }
  return JSON.stringify(s);
}

function write(value: unknown, out: string[]): void {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    out.push(JSON.stringify(value));
  } else if (typeof value === 'string') {
    out.push(checkString(value));
  } else if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      const item: unknown = value[i];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') {
        out.push('null');
      } else {
        write(item, out);
      }
    }
    out.push(']');
  } else if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      const item = obj[key];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      if (!first) out.push(',');
      first = false;
      out.push(checkString(key), ':');
      write(item, out);
    }
    out.push('}');
  } else if (typeof value === 'bigint') {
    throw new ProjectionError('contains a bigint, which JSON cannot represent');
  } else {
    out.push('null');
  }
}

/** sha256 hex of a canonical JSON text. */
export function contentHash(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex');
}
