import {
  dailyActivity,
  dailyCardiovascularAge,
  dailyReadiness,
  dailyResilience,
  dailySleep,
  dailySpo2,
  dailyStress,
  sleepTime,
  vo2Max,
} from './daily.ts';
import { enhancedTag, restModePeriod, ringConfiguration, session, tag, workout } from './events.ts';
import { sleepPeriod } from './sleep.ts';
import type { AnyProjection, DocumentDataType, DocumentTable, ProjectionTable } from './types.ts';

/** The typed table of every document data type. */
export const PROJECTIONS: Readonly<Record<DocumentDataType, AnyProjection>> = {
  sleep: sleepPeriod,
  daily_sleep: dailySleep,
  daily_readiness: dailyReadiness,
  daily_activity: dailyActivity,
  daily_spo2: dailySpo2,
  daily_stress: dailyStress,
  daily_resilience: dailyResilience,
  daily_cardiovascular_age: dailyCardiovascularAge,
  vo2_max: vo2Max,
  workout,
  session,
  sleep_time: sleepTime,
  enhanced_tag: enhancedTag,
  tag,
  rest_mode_period: restModePeriod,
  ring_configuration: ringConfiguration,
};

export const DOCUMENT_TABLES: readonly DocumentTable[] = Object.values(PROJECTIONS).map(
  (p) => p.table,
);

/** Every projection table: `snowtorch rebuild` empties and re-derives exactly these. */
export const PROJECTION_TABLES: readonly ProjectionTable[] = [
  ...DOCUMENT_TABLES,
  'heart_rate_sample',
  'battery_sample',
];
