import { describe, expect, it } from 'vitest';
import type { DataType } from '../src/oura/routes.ts';
import { addDays, daysBetween, isDay } from '../src/sync/days.ts';
import {
  createWindowPlanner,
  type DayRange,
  DOCUMENT_PAGE_SIZE,
  minimumRequests,
} from '../src/sync/windows.ts';

/** Walk a planner over [from, to] with `docsOn(day)` documents per day; count requests. */
function simulate(type: DataType, from: string, to: string, docsOn: (day: string) => number) {
  const planner = createWindowPlanner(type, from, to);
  const windows: DayRange[] = [];
  let requests = 0;
  for (let w = planner.next(); w; w = planner.next()) {
    let docs = 0;
    for (let d = w.from; d <= w.to; d = addDays(d, 1)) docs += docsOn(d);
    requests += type === 'heartrate' ? 1 : Math.max(1, Math.ceil(docs / DOCUMENT_PAGE_SIZE));
    windows.push(w);
    planner.record(w, docs);
  }
  return { windows, requests };
}

const FROM = '2023-11-29';
const TO = '2026-11-30';

describe('window planner', () => {
  it('covers the range exactly: contiguous windows, no gap, no overlap', () => {
    for (const type of ['sleep', 'daily_activity', 'heartrate', 'tag'] as const) {
      const { windows } = simulate(type, FROM, TO, () => 1);
      expect(windows[0]?.from).toBe(FROM);
      expect(windows.at(-1)?.to).toBe(TO);
      for (let i = 1; i < windows.length; i++) {
        expect(windows[i]?.from).toBe(addDays(windows[i - 1]?.to ?? '', 1));
      }
      for (const w of windows) expect(w.from <= w.to && isDay(w.from) && isDay(w.to)).toBe(true);
    }
  });

  it('heart rate windows are at most 30 days', () => {
    const { windows } = simulate('heartrate', FROM, TO, () => 288);
    for (const w of windows) expect(daysBetween(w.from, w.to) + 1).toBeLessThanOrEqual(30);
    expect(windows.length).toBe(minimumRequests('heartrate', daysBetween(FROM, TO) + 1, 0));
  });

  it('a daily type over three years costs the minimum number of requests', () => {
    const { requests } = simulate('daily_readiness', FROM, TO, () => 1);
    const days = daysBetween(FROM, TO) + 1;
    expect(requests).toBe(minimumRequests('daily_readiness', days, days));
  });

  it('variable and sparse types stay within 10% of the minimum over three years', () => {
    // Deterministic "random" densities: a nap every ~5th day, a workout most days, rare tags.
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const profiles: [DataType, () => number][] = [
      ['sleep', () => 1 + (rand() < 0.2 ? 1 : 0)],
      ['workout', () => (rand() < 0.6 ? 1 : 0)],
      ['session', () => (rand() < 0.3 ? 1 : 0)],
      ['enhanced_tag', () => (rand() < 0.1 ? 1 : 0)],
      ['rest_mode_period', () => (rand() < 0.005 ? 1 : 0)],
    ];
    let total = 0;
    let minimum = 0;
    for (const [type, density] of profiles) {
      const counts = new Map<string, number>();
      for (let d = FROM; d <= TO; d = addDays(d, 1)) counts.set(d, density());
      const docs = [...counts.values()].reduce((a, b) => a + b, 0);
      const { requests } = simulate(type, FROM, TO, (d) => counts.get(d) ?? 0);
      total += requests;
      minimum += minimumRequests(type, daysBetween(FROM, TO) + 1, docs);
    }
    expect(total).toBeLessThanOrEqual(Math.ceil(minimum * 1.1) + 1);
  });

  it('an incremental range is one window', () => {
    const { windows } = simulate('sleep', '2026-11-22', '2026-11-30', () => 1);
    expect(windows).toEqual([{ from: '2026-11-22', to: '2026-11-30' }]);
  });
});
