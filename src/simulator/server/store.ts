import type { DocumentDataType, SimUserData } from '../data/index.ts';

export type SimDocument = Record<string, unknown>;

interface Entry {
  day: string;
  id: string;
  doc: SimDocument;
}

/**
 * The day a document is selected by. Most types carry `day`; enhanced_tag and rest_mode_period
 * only carry `start_day`; ring_configuration has neither (its route takes no range).
 */
export function documentDay(doc: SimDocument): string {
  const day = doc.day ?? doc.start_day;
  return typeof day === 'string' ? day : '';
}

/**
 * One user's documents of one type, sorted by day, so a range query is two binary searches
 * instead of a scan (the benchmarks page through years of data). The user's `documents` Map is
 * kept in step on every change so `Simulator.users` always shows what the API serves.
 */
export class DocumentIndex {
  readonly #entries: Entry[];
  readonly #byId: Map<string, SimDocument>;

  constructor(byId: Map<string, SimDocument>) {
    this.#byId = byId;
    this.#entries = [...byId].map(([id, doc]) => ({ id, doc, day: documentDay(doc) }));
    // Array.prototype.sort is stable: same-day documents keep the dataset's order.
    this.#entries.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  }

  get size(): number {
    return this.#entries.length;
  }

  /** First index whose day is >= `day`. */
  #lowerBound(day: string): number {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const entry = this.#entries[mid];
      if (entry !== undefined && entry.day < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index range [from, to) of the documents with startDay <= day < endDayExclusive. */
  range(startDay: string | undefined, endDayExclusive: string | undefined): [number, number] {
    const from = startDay === undefined ? 0 : this.#lowerBound(startDay);
    const to =
      endDayExclusive === undefined ? this.#entries.length : this.#lowerBound(endDayExclusive);
    return [from, Math.max(from, to)];
  }

  slice(from: number, to: number): SimDocument[] {
    return this.#entries.slice(from, to).map((e) => e.doc);
  }

  get(id: string): SimDocument | undefined {
    return this.#byId.get(id);
  }

  /** Ids of the `n` most recent documents, oldest first. */
  latestIds(n: number): string[] {
    return this.#entries.slice(Math.max(0, this.#entries.length - n)).map((e) => e.id);
  }

  #position(id: string): number {
    const doc = this.#byId.get(id);
    if (doc === undefined) return -1;
    const day = documentDay(doc);
    for (let i = this.#lowerBound(day); i < this.#entries.length; i++) {
      const entry = this.#entries[i];
      if (entry === undefined || entry.day !== day) break;
      if (entry.id === id) return i;
    }
    return -1;
  }

  /** Replace a document's content; its id and day must not change. */
  replace(id: string, doc: SimDocument): boolean {
    const at = this.#position(id);
    const entry = this.#entries[at];
    if (entry === undefined) return false;
    entry.doc = doc;
    this.#byId.set(id, doc);
    return true;
  }

  remove(id: string): boolean {
    const at = this.#position(id);
    if (at < 0) return false;
    this.#entries.splice(at, 1);
    this.#byId.delete(id);
    return true;
  }
}

/** A simulated account: its generated data plus lazily built per-type indexes. */
export class SimUser {
  readonly data: SimUserData;
  readonly #indexes = new Map<DocumentDataType, DocumentIndex>();

  constructor(data: SimUserData) {
    this.data = data;
  }

  get name(): string {
    return this.data.name;
  }

  /** The user id Oura reports (`personal_info.id`, webhook `user_id`). */
  get userId(): string {
    return this.data.personalInfo.id;
  }

  index(type: DocumentDataType): DocumentIndex {
    let index = this.#indexes.get(type);
    if (index === undefined) {
      index = new DocumentIndex(this.data.documents[type]);
      this.#indexes.set(type, index);
    }
    return index;
  }
}
