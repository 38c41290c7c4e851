import { describe, expect, it } from 'vitest';
import { addDays } from '../src/insights/days.ts';
import {
  MAD_TO_SD,
  medianAbsoluteDeviation,
  medianInterval,
  robustBaseline,
  robustZ,
} from '../src/insights/robust.ts';
import { bodySignals, flaggedEpisodes, type SignalNight } from '../src/insights/signals.ts';

describe('median absolute deviation', () => {
  it('is the median distance from the median, untouched by one wild value', () => {
    // median 3; distances 2, 1, 0, 1, 97 -> median 1
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100])).toBe(1);
    expect(medianAbsoluteDeviation([5, 5, 5])).toBe(0);
    expect(medianAbsoluteDeviation([])).toBeNull();
  });

  it('scales by 1.4826 so it estimates the SD of normal data', () => {
    const b = robustBaseline([1, 2, 3, 4, 100]);
    expect(b).toEqual({ n: 5, median: 3, scale: MAD_TO_SD });
    expect(robustZ(7, b as NonNullable<typeof b>)).toBeCloseTo(4 / 1.4826, 6);
  });

  it('never claims a spread below the floor', () => {
    expect(robustBaseline([50, 50, 50, 50], 1)?.scale).toBe(1);
  });

  it('gives the order-statistic 95 % interval of a median (40th and 61st of 100)', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(medianInterval(xs)).toEqual([40, 61]);
    expect(medianInterval([1, 2, 3, 4, 5])).toBeNull();
  });
});

/** Steady nights with a small repeating wobble, so the MAD is known and non-zero. */
function steady(from: string, n: number): SignalNight[] {
  const wobble = [-1, 0, 1, 0];
  return Array.from({ length: n }, (_, i) => {
    const w = wobble[i % 4] ?? 0;
    return {
      day: addDays(from, i),
      restingHr: 52 + w,
      hrv: 60 + 4 * w,
      temperature: 0.1 * w,
      breath: 14 + 0.25 * w,
      spo2: 97 + 0.5 * w,
    };
  });
}

describe('body signals', () => {
  const base = steady('2026-01-01', 40);
  const next = (i: number) => addDays('2026-01-01', 40 + i);

  it('says the baseline is still building before 14 nights', () => {
    const days = bodySignals(steady('2026-01-01', 10));
    expect(days.every((d) => d.status === 'building' && !d.flagged)).toBe(true);
    expect(days.at(-1)?.summary).toMatch(/Baseline still building/);
  });

  it('flags a night where temperature and resting heart rate rise together, saying by how much', () => {
    const ill: SignalNight = {
      day: next(0),
      restingHr: 58,
      hrv: 48,
      temperature: 0.8,
      breath: 15,
      spo2: 96.5,
    };
    const out = bodySignals([...base, ill]);
    const last = out.at(-1);
    expect(last?.flagged).toBe(true);
    const rhr = last?.signals.find((s) => s.key === 'restingHr');
    // baseline median 52, MAD 0.5 -> scale floored at 1 bpm
    expect(rhr?.delta).toBe(6);
    expect(rhr?.z).toBe(6);
    expect(rhr?.n).toBe(40);
    expect(last?.summary).toMatch(/resting HR \+6\.0 bpm/);
    expect(last?.summary).toMatch(/temperature \+0\.80 °C/);
  });

  it('does not flag a night after drinks: heart rate up and HRV down, but no fever', () => {
    const drinks: SignalNight = {
      day: next(0),
      restingHr: 57,
      hrv: 45,
      temperature: 0,
      breath: 14,
      spo2: 97,
    };
    const last = bodySignals([...base, drinks]).at(-1);
    expect(last?.flagged).toBe(false);
    expect(last?.signals.filter((s) => s.unusual).map((s) => s.key)).toEqual(['restingHr', 'hrv']);
    expect(last?.summary).toMatch(/not the pattern of an illness/);
  });

  it('keeps flagged nights out of later baselines and joins flagged days into episodes', () => {
    const sick = [0, 1, 2].map((i) => ({
      day: next(i),
      restingHr: 60,
      hrv: 40,
      temperature: 1,
      breath: 16,
      spo2: 96,
    }));
    const out = bodySignals([...base, ...sick]);
    expect(out.slice(-3).every((d) => d.flagged)).toBe(true);
    // The third ill night is still judged against the healthy 40, not the first two ill nights.
    expect(out.at(-1)?.signals.find((s) => s.key === 'restingHr')?.n).toBe(40);
    expect(flaggedEpisodes(out)).toEqual([
      {
        start: next(0),
        end: next(2),
        days: 3,
        signals: ['restingHr', 'hrv', 'temperature', 'breath', 'spo2'],
      },
    ]);
  });
});
