import { sql } from 'kysely';
import type { Db } from '../database.ts';

/**
 * Tags logged on days in [from, to], one row per tag and day: enhanced tags by their type code
 * (or custom name), legacy tags by each of their labels.
 */
export async function getTagDays(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<{ tag: string; day: string }[]> {
  const result = await sql<{ rows: string | null }>`
    select json_agg(json_build_object('tag', tag, 'day', day) order by tag, day)::text as rows
    from (
      select distinct coalesce(custom_name, tag_type_code, 'tag') as tag, start_day::text as day
      from enhanced_tag where user_id = ${userId} and start_day between ${from} and ${to}
      union
      select distinct t.label as tag, day::text as day
      from tag, unnest(tags) as t(label) where user_id = ${userId} and day between ${from} and ${to}
    ) as tags`.execute(db);
  return JSON.parse(result.rows[0]?.rows ?? '[]') as { tag: string; day: string }[];
}
