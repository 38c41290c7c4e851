import { batteryGaps, type Interval } from './battery.ts';
import { offDay, zoneOn } from './calendar.ts';
import { rngFor } from './prng.ts';
import { DAY_MS, localToUtc, SLOT_MS } from './time.ts';
import type { UserProfile } from './users.ts';

/**
 * When the ring is off the finger (or flat): forgotten days, a few hours off now and then,
 * charging, and a dead battery. Interval ends sit on the 5-minute grid, so every heart-rate slot
 * and activity slot is either fully worn or fully not.
 */
export interface NonWear {
  readonly intervals: readonly Interval[];
  covers(ms: number): boolean;
  overlaps(startMs: number, endMs: number): boolean;
  /** Intervals overlapping [startMs, endMs). */
  within(startMs: number, endMs: number): Interval[];
}

const toSlot = (ms: number): number => Math.round(ms / SLOT_MS) * SLOT_MS;

function dayGaps(p: UserProfile, day: number): Interval[] {
  const zone = zoneOn(p, day);
  const out: Interval[] = [];
  if (offDay(p, day)) {
    // From the evening before until late evening: no night, no day.
    out.push({
      startMs: toSlot(localToUtc(zone, day - 1, 20 * 60)),
      endMs: toSlot(localToUtc(zone, day, 21 * 60 + 30)),
    });
  }
  const r = rngFor(p.seed, 'partial-off', day);
  if (r.chance(0.06)) {
    const start = r.int(9 * 60, 15 * 60);
    const end = Math.min(start + r.int(120, 480), 19 * 60 + 30);
    out.push({
      startMs: toSlot(localToUtc(zone, day, start)),
      endMs: toSlot(localToUtc(zone, day, end)),
    });
  }
  return out;
}

export function buildNonWear(p: UserProfile, fromDay: number, toDay: number): NonWear {
  const raw: Interval[] = batteryGaps(p, (fromDay - 2) * DAY_MS, (toDay + 2) * DAY_MS);
  for (let d = fromDay - 1; d <= toDay + 1; d++) raw.push(...dayGaps(p, d));
  raw.sort((a, b) => a.startMs - b.startMs);
  const merged: { startMs: number; endMs: number }[] = [];
  for (const i of raw) {
    const last = merged[merged.length - 1];
    if (last && i.startMs <= last.endMs) last.endMs = Math.max(last.endMs, i.endMs);
    else merged.push({ startMs: i.startMs, endMs: i.endMs });
  }
  const starts = merged.map((i) => i.startMs);
  /** Index of the last interval starting at or before ms, or -1. */
  const find = (ms: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] ?? 0) <= ms) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  };
  return {
    intervals: merged,
    covers(ms) {
      const i = merged[find(ms)];
      return i !== undefined && ms < i.endMs;
    },
    within(startMs, endMs) {
      const out: Interval[] = [];
      for (let k = find(endMs - 1); k >= 0; k--) {
        const i = merged[k];
        if (!i || i.endMs <= startMs) break;
        out.push(i);
      }
      return out;
    },
    overlaps(startMs, endMs) {
      const at = find(endMs - 1);
      for (let k = at; k >= 0; k--) {
        const i = merged[k];
        if (!i || i.endMs <= startMs) return false;
        if (i.startMs < endMs) return true;
      }
      return false;
    },
  };
}
