import { dayNumber, todayUtc } from './time.ts';
import { generateUser } from './user.ts';

/**
 * The Oura simulator's dataset: several people over years, generated deterministically from a
 * seed. Documents have exactly the spec 1.37 JSON shapes; heart rate and battery rows are
 * generated lazily per request.
 */

export interface DatasetOptions {
  seed: number;
  users: number;
  days: number;
  /** 'YYYY-MM-DD', default today (UTC): the last night is the one ending that morning. */
  endDate?: string;
}

import type { DocumentDataType } from '../../oura/routes.ts';
import type { PlantedTruth } from './episodes.ts';
import type { TagTruth } from './tagEffects.ts';

export { DOCUMENT_DATA_TYPES, type DocumentDataType } from '../../oura/routes.ts';

export interface SimUserData {
  /** 'demo' for user 0, then 'alex', 'sam', ... */
  name: string;
  personalInfo: {
    id: string;
    age: number;
    weight: number;
    height: number;
    biological_sex: string;
    email: string;
  };
  /** Every document-type route keyed by data type, each a Map id->document in day order. */
  documents: Record<DocumentDataType, Map<string, Record<string, unknown>>>;
  /** Heart-rate rows (spec `PublicHeartRateRow`) with timestamp in [startMs, endMs). */
  heartrate(startMs: number, endMs: number): Record<string, unknown>[];
  /** Battery rows (spec `PublicRingBatteryLevelRow`) with timestamp in [startMs, endMs). */
  batteryLevel(startMs: number, endMs: number): Record<string, unknown>[];
  /** The effects planted in this user's data (illness, short sleep, weekend shift). */
  truth(): PlantedTruth;
  /** The planted tag effects and tagged days (absent for hand-made datasets). */
  tagTruth?: () => TagTruth;
}

export class DatasetOptionsError extends Error {
  constructor(message: string) {
    super(`Invalid simulator dataset options: ${message}`);
    this.name = 'DatasetOptionsError';
  }
}

/** Generous bounds: generation is linear in users x days. */
const MAX_USERS = 1000;
const MAX_DAYS = 20 * 366;

export function generateDataset(opts: DatasetOptions): SimUserData[] {
  const { seed, users, days } = opts;
  if (!Number.isSafeInteger(seed))
    throw new DatasetOptionsError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(users) || users < 1 || users > MAX_USERS) {
    throw new DatasetOptionsError(`users must be an integer 1-${MAX_USERS}, got ${users}`);
  }
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new DatasetOptionsError(`days must be an integer 1-${MAX_DAYS}, got ${days}`);
  }
  const endDate = opts.endDate ?? todayUtc();
  const endDay = dayNumber(endDate);
  if (Number.isNaN(endDay)) {
    throw new DatasetOptionsError(`endDate must be a date 'YYYY-MM-DD', got '${endDate}'`);
  }
  const out: SimUserData[] = [];
  for (let i = 0; i < users; i++) out.push(generateUser(seed, i, endDay - days + 1, endDay));
  return out;
}
