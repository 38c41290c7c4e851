import { beforeAll, describe, expect, it } from 'vitest';

// The dashboard keeps display settings in the browser's localStorage.
const store = new Map<string, string>();
beforeAll(() => {
  Object.assign(globalThis, {
    localStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
    },
    matchMedia: () => ({ matches: false }),
    document: { documentElement: { dataset: {} } },
  });
});

const axes = () => import('../web/src/charts/axes.ts');
const settings = () => import('../web/src/settings.ts');

describe('chart axes', () => {
  it('puts durations at round h:mm steps, not 5.6h / 6.9h / 8.3h', async () => {
    const { valueTicks, tickLabel } = await axes();
    const ticks = valueTicks(5.6 * 3600, 8.3 * 3600, 'seconds');
    expect(ticks.map((t) => tickLabel(t, 'seconds'))).toEqual(['6:00', '7:00', '8:00']);
    const night = valueTicks(0, 9 * 3600 + 600, 'seconds', 4);
    expect(night.map((t) => tickLabel(t, 'seconds'))).toEqual(['0:00', '3:00', '6:00', '9:00']);
  });

  it('steps °F and miles at round display values in imperial units', async () => {
    const { valueTicks, tickLabel, axisUnit } = await axes();
    (await settings()).updateSettings({ units: 'imperial' });
    const temps = valueTicks(-0.5, 0.6, 'celsius_delta').map((t) => tickLabel(t, 'celsius_delta'));
    expect(temps).toEqual(['−0.5', '0', '+0.5', '+1']);
    expect(axisUnit('celsius_delta')).toBe('Δ °F');
    const miles = valueTicks(0, 12_000, 'meters').map((t) => tickLabel(t, 'meters'));
    expect(miles).toEqual(['0', '2', '4', '6']);
    expect(axisUnit('meters')).toBe('mi');
    (await settings()).updateSettings({ units: 'metric' });
    expect(axisUnit('celsius_delta')).toBe('Δ °C');
    expect(axisUnit('bpm')).toBe('bpm');
    expect(axisUnit('ms')).toBe('ms');
  });

  it('labels a 7-day axis once per day and a year by month as "Feb 2026"', async () => {
    const { dayTicks } = await axes();
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 1000;
    const week = dayTicks(day('2025-11-28') - 43_200, day('2025-12-04') + 43_200, 12);
    expect(week.labels).toEqual(['28 Nov', '29 Nov', '30 Nov', '1 Dec', '2 Dec', '3 Dec', '4 Dec']);
    expect(new Set(week.labels).size).toBe(week.labels.length);
    const year = dayTicks(day('2025-11-29'), day('2026-11-28'), 7);
    expect(year.labels[0]).toBe('Jan 2026');
    expect(year.labels.every((l) => /^[A-Z][a-z]{2} \d{4}$/.test(l))).toBe(true);
    expect(new Set(year.labels).size).toBe(year.labels.length);
  });
});

describe('a night on its own clock', () => {
  const berlin = async (start: string, end: string) => {
    const { nightClock, isoOffsetMinutes } = await import('../web/src/charts/nightClock.ts');
    return nightClock(
      Date.parse(start),
      isoOffsetMinutes(start) ?? 0,
      Date.parse(end),
      isoOffsetMinutes(end) ?? 0,
    );
  };

  it('follows the spring change: 02:00 becomes 03:00 and the night ends at 07:24', async () => {
    const { clockTime, clockTicks, clockTickLabel, changeSentence } = await import(
      '../web/src/charts/nightClock.ts'
    );
    const start = '2026-03-28T22:44:00+01:00';
    const end = '2026-03-29T07:24:00+02:00';
    const clock = await berlin(start, end);
    expect(clock.changeAt).toBe(Date.parse('2026-03-29T01:00:00Z'));
    expect(clockTime(clock, Date.parse(start))).toBe('22:44');
    expect(clockTime(clock, Date.parse(end))).toBe('07:24');
    const labels = clockTicks(clock, Date.parse(start), Date.parse(end), 60).map((t) =>
      clockTickLabel(clock, t),
    );
    expect(labels).toEqual([
      '23:00',
      '00:00',
      '01:00',
      '02:00→03:00',
      '04:00',
      '05:00',
      '06:00',
      '07:00',
    ]);
    expect(changeSentence(clock)).toContain('Clocks went forward 1 h');
  });

  it('follows the autumn change: 03:00 becomes 02:00 and the night ends at 08:23', async () => {
    const { clockTime, clockTicks, clockTickLabel, changeSentence } = await import(
      '../web/src/charts/nightClock.ts'
    );
    const start = '2026-10-24T23:08:00+02:00';
    const end = '2026-10-25T08:23:00+01:00';
    const clock = await berlin(start, end);
    expect(clock.changeAt).toBe(Date.parse('2026-10-25T01:00:00Z'));
    expect(clockTime(clock, Date.parse(end))).toBe('08:23');
    const labels = clockTicks(clock, Date.parse(start), Date.parse(end), 60).map((t) =>
      clockTickLabel(clock, t),
    );
    expect(labels.at(-1)).toBe('08:00');
    expect(labels).toContain('03:00→02:00');
    expect(new Set(labels).size).toBe(labels.length);
    expect(changeSentence(clock)).toContain('Clocks went back 1 h');
  });
});

describe('score bands', () => {
  it('puts 85–100 in Optimal, 70–84 in Good and below 70 in Pay attention', async () => {
    const { scoreBand } = await import('../web/src/charts/scoreBands.ts');
    expect([100, 85, 84, 70, 69, 0, null].map((s) => scoreBand(s)?.label ?? null)).toEqual([
      'Optimal',
      'Optimal',
      'Good',
      'Good',
      'Pay attention',
      'Pay attention',
      null,
    ]);
  });
});
