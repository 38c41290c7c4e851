import { sicknessOn } from './calendar.ts';
import { perUser } from './memo.ts';
import { clamp, rngFor } from './prng.ts';
import { weekday } from './time.ts';
import type { UserProfile } from './users.ts';

/**
 * Things a person does that show up in tags and in the following night's physiology
 * (alcohol raises resting heart rate and lowers HRV, as Oura members see).
 */
export interface LifeEvent {
  /** enhanced_tag `tag_type_code` (spec: "custom" for custom tag types). */
  readonly code: string;
  readonly customName: string | null;
  /** Local minutes after midnight of the day. */
  readonly minute: number;
  /** Duration in minutes, or null for a point-in-time tag. */
  readonly durationMin: number | null;
  readonly comment: string | null;
}

const EVENING_TAGS: readonly { code: string; weight: number; minute: [number, number] }[] = [
  { code: 'tag_generic_alcohol', weight: 5, minute: [18 * 60, 22 * 60] },
  { code: 'tag_generic_caffeine', weight: 3, minute: [13 * 60, 17 * 60] },
  { code: 'tag_generic_late_meal', weight: 3, minute: [20 * 60 + 30, 22 * 60 + 30] },
  { code: 'tag_generic_sauna', weight: 1, minute: [17 * 60, 20 * 60] },
  { code: 'tag_generic_stress', weight: 2, minute: [10 * 60, 18 * 60] },
  { code: 'tag_generic_screen_time', weight: 1, minute: [21 * 60, 23 * 60] },
];

const COMMENTS = ['Birthday dinner', 'Two glasses of wine', 'Long day', 'Felt great', 'Deadline'];

export const lifeEvents = perUser((p: UserProfile, day: number): readonly LifeEvent[] => {
  const r = rngFor(p.seed, 'life', day);
  const out: LifeEvent[] = [];
  const weekend = weekday(day) === 5 || weekday(day) === 6;
  const rate = clamp(p.tagRate * (weekend ? 1.8 : 1) * (sicknessOn(p, day) ? 0.3 : 1), 0, 0.6);
  if (r.chance(rate)) {
    const t = r.weighted(
      EVENING_TAGS,
      EVENING_TAGS.map((x) => x.weight),
    );
    out.push({
      code: t.code,
      customName: null,
      minute: r.int(t.minute[0], t.minute[1]),
      durationMin: t.code === 'tag_generic_sauna' ? r.int(20, 60) : null,
      comment: r.chance(0.15) ? r.pick(COMMENTS) : null,
    });
  }
  if (r.chance(rate * 0.15)) {
    out.push({
      code: 'custom',
      customName: r.pick(['Cold plunge', 'Magnesium', 'Ate spicy food', 'Board games']),
      minute: r.int(17 * 60, 21 * 60),
      durationMin: null,
      comment: null,
    });
  }
  return out;
});

export function hadAlcohol(p: UserProfile, day: number): boolean {
  return lifeEvents(p, day).some((e) => e.code === 'tag_generic_alcohol');
}
