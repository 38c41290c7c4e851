import { describe, expect, it } from 'vitest';
import { dayToUtcMs } from '../src/insights/days.ts';
import {
  isoWithOffset,
  localClock,
  minutesFromLocalMidnight,
  parseOffsetMinutes,
} from '../src/insights/localTime.ts';
import { sleepRegularity } from '../src/insights/regularity.ts';
import { circularMeanMinutes, median } from '../src/insights/stats.ts';
import { weekdayPattern } from '../src/insights/weekday.ts';

describe('sleep timing', () => {
  it('averages bedtimes across midnight on the clock, not arithmetically', () => {
    // 23:30 and 00:30 average to midnight, not to noon.
    expect(circularMeanMinutes([23 * 60 + 30, 30])).toBeCloseTo(0, 6);
    const r = sleepRegularity([
      { day: '2026-01-02', bedtimeMinutes: -30, wakeMinutes: 7 * 60 },
      { day: '2026-01-03', bedtimeMinutes: 30, wakeMinutes: 7 * 60 + 30 },
    ]);
    expect(r.meanBedtime).toBeCloseTo(0, 6);
    expect(r.meanWake).toBeCloseTo(7 * 60 + 15, 6);
    expect(r.bedtimeSdMinutes).toBeCloseTo(Math.sqrt(2 * 30 ** 2), 6);
  });

  it('has zero spread for perfectly regular nights', () => {
    const nights = ['2026-01-02', '2026-01-03', '2026-01-04'].map((day) => ({
      day,
      bedtimeMinutes: -60,
      wakeMinutes: 420,
    }));
    expect(sleepRegularity(nights).midpointSdMinutes).toBe(0);
  });
});

describe("local time at a record's own offset", () => {
  it('shows a DST night in the offsets it started and ended in', () => {
    // Europe/Berlin, 29 March 2026: clocks jump from 02:00 CET to 03:00 CEST.
    const start = new Date('2026-03-28T22:30:00Z');
    const end = new Date('2026-03-29T05:00:00Z');
    expect(localClock(start, 60)).toBe('23:30');
    expect(localClock(end, 120)).toBe('07:00');
    expect(isoWithOffset(end, 120)).toBe('2026-03-29T07:00:00+02:00');
    expect(minutesFromLocalMidnight(start, 60, '2026-03-29')).toBe(-30);
    expect(minutesFromLocalMidnight(end, 120, '2026-03-29')).toBe(420);
  });

  it('reads offsets from ISO strings', () => {
    expect(parseOffsetMinutes('2026-01-01T23:00:00+05:30')).toBe(330);
    expect(parseOffsetMinutes('2026-01-01T23:00:00-08:00')).toBe(-480);
    expect(parseOffsetMinutes('2026-01-01T23:00:00Z')).toBe(0);
    expect(parseOffsetMinutes('2026-01-01T23:00:00')).toBeNull();
    expect(dayToUtcMs('2026-01-01')).toBe(Date.UTC(2026, 0, 1));
  });
});

describe('weekdayPattern', () => {
  it('separates Monday–Friday wake-up days from the weekend', () => {
    // 2026-01-05 is a Monday.
    const series = Array.from({ length: 14 }, (_, i) => {
      const day = new Date(Date.UTC(2026, 0, 5 + i)).toISOString().slice(0, 10);
      return { day, value: i % 7 >= 5 ? 90 : 70 };
    });
    const p = weekdayPattern(series);
    expect(p.workdayMean).toBe(70);
    expect(p.weekendMean).toBe(90);
    expect(p.weekdays.map((w) => w.count)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });
});
