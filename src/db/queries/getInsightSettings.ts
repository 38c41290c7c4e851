import type { InsightSettings } from '../../api/types.ts';
import type { Db } from '../database.ts';

export const DEFAULT_INSIGHT_SETTINGS: InsightSettings = {
  sleepNeedMinutes: null,
  workDays: [1, 2, 3, 4, 5],
};

/** The user's insight settings, or the defaults when never set. */
export async function getInsightSettings(db: Db, userId: number): Promise<InsightSettings> {
  const row = await db
    .selectFrom('insight_settings')
    .select(['sleep_need_minutes', 'work_days'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return { ...DEFAULT_INSIGHT_SETTINGS };
  return {
    sleepNeedMinutes: row.sleep_need_minutes,
    workDays: [...row.work_days].map(Number).sort((a, b) => a - b),
  };
}
