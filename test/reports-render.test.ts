import { describe, expect, it } from 'vitest';
import type { WeekReport } from '../src/api/types.ts';
import { describeDelta, weekReportHtml, weekReportMarkdown } from '../src/reports/render.ts';

const metric = {
  key: 'total_sleep',
  label: 'Total sleep',
  unit: 'seconds' as const,
  higherIsBetter: true,
  mean: 27_000,
  n: 7,
  baseline: 27_600,
  baselineSd: 1800,
  baselineN: 58,
  delta: -600,
  deltaInterval: [-1800, 600] as [number, number],
};

const report: WeekReport = {
  user: 'demo',
  from: '2026-11-16',
  to: '2026-11-22',
  nights: 7,
  metrics: [metric],
  best: { day: '2026-11-21', score: 90 },
  worst: { day: '2026-11-20', score: 66 },
  debt: {
    day: '2026-11-22',
    need: { minutes: 460, source: 'history', interval: [450, 470], n: 85 },
    debtMinutes: 0,
    n: 14,
    windowNights: 14,
    nights: [],
    bedtime: null,
    message: 'No sleep debt over the last 14 nights.',
  },
  regularity: {
    sri: { days: 7, sri: 82, pairs: 6, interval: [75, 89] },
    chronotype: {
      workDays: [1, 2, 3, 4, 5],
      nWork: 20,
      nFree: 8,
      midSleepWork: 170,
      midSleepFree: 238,
      durationWork: 470,
      durationFree: 520,
      socialJetlag: 68,
      socialJetlagInterval: [41, 96],
      msfsc: 215,
      message: 'Mid-sleep is 68 min later on free days.',
    },
  },
  flags: [],
  tags: [{ tag: '<script>alert(1)</script>', days: ['2026-11-20'] }],
};

describe('weekly report rendering', () => {
  it('says when a difference is within the usual spread, with its interval', () => {
    expect(describeDelta(metric)).toBe(
      '−10 min (95 % −30 min to +10 min), within the usual spread',
    );
    expect(describeDelta({ ...metric, delta: null, deltaInterval: null, n: 2 })).toBe(
      'not compared (2 nights this week, 58 in the baseline)',
    );
  });

  it('writes Markdown with every section and the chronotype clock time', () => {
    const md = weekReportMarkdown(report);
    expect(md).toContain('# Week 2026-11-16 to 2026-11-22 (demo)');
    expect(md).toContain('| Total sleep | 7 h 30 min | 7 h 40 min ± 30 min |');
    expect(md).toContain('Sleep Regularity Index 82 over the week (95 % 75 to 89, 6 day pairs).');
    expect(md).toContain('Chronotype (MSFsc): mid-sleep 03:35.');
    expect(md).toContain('No night was flagged');
  });

  it('escapes stored text in HTML', () => {
    const html = weekReportHtml(report);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
