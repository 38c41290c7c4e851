import { describe, expect, it } from 'vitest';
import { scoreTagInsights } from '../bench/insightsTagsScore.ts';

/**
 * Recall on the tag effects the simulator plants, for one seed (the benchmark runs five):
 * every planted effect found with the right sign, and no-effect tags mostly left alone.
 */
describe('tag experiments against the planted truth', () => {
  it('finds every planted effect of seed 1 in a year of data, and no false findings above 5 %', () => {
    const s = scoreTagInsights({ seed: 1, users: 1, days: 365, endDate: '2026-11-28' });
    expect(s.planted).toBe(4);
    expect(s.plantedMissed).toEqual([]);
    expect(s.plantedFound).toBe(4);
    expect(s.noEffectIncludingZero / s.noEffect).toBeGreaterThanOrEqual(0.95);
    expect(s.associationsPlanted).toBeGreaterThan(0);
  }, 20_000);
});
