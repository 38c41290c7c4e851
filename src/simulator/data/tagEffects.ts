import { lifeEvents } from './lifestyle.ts';
import { dayString } from './time.ts';
import type { UserProfile } from './users.ts';

/**
 * The planted truth about tags: which tags change the next night, by how much, and which change
 * nothing. Physiology applies these multipliers and offsets to the night after a tagged day, and
 * `GET /_sim/users/:name/truth/tags` publishes the same table, so tests can measure how well the
 * tag experiments find real effects and how often they invent ones.
 */

/** A metric key of the dashboard's catalogue that a planted effect moves. */
export type TagOutcome = 'average_hrv' | 'lowest_heart_rate' | 'rem_sleep' | 'deep_sleep';

export interface PlantedTagEffect {
  /** enhanced_tag `tag_type_code` of the evening before the night. */
  readonly tag: string;
  readonly outcome: TagOutcome;
  /** 'relative': the night's value is multiplied by 1 + size; 'absolute': size is added. */
  readonly kind: 'relative' | 'absolute';
  readonly size: number;
  /** Plain words, for reports. */
  readonly description: string;
}

export const PLANTED_TAG_EFFECTS: readonly PlantedTagEffect[] = [
  {
    tag: 'tag_generic_alcohol',
    outcome: 'average_hrv',
    kind: 'relative',
    size: -0.15,
    description: 'HRV 15 % lower the night after drinking',
  },
  {
    tag: 'tag_generic_alcohol',
    outcome: 'lowest_heart_rate',
    kind: 'absolute',
    size: 4,
    description: 'resting heart rate 4 bpm higher the night after drinking',
  },
  {
    tag: 'tag_generic_alcohol',
    outcome: 'rem_sleep',
    kind: 'relative',
    size: -0.25,
    description: 'REM sleep propensity 25 % lower the night after drinking',
  },
  {
    tag: 'tag_generic_late_meal',
    outcome: 'deep_sleep',
    kind: 'relative',
    size: -0.25,
    description: 'deep sleep propensity 25 % lower the night after a late meal',
  },
];

/** Tags the simulator writes that change nothing in the following night. */
export const NO_EFFECT_TAGS: readonly string[] = [
  'tag_generic_caffeine',
  'tag_generic_sauna',
  'tag_generic_stress',
  'tag_generic_screen_time',
  'custom:Cold plunge',
  'custom:Magnesium',
  'custom:Ate spicy food',
  'custom:Board games',
];

/** How the night ending on a day differs because of the evening before it. */
export interface NightTagEffect {
  readonly hrvFactor: number;
  readonly restingHrDelta: number;
  readonly deepFactor: number;
  readonly remFactor: number;
}

/** The tag key the experiments use: the type code, or `custom:Name` for custom tags. */
export function tagKey(code: string, customName: string | null): string {
  return code === 'custom' && customName ? `custom:${customName}` : code;
}

/** Effects on the night that ends on `day` from the tags of `day - 1`. */
export function nightTagEffect(p: UserProfile, day: number): NightTagEffect {
  let hrvFactor = 1;
  let restingHrDelta = 0;
  let deepFactor = 1;
  let remFactor = 1;
  const tags = new Set(lifeEvents(p, day - 1).map((e) => tagKey(e.code, e.customName)));
  for (const e of PLANTED_TAG_EFFECTS) {
    if (!tags.has(e.tag)) continue;
    if (e.outcome === 'average_hrv') hrvFactor *= 1 + e.size;
    else if (e.outcome === 'lowest_heart_rate') restingHrDelta += e.size;
    else if (e.outcome === 'deep_sleep') deepFactor *= 1 + e.size;
    else remFactor *= 1 + e.size;
  }
  return { hrvFactor, restingHrDelta, deepFactor, remFactor };
}

export interface TagTruth {
  readonly effects: readonly PlantedTagEffect[];
  readonly noEffectTags: readonly string[];
  /** Days (YYYY-MM-DD) carrying each tag in the generated window; the effect is on the next night. */
  readonly taggedDays: Readonly<Record<string, readonly string[]>>;
}

/** The planted tag truth of one user over [startDay, endDay). */
export function tagTruth(p: UserProfile, startDay: number, endDay: number): TagTruth {
  const taggedDays: Record<string, string[]> = {};
  for (let day = startDay; day < endDay; day++) {
    for (const e of lifeEvents(p, day)) {
      const key = tagKey(e.code, e.customName);
      const list = taggedDays[key] ?? [];
      const iso = dayString(day);
      if (list[list.length - 1] !== iso) list.push(iso);
      taggedDays[key] = list;
    }
  }
  return { effects: PLANTED_TAG_EFFECTS, noEffectTags: NO_EFFECT_TAGS, taggedDays };
}
