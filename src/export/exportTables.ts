import { PROJECTIONS } from '../db/projections/index.ts';
import type { DataType } from '../oura/routes.ts';

/** Where a data type's typed rows live and how to page and filter them. */
export interface ExportTable {
  table: string;
  /** Primary key after user_id: the export's row order and keyset. */
  key: readonly string[];
  /** The column `--since` / `--until` filter on (null: the type has no day, all rows go). */
  range: { column: string; kind: 'date' | 'timestamp' } | null;
  /**
   * Rows per page: sample rows are ~40 bytes, so a page of 10,000 is small and a five-year
   * series needs few round trips; document rows carry sample arrays (~10 KB), so fewer.
   */
  batchSize: number;
}

const DOCUMENT_BATCH = 500;
const SAMPLE_BATCH = 10_000;

const DAY_COLUMN: Partial<Record<string, string>> = {
  enhanced_tag: 'start_day',
  rest_mode_period: 'start_day',
};

function documentTable(dataType: keyof typeof PROJECTIONS): ExportTable {
  const table = PROJECTIONS[dataType].table;
  const day = table === 'ring_configuration' ? null : (DAY_COLUMN[table] ?? 'day');
  return {
    table,
    key: ['id'],
    range: day ? { column: day, kind: 'date' } : null,
    batchSize: DOCUMENT_BATCH,
  };
}

/** Every data type's typed table, for the CSV export. */
export const EXPORT_TABLES: Readonly<Record<DataType, ExportTable>> = {
  ...(Object.fromEntries(
    (Object.keys(PROJECTIONS) as (keyof typeof PROJECTIONS)[]).map((t) => [t, documentTable(t)]),
  ) as Record<keyof typeof PROJECTIONS, ExportTable>),
  heartrate: {
    table: 'heart_rate_sample',
    key: ['ts', 'source'],
    range: { column: 'ts', kind: 'timestamp' },
    batchSize: SAMPLE_BATCH,
  },
  ring_battery_level: {
    table: 'battery_sample',
    key: ['ts'],
    range: { column: 'ts', kind: 'timestamp' },
    batchSize: SAMPLE_BATCH,
  },
};

/**
 * The unit or meaning of a typed column, for the README in the CSV archive. Oura reports
 * durations in seconds, scores and contributors on 1-100, temperatures as deviations in °C.
 */
export function columnUnit(column: string, type: string): string {
  const exact: Record<string, string> = {
    id: 'Oura document id',
    day: 'local calendar day (YYYY-MM-DD)',
    sleep_day: 'day the sleep period counts toward (YYYY-MM-DD)',
    ts: 'instant, ISO 8601 UTC',
    bpm: 'beats per minute',
    source: 'heart-rate source (awake, rest, sleep, workout, live, session)',
    level: 'battery level, %',
    average_hrv: 'RMSSD, ms',
    average_heart_rate: 'beats per minute',
    lowest_heart_rate: 'beats per minute',
    average_breath: 'breaths per minute',
    efficiency: '%, time asleep / time in bed',
    latency: 'seconds',
    time_in_bed: 'seconds',
    awake_time: 'seconds',
    restless_periods: 'count',
    steps: 'count',
    calories: 'kcal',
    distance: 'metres',
    equivalent_walking_distance: 'metres',
    target_meters: 'metres',
    meters_to_target: 'metres',
    spo2_percentage_average: '%, blood oxygen saturation',
    breathing_disturbance_index: 'events per hour',
    vo2_max: 'ml/kg/min',
    vascular_age: 'years',
    pulse_wave_velocity: 'm/s',
    stress_high: 'seconds',
    recovery_high: 'seconds',
    size: 'ring size (US)',
    inactivity_alerts: 'count',
    optimal_bedtime_start_offset: 'seconds from local midnight (negative: evening before)',
    optimal_bedtime_end_offset: 'seconds from local midnight (negative: evening before)',
  };
  const known = exact[column];
  if (known) return known;
  if (column.endsWith('utc_offset_minutes')) return 'UTC offset, minutes';
  if (column.endsWith('_duration') || (column.endsWith('_time') && type === 'integer')) {
    return 'seconds';
  }
  if (column.endsWith('temperature_deviation') || column.endsWith('temperature_trend_deviation')) {
    return '°C from the personal baseline';
  }
  if (column.endsWith('score') || column.includes('contributor_')) return 'score, 1-100';
  if (column.endsWith('calories')) return 'kcal';
  if (column.endsWith('met_minutes')) return 'MET minutes';
  if (column.endsWith('_interval')) return 'seconds between samples';
  if (column.endsWith('_items')) return 'JSON array of samples, one per interval from *_start';
  if (column.endsWith('sleep_phase_5_min') || column === 'sleep_phase_30_sec') {
    return 'one character per period: 1 deep, 2 light, 3 REM, 4 awake';
  }
  if (column === 'movement_30_sec') return 'one character per 30 s: 1 still ... 4 active';
  if (column === 'class_5_min') {
    return 'one character per 5 min: 0 non-wear, 1 rest, 2 inactive, 3 low, 4 medium, 5 high';
  }
  if (type.startsWith('timestamp')) return 'instant, ISO 8601 UTC';
  if (type === 'date') return 'calendar day (YYYY-MM-DD)';
  if (type === 'jsonb' || type.endsWith('[]')) return 'JSON';
  if (type === 'boolean') return 'true / false';
  return 'as Oura sent it';
}
