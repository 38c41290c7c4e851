import { createHash } from 'node:crypto';
import { ProjectionError } from './errors.ts';

/*
 * What PostgreSQL's jsonb can hold, and the texts Snowtorch stores.
 *
 * PostgreSQL text and jsonb cannot hold U+0000 or unpaired surrogates; such a document is
 * rejected here (ProjectionError) instead of failing the whole batch's transaction.
 *
 * Documents are stored as received (documentJson) and compared by PostgreSQL's jsonb equality.
 * Time-series day documents are hashed and compared in this process (timeSeries.ts), so they are
 * written as canonical JSON (canonicalArray): every object's keys in sorted order (JavaScript
 * still lists integer-like keys first, which is deterministic too), so two fetches of the same
 * rows give the same text whatever key order Oura used.
 */

function checkString(s: string): void {
  if (s.includes('\u0000')) {
    throw new ProjectionError('contains a NUL character (\\u0000), which PostgreSQL cannot store');
  }
  if (!s.isWellFormed()) {
    throw new ProjectionError(
      'contains an unpaired UTF-16 surrogate, which PostgreSQL cannot store',
    );
  }
}

/** Throws ProjectionError when `value` holds something PostgreSQL's jsonb cannot store. */
export function checkStorable(value: unknown): void {
  if (typeof value === 'string') {
    checkString(value);
  } else if (typeof value === 'bigint') {
    throw new ProjectionError('contains a bigint, which JSON cannot represent');
  } else if (Array.isArray(value)) {
    for (const item of value) checkStorable(item);
  } else if (typeof value === 'object' && value !== null) {
    for (const key in value) {
      checkString(key);
      checkStorable((value as Record<string, unknown>)[key]);
    }
  }
}

/**
 * JSON.stringify writes U+0000 and unpaired surrogates as `\u` escapes (paired surrogates as the
 * characters themselves), so a document's text can only be unstorable where this matches. A
 * literal backslash before "u0000" also matches (rarely): the exact check then decides.
 */
const MAYBE_UNSTORABLE = /\\u(?:0000|d[89a-f])/i;

/**
 * A parsed document's JSON text, as received (key order kept), for a jsonb column: one native
 * JSON.stringify, no copy. Throws ProjectionError when PostgreSQL could not store it. Whether a
 * stored document changed is decided by PostgreSQL's jsonb equality, which ignores key order,
 * so no canonical form is needed here (rawDocuments.ts).
 */
export function documentJson(doc: Record<string, unknown>): string {
  const text = JSON.stringify(doc);
  if (MAYBE_UNSTORABLE.test(text)) checkStorable(doc);
  return text;
}

/** `value` with sorted keys, sharing every part that already was. */
function canonical(value: unknown): unknown {
  if (typeof value === 'string') {
    checkString(value);
    return value;
  }
  if (typeof value === 'bigint') {
    throw new ProjectionError('contains a bigint, which JSON cannot represent');
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const c = canonical(item);
      if (c !== item) {
        copy ??= value.slice();
        copy[i] = c;
      }
    }
    return copy ?? value;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  let changed = false;
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      changed = true;
      break;
    }
  }
  const values: unknown[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    checkString(key);
    const item = obj[key];
    const c = canonical(item);
    values[i] = c;
    if (c !== item) changed = true;
  }
  if (!changed) return value;
  const order = keys.map((key, i) => [key, values[i]] as const);
  order.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const [key, item] of order) out[key] = item;
  return out;
}

const INDEX_LIKE = /^(?:0|[1-9]\d*)$/;

/**
 * canonicalJson of an array, with a fast path for flat objects (time-series rows): rows sharing
 * one key order share one sorted key list, are copied in that order only when needed, and the
 * whole array is written by one native JSON.stringify. Same text as canonicalJson. With
 * `checked`, the items are known storable (checkStorable passed, or they came from jsonb).
 */
export function canonicalArray(
  items: readonly unknown[],
  opts: { checked?: boolean } = {},
): string {
  const check = !opts.checked;
  const out: unknown[] = new Array(items.length);
  let shape: string[] | undefined;
  let sortedKeys: string[] | undefined;
  let inOrder = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      const obj = item as Record<string, unknown>;
      const keys = Object.keys(obj);
      if (!shape || !sameKeys(keys, shape)) {
        shape = keys;
        sortedKeys = keys.some((k) => INDEX_LIKE.test(k)) ? undefined : [...keys].sort();
        inOrder = sortedKeys !== undefined && sameKeys(keys, sortedKeys);
        for (const k of keys) checkString(k);
      }
      if (sortedKeys && isFlat(obj, keys, check)) {
        if (inOrder) {
          out[i] = obj;
        } else {
          const copy: Record<string, unknown> = {};
          for (const k of sortedKeys) copy[k] = obj[k];
          out[i] = copy;
        }
        continue;
      }
    }
    out[i] = canonical(item);
  }
  return JSON.stringify(out);
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Only strings, numbers, booleans and nulls as values (strings checked unless `check` is off). */
function isFlat(obj: Record<string, unknown>, keys: readonly string[], check: boolean): boolean {
  for (const k of keys) {
    const v = obj[k];
    if (typeof v === 'string') {
      if (check) checkString(v);
    } else if (typeof v === 'object' && v !== null) return false;
    else if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol')
      return false;
  }
  return true;
}

/** sha256 hex of a canonical JSON text. */
export function contentHash(canonicalText: string): string {
  return createHash('sha256').update(canonicalText).digest('hex');
}
