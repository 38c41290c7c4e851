import { zoneOn } from './calendar.ts';
import { perUser } from './memo.ts';
import { rngFor } from './prng.ts';
import { HOUR_MS, localToUtc, MINUTE_MS, SLOT_MS } from './time.ts';
import type { UserProfile } from './users.ts';

/**
 * The ring's battery. Charges happen in cycles of about five days (4-6 between charges); now and
 * then a charge is forgotten, the battery runs flat and the ring records nothing until the next
 * charge. Everything is computed in O(1) from the cycle index, so levels can be read lazily.
 */

const CYCLE_DAYS = 5;

export interface Charge {
  readonly cycle: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** Rounded to the 5-minute grid so non-wear covers whole heart-rate and activity slots. */
const toSlot = (ms: number): number => Math.round(ms / SLOT_MS) * SLOT_MS;

/** The charge of cycle `k`, or undefined when the user forgot to charge. */
export const chargeOf = perUser((p: UserProfile, k: number): Charge | undefined => {
  const r = rngFor(p.seed, 'charge', k);
  const day = p.chargePhase + k * CYCLE_DAYS + r.int(0, 1);
  if (r.chance(0.045)) return undefined;
  const evening = r.chance(0.45);
  const minute = evening ? r.int(19 * 60, 20 * 60 + 30) : r.int(10 * 60, 11 * 60 + 30);
  const startMs = toSlot(localToUtc(zoneOn(p, day), day, minute));
  const endMs = startMs + r.int(10, 19) * SLOT_MS;
  return { cycle: k, startMs, endMs };
});

function cycleNear(p: UserProfile, ms: number): number {
  return Math.floor((Math.floor(ms / 86_400_000) - p.chargePhase) / CYCLE_DAYS);
}

/** Latest charge that started at or before `ms`. */
export function lastChargeBefore(p: UserProfile, ms: number): Charge | undefined {
  const k0 = cycleNear(p, ms);
  for (let k = k0 + 1; k >= k0 - 8; k--) {
    const c = chargeOf(p, k);
    if (c && c.startMs <= ms) return c;
  }
  return undefined;
}

export interface BatteryState {
  readonly level: number;
  readonly charging: boolean;
  readonly inCharger: boolean;
}

function levelAfterCharge(p: UserProfile, charge: Charge | undefined, ms: number): number {
  if (!charge) return 0;
  return Math.max(0, 100 - (p.drainPerHour * (ms - charge.endMs)) / HOUR_MS);
}

export function batteryAt(p: UserProfile, ms: number): BatteryState {
  const c = lastChargeBefore(p, ms);
  if (!c) return { level: 0, charging: false, inCharger: false };
  if (ms < c.endMs) {
    const from = levelAfterCharge(p, lastChargeBefore(p, c.startMs - 1), c.startMs);
    // Fast at first, slowing towards full (as lithium cells charge); full a few minutes early.
    const progress = Math.min(1, (ms - c.startMs) / (c.endMs - c.startMs - 5 * MINUTE_MS));
    const level = from + (100 - from) * (1 - (1 - progress) ** 2);
    return { level: Math.min(100, level), charging: level < 100, inCharger: true };
  }
  return { level: levelAfterCharge(p, c, ms), charging: false, inCharger: false };
}

export interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

/** Charging sessions and flat-battery stretches overlapping [fromMs, toMs). */
export function batteryGaps(p: UserProfile, fromMs: number, toMs: number): Interval[] {
  const out: Interval[] = [];
  const k1 = cycleNear(p, toMs) + 1;
  let previous: Charge | undefined;
  // Start well before the range: a flat stretch ends at the first charge after it.
  for (let k = cycleNear(p, fromMs) - 6; k <= k1; k++) {
    const c = chargeOf(p, k);
    if (!c) continue;
    if (previous && previous.endMs < c.startMs) {
      const flatAt = toSlot(previous.endMs + (100 / p.drainPerHour) * HOUR_MS);
      if (flatAt < c.startMs) out.push({ startMs: flatAt, endMs: c.startMs });
    }
    out.push({ startMs: c.startMs, endMs: c.endMs });
    previous = c;
  }
  return out.filter((i) => i.endMs > fromMs && i.startMs < toMs);
}
