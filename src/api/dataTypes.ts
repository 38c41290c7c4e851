/**
 * Every Oura data type Snowtorch syncs and stores, in Snowtorch's spelling (`vo2_max`), in the
 * order the dashboard lists them. Plain data with no imports, so the browser bundle and the
 * server share this one list (src/oura/routes.ts describes each type's route).
 */
export const DATA_TYPES = [
  'sleep',
  'daily_sleep',
  'daily_readiness',
  'daily_activity',
  'daily_spo2',
  'daily_stress',
  'daily_resilience',
  'daily_cardiovascular_age',
  'vo2_max',
  'workout',
  'session',
  'sleep_time',
  'enhanced_tag',
  'tag',
  'rest_mode_period',
  'ring_configuration',
  'heartrate',
  'ring_battery_level',
] as const;
export type DataType = (typeof DATA_TYPES)[number];
