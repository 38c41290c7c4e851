import type { Db } from '../database.ts';
import { selectJsonRows } from './jsonRows.ts';

export interface NightStages {
  day: string;
  deep: number | null;
  light: number | null;
  rem: number | null;
  awake: number | null;
}

/** Seconds in each stage per main night, in [from, to]. */
export async function getStages(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<NightStages[]> {
  return selectJsonRows<NightStages>(
    db,
    db
      .selectFrom('sleep_night')
      .select([
        'day',
        'deep_sleep_duration as deep',
        'light_sleep_duration as light',
        'rem_sleep_duration as rem',
        'awake_time as awake',
      ])
      .where('user_id', '=', userId)
      .where('day', '>=', from)
      .where('day', '<=', to)
      .orderBy('day'),
  );
}
