import { describe, expect, it } from 'vitest';
import { chronotype } from '../src/insights/chronotype.ts';
import { addDays, dayToUtcMs } from '../src/insights/days.ts';
import {
  type DebtNight,
  debtWeight,
  estimateSleepNeed,
  sleepDebt,
  weightedDebt,
} from '../src/insights/sleepDebt.ts';
import {
  EPOCHS_PER_DAY,
  type Epoch,
  type HypnogramPeriod,
  sleepRegularityIndex,
  sleepWakeMatrix,
  sriWindow,
} from '../src/insights/sri.ts';
import { bestAndWorst, tQuantile975, weekMetric } from '../src/insights/weekReport.ts';

/** A day of 5-minute epochs asleep from `fromHour` for `hours` (the row starts at noon). */
function day(fromHourAfterNoon: number, hours: number): Epoch[] {
  const row = new Array<Epoch>(EPOCHS_PER_DAY).fill(0);
  for (let i = fromHourAfterNoon * 12; i < (fromHourAfterNoon + hours) * 12; i++)
    row[i % EPOCHS_PER_DAY] = 1;
  return row;
}

describe('Sleep Regularity Index (Phillips et al. 2017)', () => {
  it('is 100 when every day is the same', () => {
    expect(sleepRegularityIndex([day(11, 8), day(11, 8), day(11, 8), day(11, 8)])).toBe(100);
  });

  it('is −33.3 for 8 h of sleep moved by 12 h every day', () => {
    // Consecutive days agree only where both are awake: 8 of 24 h -> −100 + 200/3.
    const rows = [day(11, 8), day(23, 8), day(11, 8), day(23, 8)];
    expect(sleepRegularityIndex(rows)).toBeCloseTo(-100 + 200 / 3, 10);
  });

  it('is −100 for 12 h of sleep moved by 12 h every day (never the same state)', () => {
    expect(sleepRegularityIndex([day(6, 12), day(18, 12), day(6, 12)])).toBe(-100);
  });

  it('ignores epochs not recorded on either day', () => {
    const missing = new Array<Epoch>(EPOCHS_PER_DAY).fill(null);
    expect(sleepRegularityIndex([day(11, 8), missing, day(11, 8)])).toBeNull();
  });

  it('places each night on local clock time, noon to noon', () => {
    // 23:00-07:00 local, 96 five-minute epochs of light sleep.
    const night = (d: string): HypnogramPeriod => ({
      day: d,
      localStartMs: dayToUtcMs(addDays(d, -1)) + 23 * 3_600_000,
      stages: '2'.repeat(96),
      main: true,
    });
    const rows = sleepWakeMatrix(
      [night('2026-03-02'), night('2026-03-03')],
      '2026-03-02',
      '2026-03-04',
    );
    expect(rows[0]?.slice(0, 132).every((e) => e === 0)).toBe(true); // noon to 23:00 awake
    expect(rows[0]?.[132]).toBe(1);
    expect(rows[0]?.[227]).toBe(1);
    expect(rows[0]?.[228]).toBe(0); // 07:00
    expect(rows[2]?.every((e) => e === null)).toBe(true); // no night recorded on the 4th
  });

  it('refuses a week with fewer than 5 comparable day pairs, and gives an interval otherwise', () => {
    const nights = (n: number) =>
      Array.from({ length: n }, (_, i): HypnogramPeriod => {
        const d = addDays('2026-03-01', i);
        return {
          day: d,
          localStartMs: dayToUtcMs(addDays(d, -1)) + (23 + (i % 2)) * 3_600_000,
          stages: '2'.repeat(96),
          main: true,
        };
      });
    expect(sriWindow(nights(4), '2026-03-07', 7).sri).toBeNull();
    const w = sriWindow(nights(7), '2026-03-07', 7);
    expect(w.pairs).toBe(6);
    // Alternating an hour: 2 of 24 h differ per pair -> −100 + 200·22/24.
    expect(w.sri).toBeCloseTo(83.3, 1);
    expect(w.interval).toEqual([83.3, 83.3]);
  });
});

describe('sleep debt', () => {
  it('weights nights by a 7-night half-life', () => {
    expect(debtWeight(0)).toBe(1);
    expect(debtWeight(7)).toBeCloseTo(0.5, 12);
    expect(debtWeight(14)).toBeCloseTo(0.25, 12);
  });

  it('scales to 14 nights: an hour short every night is 14 h of debt', () => {
    const steady = Array.from({ length: 14 }, (_, age) => ({ age, minutes: 60 }));
    expect(weightedDebt(steady)).toBeCloseTo(14 * 60, 9);
    // Last night 60 short, a week ago on time: 60·1·14 / (1 + 0.5) = 560.
    expect(
      weightedDebt([
        { age: 0, minutes: 60 },
        { age: 7, minutes: 0 },
      ]),
    ).toBeCloseTo(560, 9);
    // Long nights repay, but debt never goes negative.
    expect(weightedDebt([{ age: 0, minutes: -90 }])).toBe(0);
  });

  const nights = (n: number, sleepMin: (i: number) => number): DebtNight[] =>
    Array.from({ length: n }, (_, i) => ({
      day: addDays('2026-01-01', i),
      totalSleep: sleepMin(i) * 60,
      timeInBed: (sleepMin(i) / 0.9) * 60,
      wakeMinutes: 7 * 60,
    }));

  it('estimates need as the median of the last 90 nights, and a setting overrides it', () => {
    const hist = nights(60, (i) => (i % 2 ? 420 : 480));
    const need = estimateSleepNeed(hist, '2026-03-01', null);
    expect(need.source).toBe('history');
    expect(need.minutes).toBe(450);
    expect(need.n).toBe(60);
    expect(estimateSleepNeed(hist, '2026-03-01', 500)).toMatchObject({
      minutes: 500,
      source: 'settings',
    });
    expect(
      estimateSleepNeed(
        nights(5, () => 400),
        '2026-01-05',
        null,
      ).source,
    ).toBe('default');
  });

  it('sets a bedtime window before the usual wake-up that repays part of the debt', () => {
    // 60 nights of 8 h, then 14 nights of 7 h: need 8 h (median), debt 14 h.
    const hist = nights(74, (i) => (i < 60 ? 480 : 420));
    const last = addDays('2026-01-01', 73);
    const r = sleepDebt(hist, last, 480);
    expect(r.debtMinutes).toBe(840);
    expect(r.n).toBe(14);
    // Repay 60 min (capped): 540 min asleep at 90 % efficiency = 600 min in bed before 07:00.
    expect(r.bedtime).toMatchObject({
      usualWake: 420,
      repayMinutes: 60,
      targetSleepMinutes: 540,
      earliest: 1260 - 15,
      latest: 1260 + 15,
    });
    expect(r.message).toMatch(/Sleep debt 14 h 0 min/);
    expect(r.message).toMatch(/between 20:45 and 21:15/);
  });

  it('refuses to judge with fewer than 7 of 14 nights', () => {
    const r = sleepDebt(
      nights(5, () => 420),
      '2026-01-05',
      480,
    );
    expect(r.debtMinutes).toBeNull();
    expect(r.message).toMatch(/Not enough nights/);
  });
});

describe('chronotype (Roenneberg MCTQ)', () => {
  // Work nights 23:00-07:00 (mid 03:00), free nights 00:00-10:00 (mid 05:00).
  const week = (start: string) =>
    Array.from({ length: 7 }, (_, i) => {
      const d = addDays(start, i);
      const free = i >= 5; // the 2026-03-02 week starts on Monday
      return { day: d, onsetMinutes: free ? 0 : -60, wakeMinutes: free ? 600 : 420 };
    });
  const nights = [...week('2026-03-02'), ...week('2026-03-09')];

  it('computes mid-sleep, social jetlag and MSFsc by hand', () => {
    const c = chronotype(nights);
    expect(c.midSleepWork).toBe(180);
    expect(c.midSleepFree).toBe(300);
    expect(c.socialJetlag).toBe(120);
    expect(c.socialJetlagInterval).toEqual([120, 120]);
    // SDweek = (480·5 + 600·2)/7 = 514.29; MSFsc = 300 − (600 − 514.29)/2 = 257.1
    expect(c.msfsc).toBe(257);
    expect(c.nWork).toBe(10);
    expect(c.nFree).toBe(4);
  });

  it('follows the work days set by the user', () => {
    // Everything a work day: no free nights, no conclusion.
    const c = chronotype(nights, [1, 2, 3, 4, 5, 6, 7]);
    expect(c.socialJetlag).toBeNull();
    expect(c.message).toMatch(/Not enough nights/);
  });
});

describe('weekly comparison', () => {
  it('uses Student t quantiles for small weeks', () => {
    expect(tQuantile975(6)).toBe(2.447);
    expect(tQuantile975(1)).toBe(12.706);
  });

  it('gives the difference with a Welch/t interval, and refuses with too few nights', () => {
    const info = { key: 'x', label: 'X', unit: 'ms' as const, higherIsBetter: true };
    const days = (vals: number[]) =>
      vals.map((value, i) => ({ day: addDays('2026-01-01', i), value }));
    // Week: 10, 12, 14 (mean 12, sd 2); baseline: 14 × {8, 10, 12} pattern (mean 10, sd ~1.65)
    const base = days(Array.from({ length: 42 }, (_, i) => [8, 10, 12][i % 3] ?? 10));
    const m = weekMetric(info, days([10, 12, 14]), base);
    expect(m.mean).toBe(12);
    expect(m.baseline).toBe(10);
    expect(m.delta).toBe(2);
    const sdB = Math.sqrt((14 * 4 * 2) / 41);
    const se = Math.sqrt(4 / 3 + sdB ** 2 / 42);
    expect(m.deltaInterval?.[0]).toBeCloseTo(2 - 4.303 * se, 9);
    expect(m.deltaInterval?.[1]).toBeCloseTo(2 + 4.303 * se, 9);
    expect(weekMetric(info, days([10, 12]), base).delta).toBeNull();
  });

  it('picks the best and worst night', () => {
    expect(
      bestAndWorst([
        { day: 'a', value: 70 },
        { day: 'b', value: null },
        { day: 'c', value: 90 },
        { day: 'd', value: 60 },
      ]),
    ).toEqual({ best: { day: 'c', score: 90 }, worst: { day: 'd', score: 60 } });
  });
});
