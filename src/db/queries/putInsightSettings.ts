import type { InsightSettings } from '../../api/types.ts';
import type { Db } from '../database.ts';

/** Stores the user's insight settings (one row per user, replaced whole). */
export async function putInsightSettings(
  db: Db,
  userId: number,
  settings: InsightSettings,
): Promise<void> {
  const workDays = [...new Set(settings.workDays)].sort((a, b) => a - b);
  await db
    .insertInto('insight_settings')
    .values({ user_id: userId, sleep_need_minutes: settings.sleepNeedMinutes, work_days: workDays })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        sleep_need_minutes: settings.sleepNeedMinutes,
        work_days: workDays,
        updated_at: new Date(),
      }),
    )
    .execute();
}
