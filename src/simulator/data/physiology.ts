import { jetLagHours, sicknessOn } from './calendar.ts';
import { illnessEffect } from './episodes.ts';
import { perUser } from './memo.ts';
import { clamp, rngFor, unit } from './prng.ts';
import { nightTagEffect } from './tagEffects.ts';
import type { UserProfile } from './users.ts';

/** What the body is like on the night ending on a given day. */
export interface NightPhysiology {
  /** Resting heart rate the night's lowest values settle near. */
  readonly restingHr: number;
  /** Typical RMSSD of the night, ms. */
  readonly hrv: number;
  readonly breath: number;
  /** Skin temperature deviation from the long-term baseline, °C. */
  readonly temperature: number;
  readonly deepBias: number;
  readonly remBias: number;
  readonly wakeRate: number;
  readonly sick: boolean;
  readonly jetLag: number;
}

/** Smooth noise in [-1, 1]: random values per `period` days, cosine-interpolated. */
export function smoothNoise(seed: number, stream: number, day: number, period: number): number {
  const x = day / period;
  const i = Math.floor(x);
  const f = x - i;
  const a = unit(seed, stream, i) * 2 - 1;
  const b = unit(seed, stream, i + 1) * 2 - 1;
  const t = (1 - Math.cos(Math.PI * f)) / 2;
  return a + (b - a) * t;
}

/** Long-term drift: a yearly swing plus slow wandering (fitness, stress seasons). */
export function trend(p: UserProfile, stream: number, day: number): number {
  const yearly = Math.sin((2 * Math.PI * day) / 365.25 + (p.seed % 628) / 100);
  return (
    0.5 * yearly +
    0.7 * smoothNoise(p.seed, stream, day, 45) +
    0.3 * smoothNoise(p.seed, stream + 1, day, 9)
  );
}

/** Day of the menstrual cycle (0-based), for female profiles. */
export function cycleDay(p: UserProfile, day: number): number {
  return (((day + p.cyclePhase) % p.cycleDays) + p.cycleDays) % p.cycleDays;
}

export const physiology = perUser((p: UserProfile, day: number): NightPhysiology => {
  const r = rngFor(p.seed, 'physiology', day);
  const sickness = sicknessOn(p, day);
  const ill = illnessEffect(p, day);
  const tagged = nightTagEffect(p, day);
  const jetLag = jetLagHours(p, day);
  const luteal = p.sex === 'female' && cycleDay(p, day) >= Math.round(p.cycleDays / 2) ? 1 : 0;
  const rhr =
    p.restingHr +
    1.8 * trend(p, 11, day) +
    ill.restingHrBpm +
    tagged.restingHrDelta +
    Math.min(3, Math.abs(jetLag)) * 0.7 +
    luteal * 1.5 +
    r.normal(0, 1.1);
  const hrvFactor =
    (1 + 0.12 * trend(p, 21, day)) *
    (1 + ill.hrvFraction) *
    tagged.hrvFactor *
    (1 - Math.min(3, Math.abs(jetLag)) * 0.04) *
    Math.exp(r.normal(0, 0.1));
  const temperature =
    0.08 * trend(p, 31, day) +
    ill.temperatureC +
    luteal * 0.3 -
    (p.sex === 'female' ? 0.15 : 0) +
    r.normal(0, 0.11);
  return {
    restingHr: clamp(rhr, 36, 95),
    hrv: clamp(p.hrv * hrvFactor, 8, 180),
    breath: clamp(p.breath + ill.breathsPerMin + r.normal(0, 0.35), 10, 24),
    temperature,
    deepBias: tagged.deepFactor * (sickness ? 0.85 : 1) * clamp(r.normal(1, 0.12), 0.6, 1.4),
    remBias: tagged.remFactor * clamp(r.normal(1, 0.12), 0.6, 1.4),
    wakeRate: clamp(0.12 + (sickness ? 0.3 : 0) + Math.min(4, Math.abs(jetLag)) * 0.08, 0, 0.8),
    sick: sickness !== undefined,
    jetLag,
  };
});
