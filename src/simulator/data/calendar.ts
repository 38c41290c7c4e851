import { illnessOn } from './episodes.ts';
import { perUser } from './memo.ts';
import { rngFor } from './prng.ts';
import { dayNumber, HOUR_MS, offsetMinutes } from './time.ts';
import type { UserProfile } from './users.ts';

/**
 * Multi-day life events, anchored on the calendar (not on the generated window), so a given day
 * looks the same whatever range is generated. Each kind of event lives in fixed-size blocks of
 * days; a block holds at most one event, entirely inside it.
 */

export interface Trip {
  /** First night (wake-up day) spent in the destination zone. */
  readonly startDay: number;
  /** First night back home (exclusive end). */
  readonly endDay: number;
  readonly zone: string;
}

export interface Sickness {
  readonly startDay: number;
  /** Last sick day (inclusive). */
  readonly endDay: number;
  /** Whether the user switched on Rest Mode for it. */
  readonly restMode: boolean;
}

const TRIP_BLOCK = 91;
const OFF_BLOCK = 173;

function blockOf(day: number, phase: number, size: number): { index: number; start: number } {
  const index = Math.floor((day - phase) / size);
  return { index, start: phase + index * size };
}

export const tripOn = perUser((p: UserProfile, day: number): Trip | undefined => {
  const { index, start } = blockOf(day, p.chargePhase * 7, TRIP_BLOCK);
  const r = rngFor(p.seed, 'trip', index);
  if (!r.chance(0.8)) return undefined;
  const length = r.chance(0.35) ? 7 : r.int(3, 12);
  const offset = r.int(4, TRIP_BLOCK - length - 4);
  const weights = p.destinations.map((_, i) => (i === 0 ? 4 : i < 3 ? 2 : 1));
  const zone = r.weighted(p.destinations, weights);
  const trip = { startDay: start + offset, endDay: start + offset + length, zone };
  return day >= trip.startDay && day < trip.endDay ? trip : undefined;
});

/** Zone the user lives in on `day` (the night ending that morning and the day after it). */
export function zoneOn(p: UserProfile, day: number): string {
  return tripOn(p, day)?.zone ?? p.homeZone;
}

/**
 * Hours the body clock lags the local clock on `day` (jet lag), decaying about an hour per day
 * after arriving somewhere and after coming home.
 */
export const jetLagHours = perUser((p: UserProfile, day: number): number => {
  for (let back = 0; back < 10; back++) {
    const before = zoneOn(p, day - back - 1);
    const after = zoneOn(p, day - back);
    if (before !== after) {
      const at = (day - back) * 86_400_000 + 12 * HOUR_MS;
      const shift = (offsetMinutes(after, at) - offsetMinutes(before, at)) / 60;
      const remaining = Math.sign(shift) * Math.max(0, Math.abs(shift) - (back + 1) * 1.2);
      return remaining;
    }
  }
  return 0;
});

/** Illness episodes are planted effects with known sizes: see episodes.ts. */
export const sicknessOn = (p: UserProfile, day: number): Sickness | undefined => illnessOn(p, day);

/** Sicknesses (with Rest Mode or not) starting in [fromDay, toDay]. */
export function sicknessesBetween(p: UserProfile, fromDay: number, toDay: number): Sickness[] {
  const out: Sickness[] = [];
  for (let d = fromDay; d <= toDay; d++) {
    const s = sicknessOn(p, d);
    if (s && s.startDay === d) out.push(s);
  }
  return out;
}

/** Whole days the ring lies forgotten at home: single days, and one longer stretch some years. */
export function offDay(p: UserProfile, day: number): boolean {
  if (rngFor(p.seed, 'offday', day).chance(0.012)) return true;
  const { index, start } = blockOf(day, 29, OFF_BLOCK);
  const r = rngFor(p.seed, 'offrun', index);
  if (!r.chance(0.35)) return false;
  const length = r.int(2, 4);
  const offset = r.int(3, OFF_BLOCK - length - 3);
  return day >= start + offset && day < start + offset + length;
}

export interface Ring {
  readonly index: number;
  /** Day the ring was set up; it records nights ending after that day. */
  readonly setupDay: number;
}

/** The ring in use on `day`: rings are replaced every ringPeriodDays. */
export function ringOn(p: UserProfile, day: number): Ring {
  const index = Math.floor((day - p.ringPhase) / p.ringPeriodDays);
  return { index, setupDay: p.ringPhase + index * p.ringPeriodDays };
}

/** Before this day the simulated users still wrote legacy tags (TagModel, deprecated). */
export const LEGACY_TAG_END = dayNumber('2024-03-01');
/** Sleep staging algorithm v2 replaced v1 for documents from this day on. */
export const SLEEP_V2_FROM = dayNumber('2023-06-01');
/** Oura Ring 4 (hardware gen4) went on sale in October 2024. */
export const GEN4_FROM = dayNumber('2024-10-15');
