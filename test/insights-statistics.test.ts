import { describe, expect, it } from 'vitest';
import { bootstrapInterval, quantileSorted } from '../src/insights/bootstrap.ts';
import { addDays } from '../src/insights/days.ts';
import { hedgesG } from '../src/insights/effectSize.ts';
import { compareNights, expandedLevel } from '../src/insights/experiment.ts';
import { benjaminiHochberg } from '../src/insights/fdr.ts';
import { normalQuantile, tQuantile } from '../src/insights/normal.ts';
import { ranks, spearman, theilSen } from '../src/insights/spearman.ts';

describe('Spearman rank correlation', () => {
  it('averages tied ranks', () => {
    expect(ranks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
  });

  it('matches a hand computation: 1 - 6·Σd² / (n(n²-1)) without ties', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const y = [2, 1, 4, 3, 6, 5, 8, 7, 10, 9];
    // every d = ±1: Σd² = 10, rho = 1 - 60/990
    const r = spearman(x, y);
    expect(r?.rho).toBeCloseTo(1 - 60 / 990, 12);
    // Bonett–Wright: SE = sqrt((1 + rho²/2)/(n-3)), interval tanh(atanh(rho) ± 1.96·SE)
    const rho = 1 - 60 / 990;
    const se = Math.sqrt((1 + (rho * rho) / 2) / 7);
    expect(r?.lower).toBeCloseTo(Math.tanh(Math.atanh(rho) - 1.959964 * se), 5);
    expect(r?.upper).toBeCloseTo(Math.tanh(Math.atanh(rho) + 1.959964 * se), 5);
    expect(r?.p).toBeLessThan(0.01);
  });

  it('gives no answer below 10 pairs or without spread', () => {
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeNull();
    expect(spearman(Array(12).fill(1), [...Array(12).keys()])).toBeNull();
  });

  it('Theil–Sen recovers a line despite an outlier', () => {
    const x = [...Array(20).keys()];
    const y = x.map((v) => 2 * v + 1);
    y[5] = 500;
    const line = theilSen(x, y);
    expect(line?.slope).toBe(2);
    expect(line?.intercept).toBe(1);
  });
});

describe('Benjamini–Hochberg', () => {
  it('reproduces the published example (Benjamini & Hochberg 1995, 15 p-values: 4 kept at q = 0.05)', () => {
    const p = [
      0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719,
      0.6528, 0.759, 1,
    ];
    const q = benjaminiHochberg(p);
    expect(q.filter((v) => v <= 0.05)).toHaveLength(4);
    expect(q[0]).toBeCloseTo(0.0015, 10);
    expect(q[3]).toBeCloseTo((0.0095 * 15) / 4, 10);
    expect(q[14]).toBe(1);
  });

  it('keeps the input order and is monotone in p', () => {
    const q = benjaminiHochberg([0.04, 0.01, 0.03]);
    expect(q).toEqual([0.04, 0.03, 0.04]);
  });
});

describe('bootstrap and effect sizes', () => {
  it('the same seed gives the same interval, another seed a slightly different one', () => {
    const a = [...Array(40).keys()].map((i) => (i * 7) % 13);
    const b = [...Array(40).keys()].map((i) => ((i * 5) % 11) + 1);
    const diff = (g: readonly (readonly number[])[]) => {
      const m = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      return m(g[0] ?? []) - m(g[1] ?? []);
    };
    const one = bootstrapInterval([a, b], diff, { resamples: 1000, seed: 7 });
    expect(bootstrapInterval([a, b], diff, { resamples: 1000, seed: 7 })).toEqual(one);
    expect(bootstrapInterval([a, b], diff, { resamples: 1000, seed: 8 })).not.toEqual(one);
    expect(one.lower).toBeLessThan(diff([a, b]));
    expect(one.upper).toBeGreaterThan(diff([a, b]));
  });

  it('quantiles interpolate between order statistics (R type 7)', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
  });

  it("Hedges' g matches a hand computation", () => {
    // means 3 and 5, pooled SD = sqrt((2.5·4 + 2.5·4)/8) = sqrt(2.5), J = 1 - 3/31
    const g = hedgesG([1, 2, 3, 4, 5], [3, 4, 5, 6, 7]);
    expect(g).toBeCloseTo((-2 / Math.sqrt(2.5)) * (1 - 3 / 31), 12);
  });

  it('normal and t quantiles match tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228, 2);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042, 2);
    expect(expandedLevel(1000)).toBeCloseTo(0.95, 2);
    expect(expandedLevel(5)).toBeGreaterThan(0.99);
  });
});

describe('tag experiments', () => {
  const start = '2026-01-05'; // a Monday
  const nights = (n: number, value: (i: number, day: string) => number) =>
    Array.from({ length: n }, (_, i) => {
      const day = addDays(start, i);
      return { day, value: value(i, day) };
    });

  it('finds a clear drop and says which way', () => {
    const tagged = new Set<string>();
    for (let i = 0; i < 200; i += 7) tagged.add(addDays(start, i + 2)); // Wednesdays
    const data = nights(
      200,
      (i, day) => 50 + ((i * 17) % 9) - (tagged.has(addDays(day, -1)) ? 8 : 0),
    );
    const r = compareNights(data, (d) => tagged.has(addDays(d, -1)), { seed: 1 });
    expect(r.verdict).toBe('lower');
    expect(r.difference).toBeLessThan(-5);
    expect(r.upper).toBeLessThan(0);
  });

  it('says "too few" below 5 nights in a group', () => {
    const data = nights(60, (i) => i);
    const r = compareNights(data, (d) => d === addDays(start, 3), { seed: 1 });
    expect(r.verdict).toBe('too_few');
    expect(r.lower).toBeNull();
  });

  it('compares weekday and weekend nights separately, so a weekend habit is not an effect', () => {
    // Weekend nights are 10 higher; the tag falls mostly on Friday and Saturday.
    const weekend = (day: string) =>
      [5, 6].includes((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7);
    // Noise unrelated to the weekday (a fixed pseudo-random sequence).
    const noise = (i: number) => ((Math.sin(i * 12.9898) * 43758.5453) % 1) * 6;
    const data = nights(364, (i, day) => 40 + (weekend(day) ? 10 : 0) + noise(i));
    const tagged = (d: string) => {
      const before = addDays(d, -1);
      const wd = (new Date(`${before}T00:00:00Z`).getUTCDay() + 6) % 7;
      return wd === 4 || wd === 5 || (wd === 1 && Number(before.slice(8)) % 3 === 0);
    };
    const r = compareNights(data, tagged, { seed: 3 });
    expect(r.meanExposed ?? 0).toBeGreaterThan((r.meanOther ?? 0) + 4);
    expect(r.verdict).toBe('no_evidence');
  });
});
