import { dayNumber, todayUtc } from './time.ts';
import type { SimUserData } from './types.ts';
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

export { DOCUMENT_DATA_TYPES } from '../../oura/routes.ts';
export type { DocumentDataType, SimUserData } from './types.ts';

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
