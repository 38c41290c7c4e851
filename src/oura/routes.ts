import { DATA_TYPES, type DataType } from '../api/dataTypes.ts';

export { DATA_TYPES, type DataType };

/**
 * The Oura API v2 usercollection routes, as listed by the OpenAPI document v1.37
 * (`spec/oura-openapi-1.37.json`, paths `/v2/usercollection/*`). This registry is the one place
 * that describes them: the client, the simulator, the sync engine and storage all read it. The
 * list of data types itself is src/api/dataTypes.ts, which the dashboard shares.
 */

/** How a list route is ranged. */
export type RangeKind =
  /** `start_date` / `end_date` (local dates; the API reads date-only `end_date` as midnight). */
  | 'date'
  /** `start_datetime` / `end_datetime` (time series: heartrate, ring_battery_level). */
  | 'datetime'
  /** No range parameters (ring_configuration: `next_token` and `fields` only). */
  | 'none';

export interface RouteInfo {
  /** Data type name as used in the URL path segment (note `vO2_max`). */
  readonly path: string;
  /** Name used for it in webhooks and in Snowtorch's own tables/CLI (`vo2_max`). */
  readonly dataType: DataType;
  readonly range: RangeKind;
  /** Whether `GET /v2/usercollection/<path>/{document_id}` exists. */
  readonly single: boolean;
  /** OAuth scope that grants the route (spec 1.37 names; newer grants may be prefixed). */
  readonly scope: OuraScope;
  /** Whether Oura delivers webhooks for this data type. */
  readonly webhook: boolean;
  /** Component schema name of one document in the spec. */
  readonly schema: string;
}

export const OURA_SCOPES = [
  'email',
  'personal',
  'daily',
  'heartrate',
  'workout',
  'tag',
  'session',
  'spo2Daily',
] as const;
export type OuraScope = (typeof OURA_SCOPES)[number];

const route = (
  dataType: DataType,
  range: RangeKind,
  scope: OuraScope,
  schema: string,
  opts: { path?: string; single?: boolean; webhook?: boolean } = {},
): RouteInfo => ({
  dataType,
  path: opts.path ?? dataType,
  range,
  scope,
  schema,
  single: opts.single ?? true,
  webhook: opts.webhook ?? true,
});

export const ROUTES: Readonly<Record<DataType, RouteInfo>> = {
  sleep: route('sleep', 'date', 'daily', 'PublicModifiedSleepModel'),
  daily_sleep: route('daily_sleep', 'date', 'daily', 'PublicDailySleep'),
  daily_readiness: route('daily_readiness', 'date', 'daily', 'PublicDailyReadiness'),
  daily_activity: route('daily_activity', 'date', 'daily', 'PublicDailyActivity'),
  daily_spo2: route('daily_spo2', 'date', 'spo2Daily', 'PublicDailySpO2'),
  daily_stress: route('daily_stress', 'date', 'daily', 'PublicDailyStress'),
  daily_resilience: route('daily_resilience', 'date', 'daily', 'DailyResilienceModel'),
  daily_cardiovascular_age: route(
    'daily_cardiovascular_age',
    'date',
    'daily',
    'PublicDailyCardiovascularAge',
  ),
  vo2_max: route('vo2_max', 'date', 'daily', 'PublicVO2Max', { path: 'vO2_max' }),
  workout: route('workout', 'date', 'workout', 'PublicWorkout'),
  session: route('session', 'date', 'session', 'PublicSession'),
  sleep_time: route('sleep_time', 'date', 'daily', 'PublicSleepTime'),
  enhanced_tag: route('enhanced_tag', 'date', 'tag', 'EnhancedTagModel'),
  tag: route('tag', 'date', 'tag', 'TagModel'),
  rest_mode_period: route('rest_mode_period', 'date', 'daily', 'PublicRestModePeriod'),
  ring_configuration: route('ring_configuration', 'none', 'daily', 'PublicRingConfiguration'),
  heartrate: route('heartrate', 'datetime', 'heartrate', 'PublicHeartRateRow', {
    single: false,
    webhook: false,
  }),
  ring_battery_level: route(
    'ring_battery_level',
    'datetime',
    'daily',
    'PublicRingBatteryLevelRow',
    {
      single: false,
      webhook: false,
    },
  ),
};

/** Time-series routes: ranged by instants, no single-document route, no webhooks. */
export type TimeSeriesDataType = 'heartrate' | 'ring_battery_level';
/** Every other route returns documents with an `id`. */
export type DocumentDataType = Exclude<DataType, TimeSeriesDataType>;

export function isTimeSeriesType(type: DataType): type is TimeSeriesDataType {
  return type === 'heartrate' || type === 'ring_battery_level';
}

export const DOCUMENT_DATA_TYPES = DATA_TYPES.filter(
  (t): t is DocumentDataType => !isTimeSeriesType(t),
) as [DocumentDataType, ...DocumentDataType[]];

export function isDataType(value: string): value is DataType {
  return (DATA_TYPES as readonly string[]).includes(value);
}

/** Resolve a URL path segment (`vO2_max`) or a data type name (`vo2_max`) to the route. */
export function routeByPath(path: string): RouteInfo | undefined {
  return Object.values(ROUTES).find((r) => r.path === path || r.dataType === path);
}
