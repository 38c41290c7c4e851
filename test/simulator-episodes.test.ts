import { describe, expect, it } from 'vitest';
import { addDays, weekdayIndex } from '../src/insights/days.ts';
import { mean, median } from '../src/insights/stats.ts';
import { generateDataset } from '../src/simulator/data/index.ts';

/** The effects the simulator plants: deterministic per seed, with the sizes the truth reports. */

const END = '2026-11-30';
type Doc = Record<string, unknown>;

describe('planted truth', () => {
  const [a] = generateDataset({ seed: 11, users: 1, days: 730, endDate: END });
  const [b] = generateDataset({ seed: 11, users: 1, days: 730, endDate: END });
  const [c] = generateDataset({ seed: 12, users: 1, days: 730, endDate: END });
  if (!a || !b || !c) throw new Error('no users');
  const truth = a.truth();

  it('is the same for the same seed and differs for another', () => {
    expect(b.truth()).toEqual(truth);
    expect(c.truth().illness).not.toEqual(truth.illness);
  });

  it('plants illness episodes of 2-5 days that start with their first planted effect', () => {
    expect(truth.illness.length).toBeGreaterThanOrEqual(1);
    for (const e of truth.illness) {
      expect(e.days).toBeGreaterThanOrEqual(2);
      expect(e.days).toBeLessThanOrEqual(5);
      expect(e.end).toBe(addDays(e.start, e.days - 1));
      expect(e.effects.map((x) => x.day)[0]).toBe(e.start);
    }
  });

  it('moves the recorded temperature by the planted size', () => {
    const temp = new Map(
      [...a.documents.daily_readiness.values()].map((d) => [
        String(d.day),
        d.temperature_deviation as number,
      ]),
    );
    const ill = truth.illness.flatMap((e) => e.effects);
    const illDays = new Set(ill.map((x) => x.day));
    const usual = median([...temp].filter(([d]) => !illDays.has(d)).map(([, v]) => v)) ?? 0;
    const seen = mean(ill.map((x) => (temp.get(x.day) ?? Number.NaN) - usual)) ?? 0;
    const planted = mean(ill.map((x) => x.temperatureC)) ?? 0;
    expect(Math.abs(seen - planted)).toBeLessThan(0.15);
  });

  it('shortens the nights of a planted short-sleep run by about the planted minutes', () => {
    const sleep = new Map<string, number>();
    for (const d of a.documents.sleep.values() as Iterable<Doc>)
      if (d.type === 'long_sleep') sleep.set(String(d.day), Number(d.total_sleep_duration) / 60);
    const short = new Set<string>();
    for (const s of truth.shortSleep)
      for (let d = s.start; d <= s.end; d = addDays(d, 1)) short.add(d);
    const usual = median([...sleep].filter(([d]) => !short.has(d)).map(([, v]) => v)) ?? 0;
    const lost =
      mean(
        truth.shortSleep.flatMap((s) => {
          const out: number[] = [];
          for (let d = s.start; d <= s.end; d = addDays(d, 1)) {
            const v = sleep.get(d);
            if (v !== undefined) out.push(usual - v - s.minutesShort);
          }
          return out;
        }),
      ) ?? 99;
    expect(Math.abs(lost)).toBeLessThan(25);
  });

  it('shifts weekend nights later, as the truth says', () => {
    const mid: { weekend: number[]; work: number[] } = { weekend: [], work: [] };
    for (const d of a.documents.sleep.values() as Iterable<Doc>) {
      if (d.type !== 'long_sleep') continue;
      const start = Date.parse(String(d.bedtime_start));
      const end = Date.parse(String(d.bedtime_end));
      const offset = Number(String(d.bedtime_start).slice(-6, -3)) * 60;
      const m = ((((start + end) / 2 / 60_000 + offset) % 1440) + 1440) % 1440;
      const wd = weekdayIndex(String(d.day));
      (wd >= 5 ? mid.weekend : mid.work).push(m > 720 ? m - 1440 : m);
    }
    const shift = (median(mid.weekend) ?? 0) - (median(mid.work) ?? 0);
    expect(Math.abs(shift - truth.weekendShift.midSleepLaterMin)).toBeLessThan(20);
  });
});
