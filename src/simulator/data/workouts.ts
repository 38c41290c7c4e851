import { sicknessOn, tripOn, zoneOn } from './calendar.ts';
import { nightTiming } from './nights.ts';
import type { SleepPeriod } from './periods.ts';
import { clamp, rngFor, round, uuidFrom } from './prng.ts';
import { localToUtc, MINUTE_MS } from './time.ts';
import type { UserProfile } from './users.ts';
import type { NonWear } from './wear.ts';

/** spec `PublicWorkoutIntensity` */
export type Intensity = 'easy' | 'moderate' | 'hard';

export interface Workout {
  readonly id: string;
  readonly day: number;
  readonly zone: string;
  readonly activity: string;
  readonly intensity: Intensity;
  /** Metabolic equivalent while it lasts. */
  readonly met: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly calories: number;
  readonly distance: number | null;
  readonly source: 'manual' | 'autodetected' | 'confirmed' | 'workout_heart_rate';
  readonly label: string | null;
  /** Steps per minute while it lasts. */
  readonly cadence: number;
}

interface Kind {
  met: number;
  minutes: [number, number];
  /** km/h, or 0 when Oura reports no distance. */
  speed: number;
  cadence: number;
}

const KINDS: Record<string, Kind> = {
  running: { met: 9.5, minutes: [25, 70], speed: 10.5, cadence: 160 },
  cycling: { met: 7.5, minutes: [40, 150], speed: 24, cadence: 0 },
  walking: { met: 3.8, minutes: [30, 90], speed: 5.2, cadence: 110 },
  strength_training: { met: 5, minutes: [40, 75], speed: 0, cadence: 10 },
  yoga: { met: 3, minutes: [30, 75], speed: 0, cadence: 2 },
  swimming: { met: 7, minutes: [30, 60], speed: 2.4, cadence: 0 },
  hiking: { met: 6, minutes: [90, 240], speed: 4, cadence: 95 },
  tennis: { met: 7, minutes: [60, 110], speed: 0, cadence: 60 },
  dancing: { met: 5.5, minutes: [45, 90], speed: 0, cadence: 70 },
  rowing: { met: 7, minutes: [30, 60], speed: 9, cadence: 0 },
};

const INTENSITY_FACTOR: Record<Intensity, number> = { easy: 0.75, moderate: 1, hard: 1.25 };

export function workoutsOn(
  p: UserProfile,
  day: number,
  wear: NonWear,
  sleeps: readonly SleepPeriod[],
): Workout[] {
  const r = rngFor(p.seed, 'workouts', day);
  if (sicknessOn(p, day)) return [];
  const zone = zoneOn(p, day);
  const rate = (p.workoutsPerWeek / 7) * (tripOn(p, day) ? 0.6 : 1);
  const count = r.chance(rate) ? (r.chance(0.06) ? 2 : 1) : 0;
  const wake = nightTiming(p, day).endMs;
  const out: Workout[] = [];
  for (let n = 0; n < count; n++) {
    const activity = r.weighted(p.activities, [4, 3, 2, 1]);
    const kind = KINDS[activity] ?? { met: 5, minutes: [30, 60], speed: 0, cadence: 20 };
    const intensity = r.weighted<Intensity>(['easy', 'moderate', 'hard'], [3, 5, 2]);
    const minutes = r.int(kind.minutes[0], kind.minutes[1]);
    const slot = r.weighted(['morning', 'noon', 'evening'], [3, 1, 4]);
    const startMs =
      slot === 'morning'
        ? wake + r.int(30, 90) * MINUTE_MS
        : localToUtc(
            zone,
            day,
            slot === 'noon' ? r.int(11 * 60 + 45, 12 * 60 + 30) : r.int(17 * 60 + 15, 19 * 60 + 30),
          ) +
          r.int(0, 59) * 1000;
    const endMs = startMs + minutes * MINUTE_MS;
    if (wear.overlaps(startMs, endMs)) continue;
    if (
      sleeps.some((s) => s.startMs < endMs + 30 * MINUTE_MS && startMs < s.endMs + 15 * MINUTE_MS)
    )
      continue;
    if (out.some((w) => w.startMs < endMs + 60 * MINUTE_MS && startMs < w.endMs + 60 * MINUTE_MS))
      continue;
    const met = round(
      kind.met * INTENSITY_FACTOR[intensity] * clamp(r.normal(1, 0.08), 0.8, 1.2),
      1,
    );
    const source = r.weighted(
      ['autodetected', 'confirmed', 'manual', 'workout_heart_rate'] as const,
      [50, 25, 15, 10],
    );
    out.push({
      id: uuidFrom(p.seed, 'workout', day, n),
      day,
      zone,
      activity,
      intensity,
      met,
      startMs,
      endMs,
      calories: round(((met - 1) * 3.5 * p.weightKg * minutes) / 200, 3),
      distance: kind.speed
        ? Math.round((kind.speed * INTENSITY_FACTOR[intensity] * 1000 * minutes) / 60)
        : null,
      source,
      label:
        source === 'manual' && r.chance(0.4)
          ? r.pick(['Morning session', 'With friends', 'Intervals'])
          : null,
      cadence: kind.cadence,
    });
  }
  return out;
}
