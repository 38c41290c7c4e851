import { describe, expect, it } from 'vitest';
import { checkDocument } from '../src/oura/schemas.ts';

const sleep = {
  id: 'sleep-1',
  day: '2025-01-31',
  bedtime_start: '2025-01-30T23:10:00+01:00',
  bedtime_end: '2025-01-31T07:02:00+01:00',
  type: 'long_sleep',
  total_sleep_duration: 26_000,
};

describe('document schemas', () => {
  it('accepts unknown fields and missing optional ones, returning the raw object itself', () => {
    const doc = { ...sleep, field_added_in_2027: { nested: true } };
    const check = checkDocument('sleep', doc);
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.document).toBe(doc);
      expect(check.document.field_added_in_2027).toEqual({ nested: true });
    }
  });

  it('accepts null for optional fields (recorded responses carry nulls)', () => {
    expect(checkDocument('sleep', { ...sleep, average_hrv: null, readiness: null }).ok).toBe(true);
  });

  it('reports a missing identity field by path', () => {
    const { day: _day, ...withoutDay } = sleep;
    const check = checkDocument('sleep', withoutDay);
    expect(check).toEqual({ ok: false, message: expect.stringMatching(/sleep-1'?: day: /) });
  });

  it('reports a wrong type in a used field by path', () => {
    const check = checkDocument('daily_sleep', {
      id: 'ds-1',
      day: '2025-01-31',
      timestamp: '2025-01-31T00:00:00+00:00',
      contributors: { deep_sleep: 'high' },
    });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toContain('contributors.deep_sleep');
  });

  it('rejects days that are not calendar days and timestamps that do not parse', () => {
    const badDay = checkDocument('daily_stress', { id: 'x', day: '2025-02-30' });
    expect(badDay.ok).toBe(false);
    const badTime = checkDocument('heartrate', { timestamp: 'yesterday', bpm: 60 });
    expect(badTime.ok).toBe(false);
    if (!badTime.ok) expect(badTime.message).toContain('timestamp');
  });

  it('requires bpm and timestamp on heart-rate rows, nothing else', () => {
    expect(checkDocument('heartrate', { timestamp: '2025-01-01T00:00:00Z', bpm: 58 }).ok).toBe(
      true,
    );
    const check = checkDocument('heartrate', { timestamp: '2025-01-01T00:00:00Z', bpm: '58' });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(/bpm: .*number/);
  });

  it('reports a document that is not an object', () => {
    expect(checkDocument('tag', 'oops')).toEqual({
      ok: false,
      message: expect.stringContaining('expected a JSON object'),
    });
  });
});
