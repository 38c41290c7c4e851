import { isoWithOffset } from '../../insights/localTime.ts';
import type { WorkoutView } from '../../server/apiTypes.ts';
import type { Db } from '../database.ts';

/** Workouts whose day is in [from, to], oldest first. */
export async function getWorkouts(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<WorkoutView[]> {
  const rows = await db
    .selectFrom('workout')
    .select([
      'id',
      'day',
      'activity',
      'intensity',
      'source',
      'label',
      'calories',
      'distance',
      'start_datetime',
      'end_datetime',
      'utc_offset_minutes',
    ])
    .where('user_id', '=', userId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .orderBy('start_datetime')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    day: r.day,
    activity: r.activity ?? 'other',
    intensity: r.intensity,
    source: r.source,
    label: r.label,
    start: isoWithOffset(r.start_datetime, r.utc_offset_minutes ?? 0),
    end: isoWithOffset(r.end_datetime, r.utc_offset_minutes ?? 0),
    durationSeconds: Math.max(0, (r.end_datetime.getTime() - r.start_datetime.getTime()) / 1000),
    calories: r.calories,
    distance: r.distance,
  }));
}
