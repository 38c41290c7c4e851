import {
  GEN4_FROM,
  LEGACY_TAG_END,
  ringOn,
  sicknessesBetween,
  type Trip,
  tripOn,
  zoneOn,
} from './calendar.ts';
import { lifeEvents } from './lifestyle.ts';
import { rngFor, uuidFrom } from './prng.ts';
import { SESSION_SAMPLE_SECONDS, type Session } from './sessions.ts';
import { dayNumber, dayString, formatInZone, formatUtc, localDay, localToUtc } from './time.ts';
import type { Timeline } from './timeline.ts';
import type { Workout } from './workouts.ts';

type Doc = Record<string, unknown>;

/** A document with the instant used to order documents of the same day. */
export interface Timed {
  readonly day: number;
  readonly atMs: number;
  readonly doc: Doc;
}

/** `PublicWorkout` */
export function workoutDocument(w: Workout): Doc {
  return {
    id: w.id,
    activity: w.activity,
    calories: w.calories,
    day: dayString(w.day),
    distance: w.distance,
    end_datetime: formatInZone(w.endMs, w.zone, false),
    intensity: w.intensity,
    label: w.label,
    source: w.source,
    start_datetime: formatInZone(w.startMs, w.zone, false),
  };
}

/** `PublicSession`: samples every five seconds from the start. */
export function sessionDocument(s: Session): Doc {
  const sample = (items: readonly (number | null)[]) => ({
    interval: SESSION_SAMPLE_SECONDS,
    items: [...items],
    timestamp: formatInZone(s.startMs, s.zone, true),
  });
  return {
    id: s.id,
    day: dayString(s.day),
    end_datetime: formatInZone(s.endMs, s.zone, false),
    heart_rate: sample(s.heartRate),
    heart_rate_variability: sample(s.hrv),
    mood: s.mood,
    motion_count: sample(s.motion),
    start_datetime: formatInZone(s.startMs, s.zone, false),
    type: s.type,
  };
}

function enhancedTag(
  id: string,
  code: string,
  customName: string | null,
  comment: string | null,
  zone: string,
  startMs: number,
  end: { ms: number; zone: string } | null,
): Doc {
  return {
    id,
    tag_type_code: code,
    start_time: formatInZone(startMs, zone, false),
    end_time: end ? formatInZone(end.ms, end.zone, false) : null,
    start_day: dayString(localDay(zone, startMs)),
    end_day: end ? dayString(localDay(end.zone, end.ms)) : null,
    comment,
    custom_name: customName,
  };
}

/** `EnhancedTagModel`: lifestyle tags, sickness, and trips (a custom tag with a duration). */
export function enhancedTags(t: Timeline, horizonMs: number): Timed[] {
  const p = t.profile;
  const out: Timed[] = [];
  for (let day = t.startDay; day < t.endDay; day++) {
    const zone = zoneOn(p, day);
    lifeEvents(p, day).forEach((e, i) => {
      const startMs = localToUtc(zone, day, e.minute);
      const end = e.durationMin === null ? null : { ms: startMs + e.durationMin * 60_000, zone };
      const id = uuidFrom(p.seed, 'enhanced_tag', day, i);
      out.push({
        day,
        atMs: startMs,
        doc: enhancedTag(id, e.code, e.customName, e.comment, zone, startMs, end),
      });
    });
    const trip: Trip | undefined = tripOn(p, day + 1);
    if (trip && trip.startDay === day + 1) {
      // Tagged on the departure day; the end stays open while the trip lasts.
      const startMs = localToUtc(zone, day, 9 * 60);
      const back = localToUtc(trip.zone, trip.endDay - 1, 18 * 60);
      const end = back <= horizonMs ? { ms: back, zone: trip.zone } : null;
      const id = uuidFrom(p.seed, 'enhanced_tag', day, 'trip');
      out.push({
        day,
        atMs: startMs,
        doc: enhancedTag(id, 'custom', 'Travel', null, zone, startMs, end),
      });
    }
  }
  for (const s of sicknessesBetween(p, t.startDay, t.endDay - 1)) {
    const zone = zoneOn(p, s.startDay);
    const startMs = localToUtc(zone, s.startDay, 9 * 60 + 15);
    const id = uuidFrom(p.seed, 'enhanced_tag', s.startDay, 'sick');
    out.push({
      day: s.startDay,
      atMs: startMs,
      doc: enhancedTag(id, 'tag_generic_sick', null, null, zone, startMs, null),
    });
  }
  return out;
}

const LEGACY_TAGS = [
  'alcohol',
  'caffeine',
  'late_meal',
  'sauna',
  'headache',
  'travel',
  'meditation',
];

/** `TagModel` (deprecated notes): written only before the enhanced tags took over. */
export function legacyTags(t: Timeline): Timed[] {
  const out: Timed[] = [];
  for (let day = t.startDay; day < Math.min(t.endDay, LEGACY_TAG_END); day++) {
    const r = rngFor(t.profile.seed, 'legacy-tag', day);
    if (!r.chance(0.06)) continue;
    const zone = zoneOn(t.profile, day);
    const atMs = localToUtc(zone, day, r.int(19 * 60, 23 * 60)) + r.int(0, 59) * 1000;
    const first = r.pick(LEGACY_TAGS);
    const tags = r.chance(0.3) ? [first, r.pick(LEGACY_TAGS.filter((x) => x !== first))] : [first];
    out.push({
      day,
      atMs,
      doc: {
        id: uuidFrom(t.profile.seed, 'tag', day),
        day: dayString(day),
        text: r.chance(0.5)
          ? null
          : r.pick(['Dinner with friends', 'Long flight', 'Felt tired', 'Late workout']),
        timestamp: formatInZone(atMs, zone, false),
        tags,
      },
    });
  }
  return out;
}

/** `PublicRestModePeriod`: Rest Mode switched on when sick; open-ended while still on. */
export function restModePeriods(t: Timeline, horizonMs: number): Timed[] {
  const p = t.profile;
  const out: Timed[] = [];
  for (const s of sicknessesBetween(p, t.startDay - 10, t.endDay)) {
    if (!s.restMode) continue;
    const r = rngFor(p.seed, 'rest-mode', s.startDay);
    const zone = zoneOn(p, s.startDay);
    const startMs = localToUtc(zone, s.startDay, r.int(8 * 60, 11 * 60)) + r.int(0, 59) * 1000;
    const endDay = s.endDay + 1;
    const endZone = zoneOn(p, endDay);
    const endMs = localToUtc(endZone, endDay, r.int(7 * 60 + 30, 10 * 60)) + r.int(0, 59) * 1000;
    if (startMs > horizonMs || endDay < t.startDay) continue;
    const ended = endMs <= horizonMs;
    const episodes = [{ tags: ['tag_generic_sick'], timestamp: formatInZone(startMs, zone, true) }];
    const second = startMs + 86_400_000 + r.int(0, 6) * 3_600_000;
    if (r.chance(0.5) && second < Math.min(horizonMs, endMs)) {
      const z = zoneOn(p, s.startDay + 1);
      episodes.push({
        tags: ['tag_generic_fever', 'tag_generic_headache'],
        timestamp: formatInZone(second, z, true),
      });
    }
    out.push({
      day: s.startDay,
      atMs: startMs,
      doc: {
        id: uuidFrom(p.seed, 'rest_mode_period', s.startDay),
        end_day: ended ? dayString(endDay) : null,
        end_time: ended ? formatInZone(endMs, endZone, true) : null,
        episodes,
        start_day: dayString(s.startDay),
        start_time: formatInZone(startMs, zone, true),
      },
    });
  }
  return out;
}

const GEN2_UNTIL = dayNumber('2020-11-01');
const COLORS = {
  gen2: ['silver', 'glossy_black', 'rose'],
  gen3: ['silver', 'glossy_black', 'stealth_black', 'glossy_gold', 'brushed_silver', 'rose'],
  gen4: ['silver', 'stealth_black', 'brushed_silver', 'rose', 'glossy_gold', 'deep_rose'],
} as const;

/** `PublicRingConfiguration`: every ring used within the range (one is replaced now and then). */
export function ringConfigurations(t: Timeline): Timed[] {
  const p = t.profile;
  const out: Timed[] = [];
  const first = ringOn(p, t.startDay - 1).index;
  const last = ringOn(p, t.endDay - 1).index;
  for (let k = first; k <= last; k++) {
    const setupDay = p.ringPhase + k * p.ringPeriodDays;
    const r = rngFor(p.seed, 'ring', k);
    const hardware = setupDay >= GEN4_FROM ? 'gen4' : setupDay >= GEN2_UNTIL ? 'gen3' : 'gen2';
    const atMs =
      localToUtc(zoneOn(p, setupDay), setupDay, r.int(18 * 60, 21 * 60)) + r.int(0, 59) * 1000;
    const firmware =
      hardware === 'gen4'
        ? `3.${r.int(0, 2)}.${r.int(1, 30)}`
        : hardware === 'gen3'
          ? `2.${r.int(8, 9)}.${r.int(10, 40)}`
          : `1.${r.int(5, 9)}.${r.int(1, 20)}`;
    out.push({
      day: setupDay,
      atMs,
      doc: {
        id: uuidFrom(p.seed, 'ring_configuration', k),
        color: r.pick(COLORS[hardware]),
        design:
          hardware === 'gen4'
            ? 'horizon'
            : hardware === 'gen3'
              ? r.pick(['heritage', 'horizon'])
              : 'balance',
        firmware_version: firmware,
        hardware_type: hardware,
        set_up_at: formatUtc(atMs),
        size: r.chance(0.1) ? p.ringSize + 1 : p.ringSize,
      },
    });
  }
  return out;
}
