import { describe, expect, it } from 'vitest';
import { addDays } from '../src/insights/days.ts';
import { baselineBand, rollingMean } from '../src/insights/rolling.ts';

const days = (n: number, start = '2026-01-01') =>
  Array.from({ length: n }, (_, i) => addDays(start, i));

describe('rollingMean', () => {
  it('averages the trailing 7 calendar days ending on each day', () => {
    const series = days(10).map((day, i) => ({ day, value: i + 1 }));
    const out = rollingMean(series, 7);
    // Days 1-3 have fewer than 4 values in their window: no mean yet.
    expect(out.slice(0, 3).map((p) => p.value)).toEqual([null, null, null]);
    expect(out[3]?.value).toBe(2.5); // (1+2+3+4)/4
    expect(out[6]?.value).toBe(4); // (1..7)/7
    expect(out[9]?.value).toBe(7); // (4..10)/7
  });

  it('counts the window in calendar days, so a gap never stretches it', () => {
    const series = [
      { day: '2026-01-01', value: 100 },
      { day: '2026-01-02', value: 100 },
      { day: '2026-01-03', value: 100 },
      { day: '2026-01-04', value: 100 },
      // a week without data
      { day: '2026-01-12', value: 10 },
      { day: '2026-01-13', value: 20 },
      { day: '2026-01-14', value: 30 },
      { day: '2026-01-15', value: 40 },
    ];
    const out = rollingMean(series, 7);
    expect(out.find((p) => p.day === '2026-01-12')?.value).toBeNull();
    expect(out.find((p) => p.day === '2026-01-15')?.value).toBe(25);
  });

  it('skips missing values instead of treating them as zero', () => {
    const series = days(7).map((day, i) => ({ day, value: i === 3 ? null : 60 }));
    expect(rollingMean(series, 7)[6]?.value).toBe(60);
  });
});

describe('baselineBand', () => {
  it('is the 60-day trailing mean plus and minus one sample standard deviation', () => {
    const series = days(60).map((day, i) => ({ day, value: i % 2 === 0 ? 50 : 70 }));
    const last = baselineBand(series, 60, 1).at(-1);
    expect(last?.mean).toBe(60);
    // 30 values at 50 and 30 at 70: sample SD = sqrt(60 * 100 / 59).
    const sd = Math.sqrt((60 * 100) / 59);
    expect(last?.lower).toBeCloseTo(60 - sd, 9);
    expect(last?.upper).toBeCloseTo(60 + sd, 9);
  });

  it('stays empty until 14 values exist', () => {
    const band = baselineBand(days(20).map((day) => ({ day, value: 1 })));
    expect(band[12]?.mean).toBeNull();
    expect(band[13]?.mean).toBe(1);
  });
});

describe('calendar days', () => {
  it('converts days and instants exactly, leap days and centuries included', async () => {
    const { addDays: add, dayToUtcMs, utcMsToDay } = await import('../src/insights/days.ts');
    for (
      let ms = Date.UTC(1899, 0, 1);
      ms < Date.UTC(2101, 0, 1);
      ms += 86_400_000 * 7 + 3_600_000
    ) {
      const day = new Date(ms).toISOString().slice(0, 10);
      expect(utcMsToDay(ms)).toBe(day);
      expect(dayToUtcMs(day)).toBe(
        Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8))),
      );
    }
    expect(add('2024-02-28', 1)).toBe('2024-02-29');
    expect(add('2100-02-28', 1)).toBe('2100-03-01');
    expect(add('2026-01-01', -1)).toBe('2025-12-31');
  });
});
