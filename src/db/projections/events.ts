import { defineProjection } from './types.ts';
import {
  type Doc,
  day,
  instant,
  instantOf,
  int,
  jsonArray,
  num,
  offsetOf,
  required,
  sample,
  text,
  textArray,
} from './values.ts';

/** Documents that happen at a time rather than summarise a day. */

const id = (doc: Doc) => required(text(doc, 'id'), 'id');

export const workout = defineProjection({
  dataType: 'workout',
  table: 'workout',
  place: (doc) => ({
    day: required(day(doc, 'day'), 'day'),
    utcOffsetMinutes: offsetOf(doc, 'start_datetime'),
  }),
  toRow(userId, doc) {
    const start = required(instantOf(doc, 'start_datetime'), 'start_datetime');
    return {
      user_id: userId,
      id: id(doc),
      day: required(day(doc, 'day'), 'day'),
      activity: text(doc, 'activity'),
      intensity: text(doc, 'intensity'),
      source: text(doc, 'source'),
      label: text(doc, 'label'),
      calories: num(doc, 'calories'),
      distance: num(doc, 'distance'),
      start_datetime: start.iso,
      end_datetime: required(instant(doc, 'end_datetime'), 'end_datetime'),
      utc_offset_minutes: start.offsetMinutes,
    };
  },
});

export const session = defineProjection({
  dataType: 'session',
  table: 'session',
  place: (doc) => ({
    day: required(day(doc, 'day'), 'day'),
    utcOffsetMinutes: offsetOf(doc, 'start_datetime'),
  }),
  toRow(userId, doc) {
    const start = required(instantOf(doc, 'start_datetime'), 'start_datetime');
    const hr = sample(doc, 'heart_rate');
    const hrv = sample(doc, 'heart_rate_variability');
    const motion = sample(doc, 'motion_count');
    return {
      user_id: userId,
      id: id(doc),
      day: required(day(doc, 'day'), 'day'),
      type: text(doc, 'type'),
      mood: text(doc, 'mood'),
      start_datetime: start.iso,
      end_datetime: required(instant(doc, 'end_datetime'), 'end_datetime'),
      utc_offset_minutes: start.offsetMinutes,
      heart_rate_interval: hr.interval,
      heart_rate_start: hr.start,
      heart_rate_items: hr.items,
      heart_rate_variability_interval: hrv.interval,
      heart_rate_variability_start: hrv.start,
      heart_rate_variability_items: hrv.items,
      motion_count_interval: motion.interval,
      motion_count_start: motion.start,
      motion_count_items: motion.items,
    };
  },
});

export const enhancedTag = defineProjection({
  dataType: 'enhanced_tag',
  table: 'enhanced_tag',
  place: (doc) => ({
    day: required(day(doc, 'start_day'), 'start_day'),
    utcOffsetMinutes: offsetOf(doc, 'start_time'),
  }),
  toRow(userId, doc) {
    const start = required(instantOf(doc, 'start_time'), 'start_time');
    return {
      user_id: userId,
      id: id(doc),
      start_day: required(day(doc, 'start_day'), 'start_day'),
      end_day: day(doc, 'end_day'),
      start_time: start.iso,
      end_time: instant(doc, 'end_time'),
      utc_offset_minutes: start.offsetMinutes,
      tag_type_code: text(doc, 'tag_type_code'),
      custom_name: text(doc, 'custom_name'),
      comment: text(doc, 'comment'),
    };
  },
});

export const tag = defineProjection({
  dataType: 'tag',
  table: 'tag',
  place: (doc) => ({
    day: required(day(doc, 'day'), 'day'),
    utcOffsetMinutes: offsetOf(doc, 'timestamp'),
  }),
  toRow: (userId, doc) => ({
    user_id: userId,
    id: id(doc),
    day: required(day(doc, 'day'), 'day'),
    timestamp: instant(doc, 'timestamp'),
    utc_offset_minutes: offsetOf(doc, 'timestamp'),
    text: text(doc, 'text'),
    tags: textArray(doc, 'tags') ?? [],
  }),
});

export const restModePeriod = defineProjection({
  dataType: 'rest_mode_period',
  table: 'rest_mode_period',
  place: (doc) => ({
    day: required(day(doc, 'start_day'), 'start_day'),
    utcOffsetMinutes: offsetOf(doc, 'start_time'),
  }),
  toRow: (userId, doc) => ({
    user_id: userId,
    id: id(doc),
    start_day: required(day(doc, 'start_day'), 'start_day'),
    end_day: day(doc, 'end_day'),
    start_time: instant(doc, 'start_time'),
    end_time: instant(doc, 'end_time'),
    utc_offset_minutes: offsetOf(doc, 'start_time'),
    episodes: jsonArray(doc, 'episodes'),
  }),
});

export const ringConfiguration = defineProjection({
  dataType: 'ring_configuration',
  table: 'ring_configuration',
  // set_up_at is UTC, not the wearer's local time: no day or offset to record.
  place: () => ({ day: null, utcOffsetMinutes: null }),
  toRow: (userId, doc) => ({
    user_id: userId,
    id: id(doc),
    color: text(doc, 'color'),
    design: text(doc, 'design'),
    firmware_version: text(doc, 'firmware_version'),
    hardware_type: text(doc, 'hardware_type'),
    set_up_at: instant(doc, 'set_up_at'),
    size: int(doc, 'size'),
  }),
});
