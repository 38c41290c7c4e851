import type { ActivityDay } from './activity.ts';
import { batteryAt } from './battery.ts';
import { sicknessOn } from './calendar.ts';
import { type NightPhysiology, physiology } from './physiology.ts';
import { clamp, unit } from './prng.ts';
import { SESSION_SAMPLE_SECONDS } from './sessions.ts';
import { DAY_MS, formatUtc, MINUTE_MS, SLOT_MS } from './time.ts';
import type { Timeline } from './timeline.ts';

/**
 * Time-series rows (`PublicHeartRateRow`, `PublicRingBatteryLevelRow`), produced on demand from
 * the timeline so that years of 5-minute samples never sit in memory.
 */

interface Span {
  readonly startMs: number;
  readonly endMs: number;
}

/** Index of the last span starting at or before `ms` in a list ordered by start, or -1. */
function lastStartBefore(spans: readonly Span[], ms: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((spans[mid]?.startMs ?? 0) <= ms) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

function containing<T extends Span>(spans: readonly T[], ms: number): T | undefined {
  // Spans of one kind never overlap, except activity days around time-zone changes, where the
  // later day wins.
  const s = spans[lastStartBefore(spans, ms)];
  return s && ms < s.endMs ? s : undefined;
}

export interface SeriesSource {
  heartrate(startMs: number, endMs: number): Record<string, unknown>[];
  batteryLevel(startMs: number, endMs: number): Record<string, unknown>[];
}

export const BATTERY_INTERVAL_MS = 30 * MINUTE_MS;

export function seriesSource(t: Timeline, dataStartMs: number, horizonMs: number): SeriesSource {
  const p = t.profile;
  const byStart = <T extends Span>(xs: readonly T[]): T[] =>
    [...xs].sort((a, b) => a.startMs - b.startMs);
  const workouts = byStart(t.workouts);
  const sessions = byStart(t.sessions);
  const days: (ActivityDay & Span)[] = byStart(
    [...t.activity.values()].map((a) => ({ ...a, endMs: a.startMs + DAY_MS })),
  );
  const physCache = new Map<number, NightPhysiology>();
  const physOn = (day: number): NightPhysiology => {
    let x = t.physiology.get(day) ?? physCache.get(day);
    if (!x) {
      x = physiology(p, day);
      physCache.set(day, x);
    }
    return x;
  };

  const heartrateAt = (ms: number): { bpm: number; source: string } | undefined => {
    const slot = ms / SLOT_MS;
    const noise = unit(p.seed, 0x4852, slot) - 0.5;
    const sleep = containing(t.sleeps, ms);
    if (sleep) {
      const v = sleep.hr[Math.floor((ms - sleep.startMs) / SLOT_MS)];
      if (v === null || v === undefined) return undefined;
      return { bpm: v, source: sleep.type === 'rest' ? 'rest' : 'sleep' };
    }
    const activity = containing(days, ms);
    const phys = physOn(activity?.day ?? Math.floor(ms / DAY_MS));
    const workout = containing(workouts, ms);
    if (workout) {
      const warm = Math.min(1, (ms - workout.startMs) / (6 * MINUTE_MS));
      const effort = (workout.met - 1) * 10.5 * (0.5 + 0.5 * warm);
      return {
        bpm: Math.round(clamp(phys.restingHr + 8 + effort + noise * 8, 50, 200)),
        source: 'workout',
      };
    }
    const session = containing(sessions, ms);
    if (session) {
      const v =
        session.heartRate[Math.floor((ms - session.startMs) / (SESSION_SAMPLE_SECONDS * 1000))];
      return { bpm: v ?? Math.round(phys.restingHr + 5), source: 'session' };
    }
    const met = activity?.met[Math.floor((ms - activity.startMs) / MINUTE_MS)] ?? 1.3;
    // Motion spoils optical readings: fewer samples while moving.
    if (met >= 2.5 && unit(p.seed, 0x4d4f, slot) < 0.3) return undefined;
    const bpm = Math.round(clamp(phys.restingHr + 12 + (met - 1.2) * 10 + noise * 10, 40, 190));
    const resting =
      met < 1.5 && activity !== undefined && sicknessOn(p, activity.day)?.restMode === true;
    return { bpm, source: resting ? 'rest' : 'awake' };
  };

  return {
    heartrate(startMs, endMs) {
      const rows: Record<string, unknown>[] = [];
      const from = Math.ceil(Math.max(startMs, dataStartMs) / SLOT_MS) * SLOT_MS;
      const to = Math.min(endMs, horizonMs);
      for (let ms = from; ms < to; ms += SLOT_MS) {
        if (t.wear.covers(ms)) continue;
        const hr = heartrateAt(ms);
        if (!hr) continue;
        rows.push({ bpm: hr.bpm, source: hr.source, timestamp: formatUtc(ms), timestamp_unix: ms });
      }
      return rows;
    },
    batteryLevel(startMs, endMs) {
      const rows: Record<string, unknown>[] = [];
      const from =
        Math.ceil(Math.max(startMs, dataStartMs) / BATTERY_INTERVAL_MS) * BATTERY_INTERVAL_MS;
      const to = Math.min(endMs, horizonMs);
      for (let ms = from; ms < to; ms += BATTERY_INTERVAL_MS) {
        const b = batteryAt(p, ms);
        // A flat ring reports nothing until it is back in the charger.
        if (b.level < 0.5 && !b.inCharger) continue;
        rows.push({
          level: Math.round(b.level),
          charging: b.charging,
          in_charger: b.inCharger,
          timestamp: formatUtc(ms),
          timestamp_unix: ms,
        });
      }
      return rows;
    },
  };
}
