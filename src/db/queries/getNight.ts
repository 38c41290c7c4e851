import { type Selectable, sql } from 'kysely';
import type { Compared, NightResponse, SampleSeries, SleepPeriodView } from '../../api/types.ts';
import { addDays } from '../../insights/days.ts';
import { isoWithOffset, localClock, minutesFromLocalMidnight } from '../../insights/localTime.ts';
import { median } from '../../insights/stats.ts';
import type { Db } from '../database.ts';
import type { SleepNapView } from '../schema.ts';
import { selectJsonRows } from './jsonRows.ts';

const DETAIL_COLUMNS = [
  'day',
  'id',
  'type',
  'bedtime_start',
  'bedtime_end',
  'utc_offset_minutes',
  'end_utc_offset_minutes',
  'time_in_bed',
  'total_sleep_duration',
  'deep_sleep_duration',
  'light_sleep_duration',
  'rem_sleep_duration',
  'awake_time',
  'latency',
  'efficiency',
  'average_breath',
  'average_heart_rate',
  'lowest_heart_rate',
  'average_hrv',
  'sleep_phase_5_min',
  'sleep_phase_30_sec',
  'movement_30_sec',
  'heart_rate_interval',
  'heart_rate_start',
  'heart_rate_items',
  'hrv_interval',
  'hrv_start',
  'hrv_items',
] as const;

type PeriodRow = Pick<Selectable<SleepNapView>, (typeof DETAIL_COLUMNS)[number]>;

const COMPARE_WINDOW_DAYS = 30;

function series(
  start: Date | null,
  interval: number | null,
  items: (number | null)[] | null,
): SampleSeries | null {
  if (!start || !interval || !items || items.length === 0) return null;
  return { start: start.getTime(), interval, items };
}

function movementSeries(row: PeriodRow): SampleSeries | null {
  if (!row.movement_30_sec) return null;
  const items = [...row.movement_30_sec].map((c) => {
    const n = Number(c);
    return Number.isFinite(n) && n > 0 ? n : null;
  });
  return { start: row.bedtime_start.getTime(), interval: 30, items };
}

/** One sleep period as the dashboard shows it (local times in the night's own offsets). */
export function toPeriodView(row: PeriodRow): SleepPeriodView {
  const startOffset = row.utc_offset_minutes ?? 0;
  const endOffset = row.end_utc_offset_minutes ?? startOffset;
  const thirty = row.sleep_phase_30_sec;
  const five = row.sleep_phase_5_min;
  return {
    id: row.id,
    type: row.type,
    day: row.day,
    bedtimeStart: isoWithOffset(row.bedtime_start, startOffset),
    bedtimeEnd: isoWithOffset(row.bedtime_end, endOffset),
    bedtimeLocal: localClock(row.bedtime_start, startOffset),
    wakeLocal: localClock(row.bedtime_end, endOffset),
    utcOffsetMinutes: startOffset,
    totalSleep: row.total_sleep_duration,
    remSleep: row.rem_sleep_duration,
    deepSleep: row.deep_sleep_duration,
    lightSleep: row.light_sleep_duration,
    awake: row.awake_time,
    timeInBed: row.time_in_bed,
    latency: row.latency,
    efficiency: row.efficiency,
    lowestHeartRate: row.lowest_heart_rate,
    averageHeartRate: row.average_heart_rate,
    averageHrv: row.average_hrv,
    averageBreath: row.average_breath,
    // The 30-second string is the finer one; fall back to the 5-minute one (older records).
    hypnogram: thirty
      ? { start: row.bedtime_start.getTime(), interval: 30, stages: thirty }
      : five
        ? { start: row.bedtime_start.getTime(), interval: 300, stages: five }
        : null,
    heartRate: series(row.heart_rate_start, row.heart_rate_interval, row.heart_rate_items),
    hrv: series(row.hrv_start, row.hrv_interval, row.hrv_items),
    movement: movementSeries(row),
  };
}

/**
 * Everything the night page shows for one wake-up day: the main night, that day's naps, the
 * day's sleep score and readiness, neighbouring nights, and each headline number next to the
 * median of the 30 nights before it.
 */
export async function getNight(db: Db, userId: number, day: string): Promise<NightResponse> {
  const windowStart = addDays(day, -COMPARE_WINDOW_DAYS);
  // Seven statements, sent at once: each round trip counts.
  const [night, naps, sleepDays, readinessDays, neighbours, history, spo2] = await Promise.all([
    db
      .selectFrom('sleep_night')
      .select(DETAIL_COLUMNS)
      .where('user_id', '=', userId)
      .where('day', '=', day)
      .executeTakeFirst(),
    db
      .selectFrom('sleep_nap')
      .select(DETAIL_COLUMNS)
      .where('user_id', '=', userId)
      .where('day', '=', day)
      .orderBy('bedtime_start')
      .execute(),
    // The day's sleep score and the 30 days before it, in one go.
    db
      .selectFrom('daily_sleep')
      .selectAll()
      .where('user_id', '=', userId)
      .where('day', '>=', windowStart)
      .where('day', '<=', day)
      .execute(),
    db
      .selectFrom('daily_readiness')
      .selectAll()
      .where('user_id', '=', userId)
      .where('day', '>=', windowStart)
      .where('day', '<=', day)
      .execute(),
    sql<{ prev: string | null; next: string | null }>`
      select
        (select max(sleep_day) from sleep_period
          where user_id = ${userId} and type = 'long_sleep' and sleep_day < ${day}) as prev,
        (select min(sleep_day) from sleep_period
          where user_id = ${userId} and type = 'long_sleep' and sleep_day > ${day}) as next`.execute(
      db,
    ),
    selectJsonRows<{
      day: string;
      bedtime_start: string;
      bedtime_end: string;
      utc_offset_minutes: number | null;
      end_utc_offset_minutes: number | null;
      total_sleep_duration: number | null;
      rem_sleep_duration: number | null;
      deep_sleep_duration: number | null;
      light_sleep_duration: number | null;
      awake_time: number | null;
      efficiency: number | null;
      latency: number | null;
      lowest_heart_rate: number | null;
      average_heart_rate: number | null;
      average_hrv: number | null;
      average_breath: number | null;
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
          'rem_sleep_duration',
          'deep_sleep_duration',
          'light_sleep_duration',
          'awake_time',
          'efficiency',
          'latency',
          'lowest_heart_rate',
          'average_heart_rate',
          'average_hrv',
          'average_breath',
        ])
        .where('user_id', '=', userId)
        .where('day', '>=', windowStart)
        .where('day', '<', day),
    ),
    db
      .selectFrom('daily_spo2')
      .select(['spo2_percentage_average', 'breathing_disturbance_index'])
      .where('user_id', '=', userId)
      .where('day', '=', day)
      .executeTakeFirst(),
  ]);
  const sleepScore = sleepDays.find((r) => r.day === day);
  const scoreHistory = sleepDays.filter((r) => r.day < day);
  const readiness = readinessDays.find((r) => r.day === day);
  const readinessHistory = readinessDays.filter((r) => r.day < day);
  const prev = { day: neighbours.rows[0]?.prev ?? null };
  const next = { day: neighbours.rows[0]?.next ?? null };

  const bedMinutes = (r: {
    bedtime_start: Date | string;
    utc_offset_minutes: number | null;
    day: string;
  }) => minutesFromLocalMidnight(new Date(r.bedtime_start), r.utc_offset_minutes ?? 0, r.day);
  const wakeMinutes = (r: {
    bedtime_end: Date | string;
    end_utc_offset_minutes: number | null;
    utc_offset_minutes: number | null;
    day: string;
  }) =>
    minutesFromLocalMidnight(
      new Date(r.bedtime_end),
      r.end_utc_offset_minutes ?? r.utc_offset_minutes ?? 0,
      r.day,
    );

  const compared = <T>(
    value: number | null | undefined,
    rows: T[],
    pick: (r: T) => number | null,
  ): Compared => ({
    value: value ?? null,
    median30: median(rows.map(pick)),
  });
  const compare: Record<string, Compared> = {
    sleepScore: compared(sleepScore?.score, scoreHistory, (r) => r.score),
    readiness: compared(readiness?.score, readinessHistory, (r) => r.score),
    temperatureDeviation: compared(
      readiness?.temperature_deviation,
      readinessHistory,
      (r) => r.temperature_deviation,
    ),
    totalSleep: compared(night?.total_sleep_duration, history, (r) => r.total_sleep_duration),
    remSleep: compared(night?.rem_sleep_duration, history, (r) => r.rem_sleep_duration),
    deepSleep: compared(night?.deep_sleep_duration, history, (r) => r.deep_sleep_duration),
    lightSleep: compared(night?.light_sleep_duration, history, (r) => r.light_sleep_duration),
    awake: compared(night?.awake_time, history, (r) => r.awake_time),
    efficiency: compared(night?.efficiency, history, (r) => r.efficiency),
    latency: compared(night?.latency, history, (r) => r.latency),
    lowestHeartRate: compared(night?.lowest_heart_rate, history, (r) => r.lowest_heart_rate),
    averageHeartRate: compared(night?.average_heart_rate, history, (r) => r.average_heart_rate),
    averageHrv: compared(night?.average_hrv, history, (r) => r.average_hrv),
    averageBreath: compared(night?.average_breath, history, (r) => r.average_breath),
    bedtime: compared(night ? bedMinutes(night) : null, history, bedMinutes),
    wake: compared(night ? wakeMinutes(night) : null, history, wakeMinutes),
  };

  return {
    day,
    prevDay: prev?.day ?? null,
    nextDay: next?.day ?? null,
    night: night ? toPeriodView(night) : null,
    naps: naps.map(toPeriodView),
    sleepScore: sleepScore
      ? {
          score: sleepScore.score,
          contributors: {
            total_sleep: sleepScore.contributor_total_sleep,
            efficiency: sleepScore.contributor_efficiency,
            restfulness: sleepScore.contributor_restfulness,
            rem_sleep: sleepScore.contributor_rem_sleep,
            deep_sleep: sleepScore.contributor_deep_sleep,
            latency: sleepScore.contributor_latency,
            timing: sleepScore.contributor_timing,
          },
        }
      : null,
    readiness: readiness
      ? {
          score: readiness.score,
          temperatureDeviation: readiness.temperature_deviation,
          temperatureTrendDeviation: readiness.temperature_trend_deviation,
          contributors: {
            activity_balance: readiness.contributor_activity_balance,
            body_temperature: readiness.contributor_body_temperature,
            hrv_balance: readiness.contributor_hrv_balance,
            previous_day_activity: readiness.contributor_previous_day_activity,
            previous_night: readiness.contributor_previous_night,
            recovery_index: readiness.contributor_recovery_index,
            resting_heart_rate: readiness.contributor_resting_heart_rate,
            sleep_balance: readiness.contributor_sleep_balance,
            sleep_regularity: readiness.contributor_sleep_regularity,
          },
        }
      : null,
    spo2: spo2
      ? {
          average: spo2.spo2_percentage_average,
          breathingDisturbanceIndex: spo2.breathing_disturbance_index,
        }
      : null,
    compare,
  };
}
