import { sicknessOn, zoneOn } from './calendar.ts';
import { plannedShift } from './episodes.ts';
import { perUser } from './memo.ts';
import { buildPeriod, type SleepPeriod, type SleepType } from './periods.ts';
import { physiology } from './physiology.ts';
import { clamp, rngFor } from './prng.ts';
import { HOUR_MS, localToUtc, MINUTE_MS, SLOT_MS, weekday } from './time.ts';
import type { UserProfile } from './users.ts';
import type { NonWear } from './wear.ts';

/** When the night ending on `day` would happen, before travel and non-wear are considered. */
export interface NightTiming {
  readonly day: number;
  readonly zone: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly slots: number;
  readonly latencySlots: number;
}

export const nightTiming = perUser((p: UserProfile, day: number): NightTiming => {
  const r = rngFor(p.seed, 'night-time', day);
  const zone = zoneOn(p, day);
  const phys = physiology(p, day);
  // Saturday and Sunday mornings follow the late nights; short-sleep runs start late.
  const shift = plannedShift(p, day);
  const lag = phys.jetLag;
  const bed = clamp(
    p.bedtimeMin + shift.bedtimeMin + lag * 30 + (phys.sick ? -30 : 0) + r.normal(0, p.bedtimeSd),
    1230,
    1620,
  );
  const sleepMin = clamp(
    p.sleepNeedMin + shift.sleepMin + (phys.sick ? 50 : 0) - Math.abs(lag) * 12 + r.normal(0, 38),
    250,
    620,
  );
  const efficiency = clamp(
    r.normal(0.905, 0.03) - Math.abs(lag) * 0.01 - (phys.sick ? 0.03 : 0),
    0.72,
    0.97,
  );
  const slots = clamp(Math.round(sleepMin / efficiency / 5), 50, 144);
  // Bedtimes carry seconds, as real ones do; durations stay whole 5-minute slots.
  const startMs = localToUtc(zone, day - 1, Math.floor(bed)) + r.int(0, 59) * 1000;
  return {
    day,
    zone,
    startMs,
    endMs: startMs + slots * SLOT_MS,
    slots,
    latencySlots: clamp(Math.round(r.normal(2.5, 1.3) + Math.abs(lag) * 0.5), 0, 9),
  };
});

/** The long_sleep period(s) of the night ending on `day` (none when travelling or not worn). */
export function nightPeriods(p: UserProfile, day: number, wear: NonWear): SleepPeriod[] {
  const t = nightTiming(p, day);
  const previous = nightTiming(p, day - 1);
  // A travel day whose night would crowd the last one: the flight, no recorded sleep.
  if (t.startMs < previous.endMs + 3 * HOUR_MS) return [];
  if (wear.overlaps(t.startMs, t.endMs)) return [];
  const phys = physiology(p, day);
  const r = rngFor(p.seed, 'night-split', day);
  const base = { type: 'long_sleep' as const, day, zone: t.zone, phys };
  // Now and then a night is broken by an hour up: two long_sleep periods share the day.
  if (t.slots >= 108 && r.chance(0.015)) {
    const gap = r.int(8, 18);
    const first = r.int(37, t.slots - gap - 37);
    return [
      buildPeriod(p, {
        ...base,
        key: `n${day}a`,
        startMs: t.startMs,
        slots: first,
        latencySlots: t.latencySlots,
      }),
      buildPeriod(p, {
        ...base,
        key: `n${day}b`,
        startMs: t.startMs + (first + gap) * SLOT_MS,
        slots: t.slots - first - gap,
        latencySlots: r.int(1, 4),
      }),
    ];
  }
  return [
    buildPeriod(p, {
      ...base,
      key: `n${day}`,
      startMs: t.startMs,
      slots: t.slots,
      latencySlots: t.latencySlots,
    }),
  ];
}

interface Candidate {
  readonly type: SleepType;
  readonly day: number;
  readonly startMin: number;
  readonly slots: number;
}

/**
 * Daytime periods of `day`: naps (`sleep`), an evening `late_nap` (ended after 18:00, so it
 * counts toward the next day), falsely detected `rest`, and periods the user `deleted`.
 */
export function dayPeriods(p: UserProfile, day: number, wear: NonWear): SleepPeriod[] {
  const r = rngFor(p.seed, 'day-periods', day);
  const zone = zoneOn(p, day);
  const phys = physiology(p, day);
  const wd = weekday(day);
  const weekend = wd === 0 || wd === 6;
  const sick = sicknessOn(p, day) !== undefined;
  const candidates: Candidate[] = [];
  if (r.chance(p.napRate + (weekend ? 0.08 : 0) + (sick ? 0.25 : 0))) {
    candidates.push({
      type: 'sleep',
      day,
      startMin: r.int(13 * 60, 16 * 60 + 30),
      slots: r.int(4, 18),
    });
  }
  if (r.chance(0.018)) {
    candidates.push({
      type: 'late_nap',
      day: day + 1,
      startMin: r.int(17 * 60 + 45, 19 * 60 + 15),
      slots: r.int(4, 12),
    });
  }
  if (r.chance(0.02)) {
    candidates.push({ type: 'rest', day, startMin: r.int(15 * 60, 17 * 60), slots: r.int(3, 9) });
  }
  if (r.chance(0.012)) {
    candidates.push({
      type: 'deleted',
      day,
      startMin: r.int(10 * 60, 12 * 60),
      slots: r.int(4, 10),
    });
  }
  const wake = nightTiming(p, day).endMs;
  const nextBed = nightTiming(p, day + 1).startMs;
  const out: SleepPeriod[] = [];
  for (const c of candidates) {
    const startMs = localToUtc(zone, day, c.startMin) + r.int(0, 59) * 1000;
    const endMs = startMs + c.slots * SLOT_MS;
    if (startMs < wake + 2 * HOUR_MS || endMs > nextBed - 45 * MINUTE_MS) continue;
    if (wear.overlaps(startMs, endMs)) continue;
    if (out.some((o) => o.startMs < endMs + 30 * MINUTE_MS && startMs < o.endMs + 30 * MINUTE_MS))
      continue;
    out.push(
      buildPeriod(p, {
        key: `${c.type}${day}`,
        type: c.type,
        day: c.day,
        zone,
        startMs,
        slots: c.slots,
        latencySlots: c.type === 'rest' ? r.int(1, 3) : r.int(0, 1),
        phys,
      }),
    );
  }
  return out;
}
