import { sql } from 'kysely';
import type { WorkoutDetailResponse } from '../../api/types.ts';
import type { Db } from '../database.ts';
import { toWorkoutView, WORKOUT_COLUMNS, type WorkoutRow } from './getWorkouts.ts';
import { selectJsonRows } from './jsonRows.ts';

/**
 * One of the user's workouts with the heart rate stored over it: the samples of the heart-rate
 * series from start to end (whatever their source: Oura marks only some of them `workout`).
 * Undefined when the user has no workout with that id.
 */
export async function getWorkout(
  db: Db,
  userId: number,
  id: string,
): Promise<WorkoutDetailResponse | undefined> {
  const [row] = await selectJsonRows<WorkoutRow>(
    db,
    db
      .selectFrom('workout')
      .select([...WORKOUT_COLUMNS])
      .where('user_id', '=', userId)
      .where('id', '=', id),
  );
  if (!row) return undefined;
  const workout = toWorkoutView(row);
  // One JSON value instead of a row per sample (see jsonRows.ts); both ends inclusive.
  const { rows } = await sql<{ samples: string | null }>`
    select json_agg(json_build_array((extract(epoch from ts) * 1000)::bigint, bpm) order by ts)::text
      as samples
    from (
      select ts, round(avg(bpm))::int as bpm from heart_rate_sample
      where user_id = ${userId} and ts >= ${new Date(row.start_datetime)}
        and ts <= ${new Date(row.end_datetime)}
      group by ts
    ) s`.execute(db);
  const pairs = JSON.parse(rows[0]?.samples ?? '[]') as [number, number][];
  const heartRate = pairs.map(([ts, bpm]) => ({ ts, bpm }));
  const bpms = heartRate.map((s) => s.bpm);
  return {
    workout,
    heartRate,
    heartRateSummary:
      bpms.length === 0
        ? null
        : {
            average: Math.round(bpms.reduce((a, b) => a + b, 0) / bpms.length),
            min: Math.min(...bpms),
            max: Math.max(...bpms),
          },
  };
}
