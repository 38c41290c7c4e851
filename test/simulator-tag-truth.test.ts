import { describe, expect, it } from 'vitest';
import { addDays } from '../src/insights/days.ts';
import { experimentSentence } from '../src/insights/experimentSentence.ts';
import { subjectLabel, tagSubject, workoutSubject } from '../src/insights/subjects.ts';
import { generateDataset } from '../src/simulator/data/index.ts';
import { nightTagEffect } from '../src/simulator/data/tagEffects.ts';
import { dayNumber } from '../src/simulator/data/time.ts';
import { createProfile } from '../src/simulator/data/users.ts';

describe('planted tag truth in the simulator', () => {
  const opts = { seed: 9, users: 1, days: 200, endDate: '2026-11-28' };

  it('is the same for the same seed and lists tagged days that match the documents', () => {
    const a = generateDataset(opts)[0]?.tagTruth?.();
    const b = generateDataset(opts)[0]?.tagTruth?.();
    expect(a).toEqual(b);
    const other = generateDataset({ ...opts, seed: 10 })[0]?.tagTruth?.();
    expect(other?.taggedDays).not.toEqual(a?.taggedDays);
    const user = generateDataset(opts)[0];
    const lateMeals = [...(user?.documents.enhanced_tag.values() ?? [])]
      .filter((d) => d.tag_type_code === 'tag_generic_late_meal')
      .map((d) => d.start_day);
    expect(a?.taggedDays.tag_generic_late_meal).toEqual([...new Set(lateMeals)]);
  });

  it('applies the planted sizes to the night after a tagged day, and nothing otherwise', () => {
    const p = createProfile(9, 0);
    const truth = generateDataset(opts)[0]?.tagTruth?.();
    const alcoholDay = truth?.taggedDays.tag_generic_alcohol?.[0] ?? '';
    const night = dayNumber(addDays(alcoholDay, 1));
    const effect = nightTagEffect(p, night);
    expect(effect.hrvFactor).toBeCloseTo(0.85, 10);
    expect(effect.restingHrDelta).toBe(4);
    expect(effect.remFactor).toBeCloseTo(0.75, 10);
    const quiet = [...Array(200).keys()]
      .map((i) => dayNumber(addDays('2026-05-12', i)))
      .find((d) => {
        const e = nightTagEffect(p, d);
        return e.hrvFactor === 1 && e.deepFactor === 1 && e.remFactor === 1;
      });
    expect(quiet).toBeDefined();
  });
});

describe('experiment subjects and sentences', () => {
  it('merges legacy and enhanced tag names and labels them for people', () => {
    expect(tagSubject('alcohol', null)).toBe('tag:tag_generic_alcohol');
    expect(tagSubject('tag_generic_alcohol', null)).toBe('tag:tag_generic_alcohol');
    expect(tagSubject('custom', 'Cold plunge')).toBe('tag:custom:Cold plunge');
    expect(subjectLabel('tag:tag_generic_late_meal')).toBe('Late meal');
    expect(subjectLabel('tag:custom:Cold plunge')).toBe('Cold plunge');
    expect(subjectLabel(workoutSubject('strength_training'))).toBe('Strength training workout');
  });

  it('says "no evidence either way" when the interval includes zero, and never claims a cause', () => {
    const metric = {
      key: 'deep_sleep',
      label: 'Deep sleep',
      unit: 'seconds',
      group: 'sleep',
      higherIsBetter: true,
    } as const;
    const base = {
      nExposed: 20,
      nOther: 300,
      meanExposed: 4800,
      meanOther: 5400,
      relative: -600 / 5400,
      hedgesG: -0.6,
    };
    const found = experimentSentence(metric, 'nights after late meal days', {
      ...base,
      difference: -600,
      lower: -900,
      upper: -300,
      verdict: 'lower',
    });
    expect(found).toBe(
      'On the 20 nights after late meal days, deep sleep was 10 min (11 %) lower than on the 300 other nights (95 % interval −15 min to −5.0 min). An association in your data, not proof that one causes the other.',
    );
    const unsure = experimentSentence(metric, 'nights after late meal days', {
      ...base,
      difference: -600,
      lower: -1200,
      upper: 60,
      verdict: 'no_evidence',
    });
    expect(unsure).toMatch(/^No evidence either way: .* includes zero\.$/);
  });
});
