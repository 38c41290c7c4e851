import type { WeekReport } from '../api/types.ts';
import type { Db } from '../db/database.ts';
import { getDailyValues } from '../db/queries/getDailyValues.ts';
import { getHypnograms } from '../db/queries/getHypnograms.ts';
import { getInsightSettings } from '../db/queries/getInsightSettings.ts';
import { getSignalNights } from '../db/queries/getSignalNights.ts';
import { getSleepNights } from '../db/queries/getSleepNights.ts';
import { getTagDays } from '../db/queries/getTagDays.ts';
import { metricByKey, metricInfo } from '../db/queries/metricCatalog.ts';
import { chronotype } from '../insights/chronotype.ts';
import { addDays } from '../insights/days.ts';
import { bodySignals } from '../insights/signals.ts';
import { sleepDebt } from '../insights/sleepDebt.ts';
import { sriWindow } from '../insights/sri.ts';
import { bestAndWorst, isoWeekStart, weekMetric } from '../insights/weekReport.ts';

/** Metrics the weekly report compares with the baseline, in display order. */
export const WEEK_METRICS = [
  'total_sleep',
  'sleep_score',
  'efficiency',
  'readiness_score',
  'average_hrv',
  'lowest_heart_rate',
  'average_breath',
] as const;

const BASELINE_DAYS = 60;
/** Body-signal baselines need history before the week, and flags before it shape them. */
const SIGNAL_HISTORY_DAYS = 180;
/** Social jetlag needs several free days: it is read over the four weeks ending with this one. */
const CHRONOTYPE_DAYS = 28;

/**
 * The weekly report for the ISO week (Monday to Sunday wake-up days) holding `day`: averages
 * against the 60 nights before, best and worst night, debt, regularity, flags and the tags used.
 * Loads through the dashboard's queries and computes with the same insight functions.
 */
export async function buildWeekReport(
  db: Db,
  user: { id: number; name: string },
  day: string,
): Promise<WeekReport> {
  const from = isoWeekStart(day);
  const to = addDays(from, 6);
  const baseFrom = addDays(from, -BASELINE_DAYS);
  const metrics = [];
  let scores: { day: string; value: number | null }[] = [];
  for (const key of WEEK_METRICS) {
    const source = metricByKey(key);
    if (!source) continue;
    const values = await getDailyValues(db, user.id, source, baseFrom, to);
    const week = values.filter((v) => v.day >= from);
    const info = metricInfo(source);
    metrics.push(
      weekMetric(
        info,
        week,
        values.filter((v) => v.day < from),
      ),
    );
    if (key === 'sleep_score') scores = week;
  }
  const settings = await getInsightSettings(db, user.id);
  const sleepNights = await getSleepNights(db, user.id, addDays(to, -120), to);
  const lastNight = sleepNights.filter((n) => n.day <= to).at(-1)?.day ?? to;
  const debt = sleepDebt(sleepNights, lastNight < from ? to : lastNight, settings.sleepNeedMinutes);
  const hypnograms = await getHypnograms(db, user.id, addDays(from, -1), to);
  const signals = bodySignals(
    await getSignalNights(db, user.id, addDays(from, -SIGNAL_HISTORY_DAYS), to),
  );
  const tagRows = await getTagDays(db, user.id, from, to);
  const tags = new Map<string, string[]>();
  for (const t of tagRows) tags.set(t.tag, [...(tags.get(t.tag) ?? []), t.day]);
  return {
    user: user.name,
    from,
    to,
    nights: sleepNights.filter((n) => n.day >= from && n.day <= to).length,
    metrics,
    ...bestAndWorst(scores),
    debt,
    regularity: {
      sri: sriWindow(hypnograms, to, 7),
      chronotype: chronotype(
        sleepNights.filter((n) => n.day > addDays(to, -CHRONOTYPE_DAYS)),
        settings.workDays,
      ),
    },
    flags: signals.filter((s) => s.day >= from && s.day <= to && s.flagged),
    tags: [...tags.entries()].map(([tag, days]) => ({ tag, days })),
  };
}
