import type { HypnogramPeriod } from '../../insights/sri.ts';
import type { Db } from '../database.ts';
import { selectJsonRows } from './jsonRows.ts';

/**
 * Every sleep period counted as sleep (nights and naps) with a 5-minute hypnogram, wake days in
 * [from, to], placed on its own local clock.
 */
export async function getHypnograms(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<HypnogramPeriod[]> {
  const rows = await selectJsonRows<{
    day: string;
    bedtime_start: string;
    utc_offset_minutes: number | null;
    stages: string;
    type: string | null;
  }>(
    db,
    db
      .selectFrom('sleep_period')
      .select([
        'sleep_day as day',
        'bedtime_start',
        'utc_offset_minutes',
        'sleep_phase_5_min as stages',
        'type',
      ])
      .where('user_id', '=', userId)
      .where('counts_as_sleep', '=', true)
      .where('sleep_day', '>=', from)
      .where('sleep_day', '<=', to)
      .where('sleep_phase_5_min', 'is not', null)
      .orderBy('bedtime_start'),
  );
  return rows.map((r) => ({
    day: r.day,
    localStartMs: Date.parse(r.bedtime_start) + (r.utc_offset_minutes ?? 0) * 60_000,
    stages: r.stages,
    main: r.type === 'long_sleep',
  }));
}
