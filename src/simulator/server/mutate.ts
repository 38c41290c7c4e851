import type { SimDocument } from './store.ts';

// Identity, axis and timezone fields: changing them would move the data, not revise it.
const SKIP_NUMBERS = new Set(['id', 'period', 'timestamp_unix', 'interval', 'day_tz']);
const MOODS = ['bad', 'worse', 'same', 'good', 'great'];
const EDITABLE_TEXT = ['comment', 'text', 'custom_name', 'label', 'firmware_version'];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Bump the first numeric leaf (depth-first, skipping identity fields); true if one was found. */
function bumpNumber(obj: Record<string, unknown>): boolean {
  for (const [key, value] of Object.entries(obj)) {
    if (SKIP_NUMBERS.has(key)) continue;
    if (typeof value === 'number') {
      if (Number.isInteger(value)) obj[key] = value >= 99 && value <= 100 ? value - 1 : value + 1;
      else obj[key] = Math.round((value + 0.1) * 1000) / 1000;
      return true;
    }
    if (isPlainObject(value) && bumpNumber(value)) return true;
  }
  return false;
}

/**
 * A revised version of a document, as when Oura re-analyses a night or the user edits a tag:
 * same id and day, different content, still valid against the spec schema.
 */
export function reviseDocument(doc: SimDocument): SimDocument {
  const next = structuredClone(doc);
  const score = next.score;
  if (typeof score === 'number') {
    next.score = score > 1 ? score - 1 : score + 1;
    return next;
  }
  if (bumpNumber(next)) return next;
  if ('mood' in next) {
    next.mood = MOODS[(MOODS.indexOf(String(next.mood)) + 1) % MOODS.length];
    return next;
  }
  for (const key of EDITABLE_TEXT) {
    const value = next[key];
    if (typeof value === 'string' || (key in next && value === null)) {
      next[key] = `${value ?? ''} (edited)`.trim();
      return next;
    }
  }
  const episodes = next.episodes;
  if (Array.isArray(episodes)) {
    const first = episodes[0];
    if (isPlainObject(first) && Array.isArray(first.tags)) first.tags = [...first.tags, 'edited'];
    else
      episodes.push({
        tags: ['edited'],
        timestamp: next.start_time ?? `${next.start_day}T12:00:00`,
      });
    return next;
  }
  next.comment = 'edited';
  return next;
}

// The fields that place a document: every client must read them, so breaking one is noticed.
const PLACEMENT = ['day', 'start_day', 'timestamp'];

/**
 * A copy of a document with one field of the wrong JSON type, as a buggy upstream might send:
 * its day (or timestamp) as a number, else some other field with the wrong type. The id is kept
 * so a client can still say which document was bad.
 */
export function malformDocument(doc: SimDocument): SimDocument {
  const next = { ...doc };
  for (const key of PLACEMENT) {
    const value = next[key];
    if (typeof value === 'string') {
      next[key] = Number(value.replace(/\D/g, '').slice(0, 14));
      return next;
    }
  }
  for (const [key, value] of Object.entries(next)) {
    if (key === 'id') continue;
    if (typeof value === 'number') {
      next[key] = 'not-a-number';
      return next;
    }
    if (typeof value === 'string') {
      next[key] = 12345;
      return next;
    }
  }
  next.id = 12345;
  return next;
}
