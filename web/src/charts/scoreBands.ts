/**
 * Oura's score bands, the only meaning a score's colour carries: 85–100 Optimal, 70–84 Good,
 * below 70 Pay attention. The colours are the theme's --band-* variables (styles.css).
 */
export interface ScoreBand {
  key: 'optimal' | 'good' | 'attention';
  label: string;
  min: number;
}

export const SCORE_BANDS: readonly ScoreBand[] = [
  { key: 'optimal', label: 'Optimal', min: 85 },
  { key: 'good', label: 'Good', min: 70 },
  { key: 'attention', label: 'Pay attention', min: 0 },
];

export function scoreBand(score: number | null | undefined): ScoreBand | null {
  if (score === null || score === undefined || !Number.isFinite(score)) return null;
  return SCORE_BANDS.find((b) => score >= b.min) ?? null;
}

/** One line per contributor: what it measures, as Oura describes it. */
export const CONTRIBUTOR_HINTS: Record<string, string> = {
  total_sleep: 'Time asleep compared with what an adult needs (7–9 h).',
  efficiency: 'Share of time in bed spent asleep.',
  restfulness: 'Wake-ups, getting up and restless moments during the night.',
  rem_sleep: 'Time in REM sleep, for memory and learning.',
  deep_sleep: 'Time in deep sleep, for physical recovery.',
  latency: 'How long it took to fall asleep (15–20 min is ideal).',
  timing: 'Whether the middle of your sleep fell between midnight and 3 am.',
  activity_balance: 'Your activity over the past two weeks against your fitness.',
  body_temperature: 'Last night’s body temperature against your baseline.',
  hrv_balance: 'Your recent HRV against your long-term HRV.',
  previous_day_activity: 'Yesterday’s activity: too little or too much lowers it.',
  previous_night: 'Last night’s sleep.',
  recovery_index: 'How early in the night your heart rate settled.',
  resting_heart_rate: 'Last night’s lowest heart rate against your baseline.',
  sleep_balance: 'Your sleep over the past two weeks against your need.',
  sleep_regularity: 'How consistent your sleep and wake times have been.',
};
