import { minutesFromLocalMidnight } from '../../insights/localTime.ts';
import type { NightTiming } from '../../insights/regularity.ts';
import type { Db } from '../database.ts';
import { selectJsonRows } from './jsonRows.ts';

/**
 * Bedtime and wake time of each main night in [from, to], as minutes from the wake day's local
 * midnight, each in its own offset (a DST night keeps both wall-clock times right). Minutes are
 * floored, as a clock shows them.
 */
export async function getTiming(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<NightTiming[]> {
  const rows = await selectJsonRows<{
    day: string;
    bedtime_start: string;
    bedtime_end: string;
    utc_offset_minutes: number | null;
    end_utc_offset_minutes: number | null;
  }>(
    db,
    db
      .selectFrom('sleep_night')
      .select([
        'day',
        'bedtime_start',
        'bedtime_end',
        'utc_offset_minutes',
        'end_utc_offset_minutes',
      ])
      .where('user_id', '=', userId)
      .where('day', '>=', from)
      .where('day', '<=', to)
      .orderBy('day'),
  );
  return rows.map((r) => ({
    day: r.day,
    bedtimeMinutes: Math.floor(
      minutesFromLocalMidnight(new Date(r.bedtime_start), r.utc_offset_minutes ?? 0, r.day),
    ),
    wakeMinutes: Math.floor(
      minutesFromLocalMidnight(
        new Date(r.bedtime_end),
        r.end_utc_offset_minutes ?? r.utc_offset_minutes ?? 0,
        r.day,
      ),
    ),
  }));
}
