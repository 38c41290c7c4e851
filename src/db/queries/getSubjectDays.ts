import { sql } from 'kysely';
import type { Db } from '../database.ts';

/**
 * Every (day, subject) pair of [from, to]: enhanced tags by their start day, legacy tag words by
 * their day, workouts by their day. Subjects are raw here ('tag_generic_alcohol', 'custom',
 * activity names); insights/subjects.ts turns them into experiment keys.
 */
export async function getSubjectDays(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<{ day: string; kind: 'tag' | 'workout'; code: string; customName: string | null }[]> {
  const result = await sql<{ rows: string | null }>`
    select json_agg(json_build_array(day, kind, code, custom_name))::text as rows from (
      select distinct start_day as day, 'tag' as kind, coalesce(tag_type_code, 'custom') as code,
        custom_name
      from enhanced_tag where user_id = ${userId} and start_day between ${from} and ${to}
      union
      select distinct day, 'tag', unnest(tags), null from tag
      where user_id = ${userId} and day between ${from} and ${to}
      union
      select distinct day, 'workout', coalesce(activity, 'other'), null from workout
      where user_id = ${userId} and day between ${from} and ${to}
    ) as s`.execute(db);
  const rows = JSON.parse(result.rows[0]?.rows ?? '[]') as [
    string,
    'tag' | 'workout',
    string,
    string | null,
  ][];
  return rows.map(([day, kind, code, customName]) => ({ day, kind, code, customName }));
}
