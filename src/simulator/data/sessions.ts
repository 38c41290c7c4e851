import { sicknessOn, zoneOn } from './calendar.ts';
import type { SleepPeriod } from './periods.ts';
import { physiology } from './physiology.ts';
import { clamp, rngFor, uuidFrom } from './prng.ts';
import { localToUtc, MINUTE_MS } from './time.ts';
import type { UserProfile } from './users.ts';
import type { NonWear } from './wear.ts';
import type { Workout } from './workouts.ts';

/** spec `PublicMomentType` (the `nap` type is left to sleep periods) */
export type SessionType = 'breathing' | 'meditation' | 'relaxation' | 'rest' | 'body_status';
/** spec `PublicMomentMood` */
export type Mood = 'bad' | 'worse' | 'same' | 'good' | 'great';

export interface Session {
  readonly id: string;
  readonly day: number;
  readonly zone: string;
  readonly type: SessionType;
  readonly mood: Mood | null;
  readonly startMs: number;
  readonly endMs: number;
  /** Samples every 5 seconds (as the app records Moments). */
  readonly heartRate: readonly (number | null)[];
  readonly hrv: readonly (number | null)[];
  readonly motion: readonly number[];
}

export const SESSION_SAMPLE_SECONDS = 5;

export function sessionsOn(
  p: UserProfile,
  day: number,
  wear: NonWear,
  sleeps: readonly SleepPeriod[],
  workouts: readonly Workout[],
): Session[] {
  const r = rngFor(p.seed, 'sessions', day);
  const rate = p.sessionRate * (sicknessOn(p, day) ? 2 : 1);
  if (!r.chance(rate)) return [];
  const zone = zoneOn(p, day);
  const type = r.weighted<SessionType>(
    ['meditation', 'breathing', 'relaxation', 'body_status', 'rest'],
    [4, 3, 2, 1, 1],
  );
  const minutes = type === 'body_status' ? r.int(1, 3) : r.int(5, 20);
  const startMin = r.weighted(
    [r.int(7 * 60 + 30, 9 * 60), r.int(12 * 60 + 30, 13 * 60 + 30), r.int(21 * 60, 22 * 60)],
    [2, 1, 3],
  );
  const startMs = localToUtc(zone, day, startMin) + r.int(0, 59) * 1000;
  const endMs = startMs + minutes * MINUTE_MS;
  const busy = [...sleeps, ...workouts].some(
    (x) => x.startMs < endMs + 20 * MINUTE_MS && startMs < x.endMs + 20 * MINUTE_MS,
  );
  if (busy || wear.overlaps(startMs, endMs)) return [];
  const phys = physiology(p, day);
  const n = (minutes * 60) / SESSION_SAMPLE_SECONDS;
  const heartRate: (number | null)[] = [];
  const hrv: (number | null)[] = [];
  const motion: number[] = [];
  for (let i = 0; i < n; i++) {
    const calm = 1 - i / n;
    const missing = r.chance(0.02);
    heartRate.push(missing ? null : Math.round(phys.restingHr + 3 + 6 * calm + r.normal(0, 1.5)));
    hrv.push(
      missing
        ? null
        : clamp(Math.round(phys.hrv * (0.8 + 0.3 * (1 - calm)) + r.normal(0, 6)), 5, 250),
    );
    motion.push(r.chance(0.85) ? 0 : r.int(1, 3));
  }
  return [
    {
      id: uuidFrom(p.seed, 'session', day),
      day,
      zone,
      type,
      mood: r.chance(0.3)
        ? null
        : r.weighted<Mood>(['bad', 'worse', 'same', 'good', 'great'], [1, 1, 4, 6, 3]),
      startMs,
      endMs,
      heartRate,
      hrv,
      motion,
    },
  ];
}
