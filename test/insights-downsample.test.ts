import { describe, expect, it } from 'vitest';
import { lttb, minMaxBuckets, type Point } from '../src/insights/downsample.ts';

const wave = (n: number): Point[] =>
  Array.from({ length: n }, (_, i) => [i, Math.sin(i / 50) * 40 + 60] as const);

describe('lttb', () => {
  it('keeps at most the threshold, the first and last point, and x order', () => {
    const points = wave(10_000);
    const out = lttb(points, 2000);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out[0]).toEqual(points[0]);
    expect(out.at(-1)).toEqual(points.at(-1));
    for (let i = 1; i < out.length; i++)
      expect((out[i]?.[0] ?? 0) > (out[i - 1]?.[0] ?? 0)).toBe(true);
  });

  it('keeps a single spike that an even sampling would miss', () => {
    const points: Point[] = Array.from(
      { length: 5000 },
      (_, i) => [i, i === 2501 ? 500 : 50] as const,
    );
    const out = lttb(points, 100);
    expect(out.some((p) => p[1] === 500)).toBe(true);
  });

  it('keeps gaps as gaps', () => {
    const points: Point[] = [
      ...Array.from({ length: 3000 }, (_, i) => [i, 60] as const),
      [3000, null] as const,
      ...Array.from({ length: 3000 }, (_, i) => [3001 + i, 70] as const),
    ];
    const out = lttb(points, 500);
    expect(out.length).toBeLessThanOrEqual(500);
    const gapAt = out.findIndex((p) => p[1] === null);
    expect(gapAt).toBeGreaterThan(0);
    expect(out.slice(0, gapAt).every((p) => p[1] === 60)).toBe(true);
    expect(out.slice(gapAt + 1).every((p) => p[1] === 70)).toBe(true);
  });

  it('returns short series unchanged', () => {
    expect(lttb(wave(10), 2000)).toEqual(wave(10));
  });
});

describe('minMaxBuckets', () => {
  it('keeps each bucket extreme, so the highest and lowest beat survive', () => {
    const points: Point[] = Array.from(
      { length: 17_280 },
      (_, i) => [i * 5000, 60 + (i % 7)] as const,
    );
    points[9000] = [9000 * 5000, 171];
    points[12000] = [12000 * 5000, 38];
    const out = minMaxBuckets(points, 1000);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(Math.max(...out.map((p) => p[1] ?? 0))).toBe(171);
    expect(Math.min(...out.map((p) => p[1] ?? 999))).toBe(38);
  });
});
