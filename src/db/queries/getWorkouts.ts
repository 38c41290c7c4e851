import type { WorkoutView } from '../../api/types.ts';
import { isoWithOffset } from '../../insights/localTime.ts';
import type { Db } from '../database.ts';
import { selectJsonRows } from './jsonRows.ts';

/** A workout row as the database hands it over in JSON. */
export interface WorkoutRow {
  id: string;
  day: string;
  activity: string | null;
  intensity: string | null;
  source: string | null;
  label: string | null;
  calories: number | null;
  distance: number | null;
  start_datetime: string;
  end_datetime: string;
  utc_offset_minutes: number | null;
}

export const WORKOUT_COLUMNS = [
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
] as const;

/** Start and end in the workout's own UTC offset, as Oura sent them. */
export function toWorkoutView(r: WorkoutRow): WorkoutView {
  const start = new Date(r.start_datetime);
  const end = new Date(r.end_datetime);
  const offset = r.utc_offset_minutes ?? 0;
  return {
    id: r.id,
    day: r.day,
    activity: r.activity ?? 'other',
    intensity: r.intensity,
    source: r.source,
    label: r.label,
    start: isoWithOffset(start, offset),
    end: isoWithOffset(end, offset),
    utcOffsetMinutes: offset,
    durationSeconds: Math.max(0, (end.getTime() - start.getTime()) / 1000),
    calories: r.calories,
    distance: r.distance,
  };
}

/** Workouts whose day is in [from, to], oldest first. */
export async function getWorkouts(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<WorkoutView[]> {
  const rows = await selectJsonRows<WorkoutRow>(
    db,
    db
      .selectFrom('workout')
      .select([...WORKOUT_COLUMNS])
      .where('user_id', '=', userId)
      .where('day', '>=', from)
      .where('day', '<=', to)
      .orderBy('start_datetime'),
  );
  return rows.map(toWorkoutView);
}
