import { minutesFromLocalMidnight } from '../../insights/localTime.ts';
import type { Db } from '../database.ts';
import { selectJsonRows } from './jsonRows.ts';

/** A main night with what sleep debt and the chronotype need, in its own local clock. */
export interface SleepNightTimes {
  day: string;
  /** Seconds. */
  totalSleep: number | null;
  timeInBed: number | null;
  /** Minutes after the wake day's local midnight (negative: the evening before). */
  bedtimeMinutes: number;
  /** Bedtime plus the latency to fall asleep. */
  onsetMinutes: number;
  wakeMinutes: number;
}

/** Main nights in [from, to] with duration and local bedtime, sleep onset and wake-up. */
export async function getSleepNights(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<SleepNightTimes[]> {
  const rows = await selectJsonRows<{
    day: string;
    bedtime_start: string;
    bedtime_end: string;
    utc_offset_minutes: number | null;
    end_utc_offset_minutes: number | null;
    total_sleep_duration: number | null;
    time_in_bed: number | null;
    latency: number | null;
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
        'total_sleep_duration',
        'time_in_bed',
        'latency',
      ])
      .where('user_id', '=', userId)
      .where('day', '>=', from)
      .where('day', '<=', to)
      .orderBy('day'),
  );
  return rows.map((r) => {
    const offset = r.utc_offset_minutes ?? 0;
    const bedtime = minutesFromLocalMidnight(new Date(r.bedtime_start), offset, r.day);
    return {
      day: r.day,
      totalSleep: r.total_sleep_duration,
      timeInBed: r.time_in_bed,
      bedtimeMinutes: bedtime,
      onsetMinutes: bedtime + (r.latency ?? 0) / 60,
      wakeMinutes: minutesFromLocalMidnight(
        new Date(r.bedtime_end),
        r.end_utc_offset_minutes ?? offset,
        r.day,
      ),
    };
  });
}
