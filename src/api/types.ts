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
  /**
   * Setup needs the setup token the server printed at start (it listens beyond this machine):
   * the first visitor of a public server must not become its owner.
   */
  setupTokenRequired: boolean;
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
  /** That night's blood oxygen (average %) and breathing disturbance index, when measured. */
  spo2: { average: number | null; breathingDisturbanceIndex: number | null } | null;
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

// ---- Insights: body signals, sleep debt, regularity and chronotype, weekly report ----

export type SignalKey = 'restingHr' | 'hrv' | 'temperature' | 'breath' | 'spo2';

/** One signal on one day against its own trailing baseline (median and MAD of ≤ 60 nights). */
export interface SignalDeviation {
  key: SignalKey;
  value: number | null;
  /** Baseline median; null while fewer than the minimum baseline nights exist. */
  baseline: number | null;
  /** MAD × 1.4826 (a robust SD). */
  scale: number | null;
  /** Nights in the baseline. */
  n: number;
  /** value − baseline, in the signal's unit (HRV: ms). */
  delta: number | null;
  /** Robust z: delta / scale. */
  z: number | null;
  /** Moved beyond the threshold in the direction illness moves it. */
  unusual: boolean;
}

export interface SignalDay {
  day: string;
  signals: SignalDeviation[];
  /** Several signals moved together the way they do at the start of an illness. */
  flagged: boolean;
  /** 'building' while the baseline holds too few nights to judge; 'ok' otherwise. */
  status: 'ok' | 'building' | 'no_data';
  /** Plain words, e.g. "Resting HR +5.1 bpm (z 3.4), temperature +0.62 °C (z 5.1)". */
  summary: string;
}

export interface SignalsResponse {
  range: { from: string; to: string };
  baselineDays: number;
  minBaselineNights: number;
  zThreshold: number;
  days: SignalDay[];
  /** Runs of consecutive flagged days. */
  episodes: { start: string; end: string; days: number; signals: SignalKey[] }[];
}

export interface SleepNeedEstimate {
  /** Minutes of sleep a night. */
  minutes: number;
  /** 'settings' when the user set it, 'history' when estimated. */
  source: 'settings' | 'history' | 'default';
  /** 95 % interval of the estimate (history only). */
  interval: [number, number] | null;
  n: number;
}

export interface SleepDebtResult {
  /** The day the debt is computed for (its night is the last one counted). */
  day: string;
  need: SleepNeedEstimate;
  /** Weighted debt over the last 14 nights, minutes (≥ 0); null with too few nights. */
  debtMinutes: number | null;
  /** Nights with data among the 14. */
  n: number;
  windowNights: number;
  nights: {
    day: string;
    sleepMinutes: number | null;
    weight: number;
    shortfallMinutes: number | null;
  }[];
  /** Bedtime window tonight that repays part of the debt before the usual wake time. */
  bedtime: {
    /** Minutes after local midnight (may exceed 1440 past midnight); earliest and latest. */
    earliest: number;
    latest: number;
    usualWake: number;
    /** Minutes of sleep the window aims for (need + repayment). */
    targetSleepMinutes: number;
    repayMinutes: number;
    /** Median time in bed / time asleep, from the same nights. */
    efficiency: number;
    n: number;
  } | null;
  message: string;
}

export interface SriWindow {
  days: number;
  /** Sleep Regularity Index −100..100; null with too few day pairs. */
  sri: number | null;
  /** Day pairs (24 h apart, both recorded) that the index is computed from. */
  pairs: number;
  /** 95 % bootstrap interval over day pairs. */
  interval: [number, number] | null;
}

export interface ChronotypeResult {
  workDays: number[];
  nWork: number;
  nFree: number;
  /** Mid-sleep on work / free days, minutes after local midnight (circular mean). */
  midSleepWork: number | null;
  midSleepFree: number | null;
  /** Sleep duration (onset to wake), minutes. */
  durationWork: number | null;
  durationFree: number | null;
  /** MSF − MSW, minutes (positive: later on free days), with a 95 % interval. */
  socialJetlag: number | null;
  socialJetlagInterval: [number, number] | null;
  /** Mid-sleep on free days corrected for oversleep (Roenneberg MSFsc), minutes after midnight. */
  msfsc: number | null;
  message: string;
}

export interface RegularityResponse {
  to: string;
  sri: SriWindow[];
  chronotype: ChronotypeResult;
  /** Per-day SRI over a trailing 7 days, for the chart. */
  daily: { day: string; sri: number | null }[];
}

export interface InsightSettings {
  /** Minutes; null: estimate from history. */
  sleepNeedMinutes: number | null;
  /** ISO weekdays 1 (Monday) … 7 (Sunday) that are work days (the night before waking on one). */
  workDays: number[];
}

export interface WeekMetric {
  key: string;
  label: string;
  unit: UnitKind;
  higherIsBetter: boolean | null;
  /** Mean over the week's nights. */
  mean: number | null;
  n: number;
  /** Mean and SD of the 60 nights before the week. */
  baseline: number | null;
  baselineSd: number | null;
  baselineN: number;
  /** mean − baseline, with a 95 % interval (Welch). */
  delta: number | null;
  deltaInterval: [number, number] | null;
}

export interface WeekReport {
  user: string;
  /** Monday and Sunday of the ISO week (wake-up days). */
  from: string;
  to: string;
  nights: number;
  metrics: WeekMetric[];
  best: { day: string; score: number } | null;
  worst: { day: string; score: number } | null;
  debt: SleepDebtResult;
  regularity: { sri: SriWindow; chronotype: ChronotypeResult };
  flags: SignalDay[];
  /** Tags logged on the week's days, counted from the stored tags. */
  tags: { tag: string; days: string[] }[];
}

/** A tag, enhanced tag or workout drawn on the charts, with its text for hover, tap and focus. */
export interface AnnotationView {
  /** Local day the tag or workout belongs to; its effect shows on the night of the next day. */
  day: string;
  kind: 'tag' | 'workout';
  /** Experiment subject key: 'tag:tag_generic_alcohol', 'tag:custom:Cold plunge', 'workout:running'. */
  subject: string;
  label: string;
  /** Local start time with offset, null for legacy day notes without a time. */
  start: string | null;
  end: string | null;
  /** The note written with the tag (legacy tags: their text), or workout details. */
  text: string | null;
}

export interface AnnotationsResponse {
  range: { key: RangeKey; from: string; to: string };
  annotations: AnnotationView[];
}

/** Something a tag experiment can compare: a tag, a workout type (nights after such days). */
export interface ExperimentSubject {
  key: string;
  label: string;
  kind: 'tag' | 'workout';
  /** Days carrying it in the analysed window. */
  days: number;
}

export interface ExperimentSubjectsResponse {
  from: string;
  to: string;
  subjects: ExperimentSubject[];
  /** Outcomes that can be chosen (metric catalogue keys). */
  outcomes: MetricInfo[];
}

export interface ExperimentOutcomeView {
  metric: MetricInfo;
  nExposed: number;
  nOther: number;
  meanExposed: number | null;
  meanOther: number | null;
  /** Exposed minus other, weekday and weekend nights compared separately then weighted. */
  difference: number | null;
  relative: number | null;
  hedgesG: number | null;
  /** Bootstrap 95 % interval of the difference (null with fewer than 5 nights in a group). */
  lower: number | null;
  upper: number | null;
  verdict: 'higher' | 'lower' | 'no_evidence' | 'too_few';
  sentence: string;
}

export interface ExperimentResponse {
  subject: { key: string; label: string };
  /** The nights compared, inclusive wake-up days. */
  from: string;
  to: string;
  /** Which nights are "exposed", in words. */
  exposedLabel: string;
  otherLabel: string;
  resamples: number;
  outcomes: ExperimentOutcomeView[];
}

export interface CorrelationResponse {
  x: MetricInfo;
  y: MetricInfo;
  /** y is read this many days after x. */
  lag: number;
  from: string;
  to: string;
  n: number;
  rho: number | null;
  lower: number | null;
  upper: number | null;
  p: number | null;
  /** Theil–Sen trend line of y on x (raw units). */
  line: { slope: number; intercept: number } | null;
  points: { day: string; x: number; y: number }[];
  sentence: string;
}

export interface AssociationView {
  x: MetricInfo;
  y: MetricInfo;
  lag: number;
  n: number;
  rho: number;
  lower: number;
  upper: number;
  p: number;
  /** Benjamini–Hochberg adjusted p-value over every test of the run. */
  q: number;
}

export interface AssociationsResponse {
  from: string;
  to: string;
  /** Tests run (pairs × lags) and the false-discovery rate the list is controlled at. */
  tested: number;
  fdr: number;
  associations: AssociationView[];
}
