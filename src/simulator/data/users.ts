import { clamp, hash32, rngFor, round, uuidFrom } from './prng.ts';

/** Stable traits of one simulated person; everything day-to-day derives from these and the seed. */
export interface UserProfile {
  readonly index: number;
  readonly name: string;
  /** Root of every random stream of this user (depends on the dataset seed and index only). */
  readonly seed: number;
  readonly homeZone: string;
  /** Trip destinations, most frequent first. */
  readonly destinations: readonly string[];
  readonly sex: 'male' | 'female';
  readonly age: number;
  readonly weightKg: number;
  readonly heightM: number;
  readonly email: string;
  readonly personalId: string;
  /** Usual bedtime, minutes after local midnight of the previous day (1390 = 23:10). */
  readonly bedtimeMin: number;
  readonly bedtimeSd: number;
  /** Usual sleep need in minutes. */
  readonly sleepNeedMin: number;
  readonly restingHr: number;
  readonly hrv: number;
  readonly breath: number;
  readonly vo2: number;
  readonly vascularOffset: number;
  /** Walking minutes on a usual day (outside workouts). */
  readonly walkMinutes: number;
  readonly workoutsPerWeek: number;
  readonly activities: readonly string[];
  readonly targetCalories: number;
  readonly napRate: number;
  readonly sessionRate: number;
  readonly tagRate: number;
  /** Battery drain while worn, percent per hour. */
  readonly drainPerHour: number;
  readonly chargePhase: number;
  readonly ringPhase: number;
  readonly ringPeriodDays: number;
  readonly ringSize: number;
  /** Menstrual cycle length (female profiles), shaping temperature deviation. */
  readonly cycleDays: number;
  readonly cyclePhase: number;
  /** Memoised per-day answers (see memo.ts). */
  readonly memo: Map<number, unknown>[];
}

const NAMES = [
  'demo',
  'alex',
  'sam',
  'jordan',
  'taylor',
  'riley',
  'casey',
  'morgan',
  'jamie',
  'robin',
  'quinn',
  'avery',
];

// The demo user lives in Berlin (CET/CEST); others spread over hemispheres and odd offsets.
const HOME_ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Tokyo',
  'Europe/Helsinki',
  'America/Los_Angeles',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Europe/London',
  'America/Sao_Paulo',
  'Pacific/Auckland',
];

const TRAVEL_ZONES = [
  'America/New_York',
  'Europe/London',
  'Asia/Tokyo',
  'America/Los_Angeles',
  'Europe/Lisbon',
  'Asia/Singapore',
  'Europe/Helsinki',
  'Europe/Berlin',
  'America/Chicago',
  'Asia/Dubai',
];

const ACTIVITIES = [
  'running',
  'cycling',
  'walking',
  'strength_training',
  'yoga',
  'swimming',
  'hiking',
  'tennis',
  'dancing',
  'rowing',
];

export function userName(index: number): string {
  return NAMES[index] ?? `user${index + 1}`;
}

export function createProfile(datasetSeed: number, index: number): UserProfile {
  const seed = hash32('user', datasetSeed, index);
  const r = rngFor(seed, 'profile');
  const name = userName(index);
  const homeZone = HOME_ZONES[index % HOME_ZONES.length] ?? 'Europe/Berlin';
  const others = TRAVEL_ZONES.filter((z) => z !== homeZone);
  // Shuffle deterministically, keeping New York first for the demo user (a long trip west).
  const shuffled = others
    .map((zone) => ({ zone, key: hash32(seed, 'dest', zone) }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.zone);
  const destinations =
    index === 0
      ? ['America/New_York', ...shuffled.filter((z) => z !== 'America/New_York')]
      : shuffled;
  const sex = index === 0 ? 'female' : r.chance(0.5) ? 'female' : 'male';
  const age = index === 0 ? 36 : r.int(22, 68);
  const heightM = round(sex === 'female' ? r.normal(1.66, 0.06) : r.normal(1.79, 0.07), 2);
  const bmi = clamp(r.normal(23.5, 2.5), 18.5, 32);
  const weightKg = round(bmi * heightM * heightM, 1);
  const fitness = r.normal(0, 1);
  const activityPool = ACTIVITIES.map((a) => ({ a, key: hash32(seed, 'act', a) }))
    .sort((x, y) => x.key - y.key)
    .map((x) => x.a);
  return {
    index,
    name,
    seed,
    homeZone,
    destinations,
    sex,
    age,
    weightKg,
    heightM,
    email: `${name}@example.com`,
    personalId: uuidFrom(seed, 'personal_info'),
    bedtimeMin: clamp(r.normal(1385, 35), 1290, 1470),
    bedtimeSd: clamp(r.normal(28, 8), 12, 50),
    sleepNeedMin: clamp(r.normal(455, 25), 400, 510),
    restingHr: clamp(Math.round(r.normal(54 + age * 0.05, 5) - fitness * 3), 40, 72),
    hrv: clamp(r.normal(68 - age * 0.6, 10) + fitness * 5, 16, 110),
    breath: clamp(r.normal(14.5, 1), 12, 17.5),
    vo2: clamp(r.normal((sex === 'female' ? 42 : 47) - (age - 30) * 0.3, 3) + fitness * 3, 24, 60),
    vascularOffset: clamp(Math.round(r.normal(-2, 3) - fitness), -8, 6),
    walkMinutes: clamp(r.normal(55, 18), 20, 110),
    workoutsPerWeek: clamp(r.normal(3, 1.2) + fitness * 0.5, 0.5, 6),
    activities: activityPool.slice(0, 4),
    targetCalories: Math.round(clamp(r.normal(450, 80), 250, 700) / 10) * 10,
    napRate: clamp(r.normal(0.08, 0.05), 0.02, 0.25),
    sessionRate: clamp(r.normal(0.08, 0.06), 0.01, 0.3),
    tagRate: clamp(r.normal(0.14, 0.05), 0.09, 0.3),
    drainPerHour: r.float(0.5, 0.58),
    chargePhase: r.int(0, 4),
    ringPhase: r.int(0, 400),
    ringPeriodDays: r.int(750, 1050),
    ringSize: r.int(6, 12),
    cycleDays: r.int(26, 31),
    cyclePhase: r.int(0, 30),
    memo: [],
  };
}
