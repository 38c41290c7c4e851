/**
 * Shapes of the JSON API's responses: the server's routes build them, the dashboard (web/)
 * imports them as types only. Durations are seconds, heart rate bpm, HRV (RMSSD) ms,
 * temperatures °C deviations; days are local wake-up days 'YYYY-MM-DD'.
 */

export type UnitKind =
  | 'score'
  | 'seconds'
  | 'bpm'
  | 'ms'
  | 'percent'
  | 'celsius_delta'
  | 'breaths_per_min'
  | 'steps'
  | 'kcal'
  | 'meters'
  | 'count'
  | 'years'
  | 'vo2'
  | 'meters_per_second'
  | 'index'
  | 'level'
  | 'clock_minutes';

export interface MetricInfo {
  key: string;
  label: string;
  unit: UnitKind;
  group: 'sleep' | 'readiness' | 'activity' | 'breathing' | 'stress' | 'heart';
  /** Whether a higher value is the better one (for colouring comparisons); null when neutral. */
  higherIsBetter: boolean | null;
}

export interface MeResponse {
  /** The logged-in user; null before login. */
  user: { id: number; name: string; role: 'owner' | 'member'; hasPassword: boolean } | null;
  /** No owner yet: the dashboard shows the setup page. */
  setupNeeded: boolean;
  /** Echo in header `x-csrf-token` on every POST/PUT/PATCH/DELETE. */
  csrfToken: string;
  /** Whether "Connect Oura" works on this server (OAuth client and key configured). */
  oauthAvailable: boolean;
  /** Data types the granted scopes allow, and those they do not. */
  dataTypes: { granted: string[]; missing: string[] };
  /** 'none' when no Oura grant is stored; 'reconnect_needed' after Oura rejected the grant. */
  connection: { status: 'none' | 'active' | 'reconnect_needed' | string; scopes: string[] };
  firstNight: string | null;
  lastNight: string | null;
  syncRunning: boolean;
  metrics: MetricInfo[];
}

export interface Compared {
  value: number | null;
  /** Median of the same measure over the 30 nights before this one. */
  median30: number | null;
}

export interface SampleSeries {
  /** Epoch milliseconds of the first item (from the series' own timestamp). */
  start: number;
  /** Seconds between items. */
  interval: number;
  items: (number | null)[];
}

export interface SleepPeriodView {
  id: string;
  type: string;
  day: string;
  /** As Oura sent them, with the night's own UTC offset. */
  bedtimeStart: string;
  bedtimeEnd: string;
  /** Local wall-clock times in the night's own time zone: 'HH:MM' (24 h). */
  bedtimeLocal: string;
  wakeLocal: string;
  /** UTC offset at bedtime in minutes (charts place their axis in it). */
  utcOffsetMinutes: number;
  totalSleep: number | null;
  remSleep: number | null;
  deepSleep: number | null;
  lightSleep: number | null;
  awake: number | null;
  timeInBed: number | null;
  latency: number | null;
  efficiency: number | null;
  lowestHeartRate: number | null;
  averageHeartRate: number | null;
  averageHrv: number | null;
  averageBreath: number | null;
  /** '1' deep, '2' light, '3' REM, '4' awake per step, from the 30-second string when present. */
  hypnogram: { start: number; interval: number; stages: string } | null;
  heartRate: SampleSeries | null;
  hrv: SampleSeries | null;
  /** movement_30_sec: 1 no motion ... 4 active. */
  movement: SampleSeries | null;
}

export interface NightResponse {
  day: string;
  prevDay: string | null;
  nextDay: string | null;
  night: SleepPeriodView | null;
  naps: SleepPeriodView[];
  sleepScore: { score: number | null; contributors: Record<string, number | null> } | null;
  readiness: {
    score: number | null;
    temperatureDeviation: number | null;
    temperatureTrendDeviation: number | null;
    contributors: Record<string, number | null>;
  } | null;
  /** Each headline number with the user's own 30-night median. */
  compare: Record<string, Compared>;
}

export type RangeKey = '7d' | '30d' | '90d' | '1y' | 'all';

export interface TrendResponse {
  metric: MetricInfo;
  range: { key: RangeKey; from: string; to: string };
  days: string[];
  values: (number | null)[];
  rolling7: (number | null)[];
  baselineMean: (number | null)[];
  baselineLower: (number | null)[];
  baselineUpper: (number | null)[];
  /** True when the series was reduced (LTTB) to stay under the point budget. */
  downsampled: boolean;
  summary: {
    count: number;
    mean: number | null;
    median: number | null;
    min: number | null;
    max: number | null;
    latest: number | null;
  };
}

export interface StagesResponse {
  range: { key: RangeKey; from: string; to: string };
  /** 'day' for short ranges; 'week' averages per ISO week for long ones. */
  bucket: 'day' | 'week';
  days: string[];
  deep: (number | null)[];
  light: (number | null)[];
  rem: (number | null)[];
  awake: (number | null)[];
}

export interface TimingResponse {
  range: { key: RangeKey; from: string; to: string };
  days: string[];
  /** Minutes after the wake day's local midnight (negative: the evening before). */
  bedtime: number[];
  wake: number[];
  regularity: {
    nights: number;
    meanBedtime: number | null;
    meanWake: number | null;
    bedtimeSdMinutes: number | null;
    wakeSdMinutes: number | null;
    midpointSdMinutes: number | null;
  };
}

export interface WeekdayResponse {
  metric: MetricInfo;
  range: { key: RangeKey; from: string; to: string };
  weekdays: { weekday: number; mean: number | null; count: number }[];
  workdayMean: number | null;
  weekendMean: number | null;
}

export interface HeartRateResponse {
  day: string;
  prevDay: string | null;
  nextDay: string | null;
  utcOffsetMinutes: number;
  /** Epoch ms and bpm, min/max-bucketed to at most 2,000 points; null bpm marks a gap. */
  times: number[];
  bpm: (number | null)[];
  sampleCount: number;
  summary: { min: number | null; max: number | null; mean: number | null };
}

export interface WorkoutView {
  id: string;
  day: string;
  activity: string;
  intensity: string | null;
  source: string | null;
  label: string | null;
  /** Oura's start and end, ISO 8601 in the workout's own UTC offset. */
  start: string;
  end: string;
  utcOffsetMinutes: number;
  durationSeconds: number;
  calories: number | null;
  distance: number | null;
}

/** GET /api/workouts/:id: one workout and the heart rate stored over it. */
export interface WorkoutDetailResponse {
  workout: WorkoutView;
  /** Heart-rate samples from the stored series between start and end (epoch ms, bpm). */
  heartRate: { ts: number; bpm: number }[];
  /** Over those samples; null when the series holds none for the workout. */
  heartRateSummary: { average: number; min: number; max: number } | null;
}

export interface WorkoutsResponse {
  range: { key: RangeKey; from: string; to: string };
  workouts: WorkoutView[];
  weeks: { week: string; count: number; minutes: number; calories: number }[];
  byActivity: { activity: string; count: number; minutes: number }[];
}

export type CoverageStatus = 'data' | 'partial' | 'gap' | 'non_wear' | 'low_battery' | 'future';

export interface CoverageResponse {
  from: string;
  to: string;
  days: {
    day: string;
    status: CoverageStatus;
    sleep: boolean;
    readiness: boolean;
    activity: boolean;
    heartRate: boolean;
    nonWearMinutes: number | null;
    lowBattery: boolean;
  }[];
}

export interface SyncJobView {
  id: number;
  state: 'running' | 'succeeded' | 'partial' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  /** Data types done so far out of the total, and the one being fetched. */
  done: number;
  total: number;
  current: string | null;
  message: string | null;
}

export interface SyncStatusResponse {
  connection: MeResponse['connection'];
  dataTypes: {
    dataType: string;
    documents: number;
    lastDay: string | null;
    lastSuccessAt: string | null;
    completeUntil: string | null;
    lastError: string | null;
    /** Time series (heartrate, ring_battery_level): stored samples and the instants they span. */
    samples: { count: number; first: string | null; last: string | null } | null;
  }[];
  runs: {
    id: number;
    startedAt: string;
    finishedAt: string | null;
    status: string;
    trigger: string;
    fetched: number;
    errors: { dataType: string; code: string; message: string }[];
  }[];
  invalidDocuments: number;
  job: SyncJobView | null;
}

/** GET /api/webhooks/health: are Oura webhooks delivering? Polling runs whatever the state. */
export interface WebhookHealthResponse {
  /**
   * 'none': no subscriptions (the common case: polling only); 'ok'; 'silent': no delivery for
   * 48 h while subscribed; 'expired': every subscription expired.
   */
  state: 'none' | 'ok' | 'silent' | 'expired';
  /** Minutes between scheduled syncs (0: no periodic syncs). */
  pollIntervalMinutes: number;
  subscriptions: number;
  activeSubscriptions: number;
  /** Soonest expiry among unexpired subscriptions; when all expired, the latest; ISO or null. */
  nextExpiry: string | null;
  /** An active subscription expires within 7 days (`snowtorch webhooks sync` renews it). */
  expiresSoon: boolean;
  /** Last delivery received by this server (any member or type), ISO, or null. */
  lastEventAt: string | null;
  eventsLast24h: number;
}
