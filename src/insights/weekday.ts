import { weekdayIndex } from './days.ts';
import type { DayValue } from './rolling.ts';
import { mean } from './stats.ts';

export interface WeekdayPattern {
  /** Mean per weekday, Monday first. */
  weekdays: { weekday: number; mean: number | null; count: number }[];
  /** Mean of Monday-Friday days vs Saturday-Sunday days. */
  workdayMean: number | null;
  weekendMean: number | null;
}

/**
 * Weekday vs weekend pattern. A sleep day is the wake-up day, so "Saturday" is the night from
 * Friday to Saturday.
 */
export function weekdayPattern(series: readonly DayValue[]): WeekdayPattern {
  const buckets: number[][] = [[], [], [], [], [], [], []];
  for (const p of series) {
    if (p.value === null || !Number.isFinite(p.value)) continue;
    buckets[weekdayIndex(p.day)]?.push(p.value);
  }
  return {
    weekdays: buckets.map((values, weekday) => ({
      weekday,
      mean: mean(values),
      count: values.length,
    })),
    workdayMean: mean(buckets.slice(0, 5).flat()),
    weekendMean: mean(buckets.slice(5).flat()),
  };
}
