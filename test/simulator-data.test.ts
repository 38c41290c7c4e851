import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../src/oura/routes.ts';
import {
  DatasetOptionsError,
  DOCUMENT_DATA_TYPES,
  generateDataset,
  type SimUserData,
} from '../src/simulator/data/index.ts';

type Doc = Record<string, unknown>;
interface SleepDoc {
  id: string;
  day: string;
  type: string;
  bedtime_start: string;
  bedtime_end: string;
  time_in_bed: number;
  total_sleep_duration: number;
  deep_sleep_duration: number;
  light_sleep_duration: number;
  rem_sleep_duration: number;
  awake_time: number;
  efficiency: number;
  latency: number;
  lowest_heart_rate: number | null;
  average_hrv: number | null;
  sleep_phase_5_min: string;
  sleep_phase_30_sec: string;
  movement_30_sec: string;
  heart_rate: { interval: number; items: (number | null)[]; timestamp: string };
  hrv: { interval: number; items: (number | null)[]; timestamp: string };
  readiness: { score: number } | null;
  low_battery_alert: boolean;
  ring_id: string;
}

const END = '2026-11-29';
const DAY_MS = 86_400_000;

const docs = (u: SimUserData, type: keyof SimUserData['documents']): Doc[] => [
  ...u.documents[type].values(),
];
const sleeps = (u: SimUserData): SleepDoc[] => docs(u, 'sleep') as unknown as SleepDoc[];
const offsetOf = (iso: string): string => iso.slice(-6);
const count = (s: string, c: string): number => s.split(c).length - 1;
const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const localHour = (iso: string): number =>
  Number(iso.slice(11, 13)) + Number(iso.slice(14, 16)) / 60;

let users: SimUserData[];
let demo: SimUserData;

beforeAll(() => {
  users = generateDataset({ seed: 7, users: 3, days: 3 * 365, endDate: END });
  const first = users[0];
  if (!first) throw new Error('no users generated');
  demo = first;
});

describe('simulated people', () => {
  it('names the users demo, alex, sam with stable personal info', () => {
    expect(users.map((u) => u.name)).toEqual(['demo', 'alex', 'sam']);
    expect(demo.personalInfo).toMatchObject({
      email: 'demo@example.com',
      biological_sex: 'female',
    });
    expect(new Set(users.map((u) => u.personalInfo.id)).size).toBe(3);
  });

  it('produces the same documents for the same options, and another seed differs', () => {
    const a = generateDataset({ seed: 3, users: 1, days: 120, endDate: END })[0];
    const b = generateDataset({ seed: 3, users: 1, days: 120, endDate: END })[0];
    const c = generateDataset({ seed: 4, users: 1, days: 120, endDate: END })[0];
    if (!a || !b || !c) throw new Error('missing user');
    for (const type of DOCUMENT_DATA_TYPES) {
      expect(JSON.stringify([...b.documents[type]])).toBe(JSON.stringify([...a.documents[type]]));
    }
    const from = Date.parse('2026-10-01T00:00:00Z');
    const to = Date.parse('2026-10-08T00:00:00Z');
    expect(JSON.stringify(b.heartrate(from, to))).toBe(JSON.stringify(a.heartrate(from, to)));
    expect(JSON.stringify(b.batteryLevel(from, to))).toBe(JSON.stringify(a.batteryLevel(from, to)));
    expect(JSON.stringify([...c.documents.sleep])).not.toBe(JSON.stringify([...a.documents.sleep]));
  });

  it("keeps a user's data when more users or more days are generated", () => {
    const small = generateDataset({ seed: 7, users: 1, days: 60, endDate: END })[0];
    const wide = generateDataset({ seed: 7, users: 2, days: 90, endDate: END })[0];
    if (!small || !wide) throw new Error('missing user');
    const since = addDays(END, -59);
    for (const type of ['sleep', 'daily_readiness', 'daily_activity', 'workout'] as const) {
      const recent = (u: SimUserData) =>
        JSON.stringify(docs(u, type).filter((d) => String(d.day) >= since));
      expect(recent(wide)).toBe(recent(small));
      expect(recent(demo)).toBe(recent(small));
    }
  });

  it('rejects bad options with a clear message', () => {
    expect(() => generateDataset({ seed: 1, users: 1, days: 10, endDate: '2026-02-30' })).toThrow(
      DatasetOptionsError,
    );
    expect(() => generateDataset({ seed: 1, users: 0, days: 10 })).toThrow(/users must be/);
  });
});

describe('spec shapes', () => {
  const specPath =
    process.env.OURA_OPENAPI_JSON ??
    new URL('../spec/oura-openapi-1.37.json', import.meta.url).pathname;
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  // Both are CommonJS packages: under nodenext their default import is `module.exports`.
  const Ajv2020 = Ajv2020Module.default;
  const addFormats = addFormatsModule.default;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'oura', components: spec.components });
  const validator = (schema: string) => {
    const v = ajv.getSchema(`oura#/components/schemas/${schema}`);
    if (!v) throw new Error(`no schema ${schema}`);
    return v;
  };

  it('every document of every type validates against its spec component schema', () => {
    for (const u of users) {
      for (const type of DOCUMENT_DATA_TYPES) {
        const validate = validator(ROUTES[type].schema);
        const all = docs(u, type);
        for (const doc of all) {
          if (!validate(doc)) {
            throw new Error(`${u.name} ${type} ${JSON.stringify(validate.errors)}`);
          }
        }
      }
    }
    // Three years of three people use every route.
    for (const type of DOCUMENT_DATA_TYPES) {
      expect(
        users.reduce((n, u) => n + u.documents[type].size, 0),
        type,
      ).toBeGreaterThan(0);
    }
  });

  it('heart-rate and battery rows validate against the spec row schemas', () => {
    const hr = validator('PublicHeartRateRow');
    const battery = validator('PublicRingBatteryLevelRow');
    const from = Date.parse('2026-09-01T00:00:00Z');
    const to = Date.parse('2026-10-01T00:00:00Z');
    for (const u of users) {
      const rows = u.heartrate(from, to);
      expect(rows.length).toBeGreaterThan(5000);
      for (const row of rows) expect(hr(row), JSON.stringify(hr.errors)).toBe(true);
      const levels = u.batteryLevel(from, to);
      expect(levels.length).toBeGreaterThan(1000);
      for (const row of levels) expect(battery(row), JSON.stringify(battery.errors)).toBe(true);
    }
  });

  it('lists every type in day order', () => {
    for (const u of users) {
      for (const type of DOCUMENT_DATA_TYPES) {
        const days = docs(u, type).map((d) => String(d.day ?? d.start_day ?? ''));
        expect(days, type).toEqual([...days].sort());
      }
    }
  });

  it('ids are unique across every document', () => {
    const ids = users.flatMap((u) =>
      DOCUMENT_DATA_TYPES.flatMap((t) => [...u.documents[t].keys()]),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('sleep periods', () => {
  it('stage durations add up and match both stage strings', () => {
    for (const u of users) {
      for (const s of sleeps(u)) {
        const real = (Date.parse(s.bedtime_end) - Date.parse(s.bedtime_start)) / 1000;
        expect(s.time_in_bed).toBe(real);
        expect(s.total_sleep_duration).toBe(
          s.deep_sleep_duration + s.light_sleep_duration + s.rem_sleep_duration,
        );
        expect(s.time_in_bed).toBe(s.total_sleep_duration + s.awake_time);
        expect(s.sleep_phase_5_min.length * 300).toBe(s.time_in_bed);
        expect(s.sleep_phase_30_sec.length * 30).toBe(s.time_in_bed);
        expect(s.movement_30_sec.length).toBe(s.sleep_phase_30_sec.length);
        const stages = {
          '1': s.deep_sleep_duration,
          '2': s.light_sleep_duration,
          '3': s.rem_sleep_duration,
          '4': s.awake_time,
        };
        for (const [c, seconds] of Object.entries(stages)) {
          expect(count(s.sleep_phase_5_min, c) * 300).toBe(seconds);
          expect(count(s.sleep_phase_30_sec, c) * 30).toBe(seconds);
        }
        expect(s.efficiency).toBe(
          Math.max(1, Math.round((100 * s.total_sleep_duration) / s.time_in_bed)),
        );
        expect(s.latency).toBeLessThanOrEqual(s.time_in_bed);
      }
    }
  });

  it('heart rate and HRV series cover the period every five minutes from bedtime_start', () => {
    for (const s of sleeps(demo)) {
      for (const series of [s.heart_rate, s.hrv]) {
        expect(series.interval).toBe(300);
        expect(series.timestamp).toBe(s.bedtime_start);
        expect(series.items.length).toBe(s.sleep_phase_5_min.length);
      }
      const hr = s.heart_rate.items.filter((v): v is number => v !== null);
      const hrv = s.hrv.items.filter((v): v is number => v !== null);
      expect(s.lowest_heart_rate).toBe(Math.min(...hr));
      expect(s.average_hrv).toBe(Math.round(hrv.reduce((a, b) => a + b, 0) / hrv.length));
    }
    const gaps = sleeps(demo).filter((s) => s.heart_rate.items.includes(null));
    expect(gaps.length).toBeGreaterThan(100);
  });

  it('puts deep sleep early in the night and REM late', () => {
    let deepEarly = 0;
    let deepLate = 0;
    let remEarly = 0;
    let remLate = 0;
    for (const s of sleeps(demo).filter((x) => x.type === 'long_sleep')) {
      const third = Math.floor(s.sleep_phase_5_min.length / 3);
      const early = s.sleep_phase_5_min.slice(0, third);
      const late = s.sleep_phase_5_min.slice(-third);
      deepEarly += count(early, '1');
      deepLate += count(late, '1');
      remEarly += count(early, '3');
      remLate += count(late, '3');
    }
    expect(deepEarly).toBeGreaterThan(3 * deepLate);
    expect(remLate).toBeGreaterThan(2 * remEarly);
  });

  it('gives every period the local wake-up day; a late nap counts toward the next day', () => {
    const types = new Set<string>();
    for (const u of users) {
      for (const s of sleeps(u)) {
        types.add(s.type);
        const endDay = s.bedtime_end.slice(0, 10);
        if (s.type === 'late_nap') {
          expect(s.day).toBe(addDays(endDay, 1));
          expect(localHour(s.bedtime_end)).toBeGreaterThanOrEqual(18);
        } else expect(s.day).toBe(endDay);
        if (s.type === 'sleep') {
          expect(s.time_in_bed).toBeGreaterThanOrEqual(15 * 60);
          expect(s.time_in_bed).toBeLessThanOrEqual(3 * 3600);
        }
        if (s.type === 'long_sleep') expect(s.time_in_bed).toBeGreaterThan(3 * 3600);
      }
    }
    expect([...types].sort()).toEqual(['deleted', 'late_nap', 'long_sleep', 'rest', 'sleep']);
  });

  it('has a DST night whose offset changes across it, covering the real elapsed time', () => {
    const dst = sleeps(demo).filter(
      (s) =>
        s.type === 'long_sleep' &&
        ['+01:00', '+02:00'].includes(offsetOf(s.bedtime_start)) &&
        ['+01:00', '+02:00'].includes(offsetOf(s.bedtime_end)) &&
        offsetOf(s.bedtime_start) !== offsetOf(s.bedtime_end),
    );
    expect(dst.length).toBeGreaterThan(0);
    for (const s of dst) {
      // Europe/Berlin switches on the last Sunday of March and of October.
      expect(['03', '10']).toContain(s.day.slice(5, 7));
      expect(new Date(`${s.day}T12:00:00Z`).getUTCDay()).toBe(0);
      const real = (Date.parse(s.bedtime_end) - Date.parse(s.bedtime_start)) / 1000;
      expect(s.sleep_phase_5_min.length * 300).toBe(real);
      // The wall clock gained or lost an hour during the night.
      const wall =
        (Date.parse(`${s.bedtime_end.slice(0, 19)}Z`) -
          Date.parse(`${s.bedtime_start.slice(0, 19)}Z`)) /
        1000;
      expect(Math.abs(wall - real)).toBe(3600);
    }
  });

  it('has travel nights in other time zones (a Berlin resident in New York)', () => {
    const offsets = new Set(sleeps(demo).map((s) => offsetOf(s.bedtime_start)));
    expect(offsets.has('+01:00') && offsets.has('+02:00')).toBe(true);
    expect(offsets.has('-05:00') || offsets.has('-04:00')).toBe(true);
    expect(offsets.size).toBeGreaterThan(3);
  });

  it('records low battery alerts and a ring replacement', () => {
    expect(sleeps(demo).some((s) => s.low_battery_alert)).toBe(true);
    expect(new Set(sleeps(demo).map((s) => s.ring_id)).size).toBeGreaterThanOrEqual(2);
    expect(demo.documents.ring_configuration.size).toBeGreaterThanOrEqual(2);
  });

  it('ends with the night that ends on the end date morning', () => {
    const last = sleeps(demo).at(-1);
    expect(last?.day).toBe(END);
    for (const u of users) {
      for (const type of DOCUMENT_DATA_TYPES) {
        for (const d of docs(u, type))
          expect(String(d.day ?? d.start_day ?? END) <= END).toBe(true);
      }
      expect(docs(u, 'daily_activity').at(-1)?.day).toBe(addDays(END, -1));
      // Nothing after the last wake-up: the data ends there.
      const wake = Math.max(...sleeps(u).map((s) => Date.parse(s.bedtime_end)));
      expect(u.heartrate(wake, wake + DAY_MS)).toEqual([]);
      expect(u.batteryLevel(wake, wake + DAY_MS)).toEqual([]);
    }
  });
});

describe('daily documents', () => {
  it('daily sleep and readiness exist exactly for days with a long sleep and agree with it', () => {
    const nights = new Map<string, SleepDoc>();
    for (const s of sleeps(demo)) {
      if (s.type !== 'long_sleep') continue;
      const current = nights.get(s.day);
      if (!current || s.time_in_bed > current.time_in_bed) nights.set(s.day, s);
    }
    const sleepDays = docs(demo, 'daily_sleep').map((d) => d.day);
    expect(sleepDays).toEqual([...nights.keys()]);
    for (const r of docs(demo, 'daily_readiness')) {
      const night = nights.get(String(r.day));
      expect(night?.readiness?.score).toBe(r.score);
      expect(r.timestamp).toBe(`${r.day}T00:00:00+00:00`);
    }
    // Some days have no night at all: the ring lay forgotten, or the battery was flat.
    const days = new Set(sleeps(demo).map((s) => s.day));
    const missing = Array.from({ length: 3 * 365 }, (_, i) => addDays(END, -i)).filter(
      (d) => !days.has(d),
    );
    expect(missing.length).toBeGreaterThan(5);
  });

  it('daily activity covers 24 hours from 4 a.m. local in 5-minute classes and minute METs', () => {
    for (const a of docs(demo, 'daily_activity')) {
      const class5 = String(a.class_5_min);
      expect(class5).toMatch(/^[0-5]{288}$/);
      const met = a.met as { interval: number; items: number[]; timestamp: string };
      expect(met.interval).toBe(60);
      expect(met.items.length).toBe(1440);
      expect(met.timestamp.slice(0, 23)).toBe(`${a.day}T04:00:00.000`);
      const seconds = ['high', 'medium', 'low'].reduce(
        (n, k) => n + Number(a[`${k}_activity_time`]),
        0,
      );
      expect(
        seconds + Number(a.sedentary_time) + Number(a.resting_time) + Number(a.non_wear_time),
      ).toBe(86_400);
      expect(a.non_wear_time).toBe(count(class5, '0') * 300);
    }
  });

  it('has no heart rate while the ring is off the finger', () => {
    const partial = docs(demo, 'daily_activity').filter((a) => Number(a.non_wear_time) > 0);
    expect(partial.length).toBeGreaterThan(20);
    expect(partial.some((a) => Number(a.non_wear_time) > 12 * 3600)).toBe(true);
    for (const a of partial.slice(-40)) {
      const start = Date.parse(String((a.met as { timestamp: string }).timestamp));
      const rows = demo.heartrate(start, start + DAY_MS);
      const byTime = new Set(rows.map((r) => r.timestamp_unix));
      String(a.class_5_min)
        .split('')
        .forEach((c, slot) => {
          if (c === '0') expect(byTime.has(start + slot * 300_000)).toBe(false);
        });
    }
  });

  it('vo2 max is estimated about weekly; rest mode periods carry episodes', () => {
    const vo2 = docs(demo, 'vo2_max');
    expect(vo2.length).toBeGreaterThan(3 * 40);
    expect(vo2.length).toBeLessThan(3 * 100);
    const rest = users.flatMap((u) => docs(u, 'rest_mode_period'));
    expect(rest.length).toBeGreaterThan(2);
    for (const r of rest) expect((r.episodes as unknown[]).length).toBeGreaterThan(0);
    const legacy = users.flatMap((u) => docs(u, 'tag'));
    expect(legacy.every((t) => String(t.day) < '2024-03-01')).toBe(true);
  });
});

describe('heart rate and battery series', () => {
  it('heart rate comes every 5 minutes, from the sleep series at night', () => {
    const night = sleeps(demo)
      .filter((s) => s.type === 'long_sleep')
      .at(-10);
    if (!night) throw new Error('no night');
    const start = Date.parse(night.bedtime_start);
    const end = Date.parse(night.bedtime_end);
    const rows = demo.heartrate(start - 3 * 3_600_000, end + 3 * 3_600_000);
    for (const r of rows) expect(Number(r.timestamp_unix) % 300_000).toBe(0);
    for (const r of rows) expect(Date.parse(String(r.timestamp))).toBe(r.timestamp_unix);
    const during = rows.filter(
      (r) => Number(r.timestamp_unix) >= start && Number(r.timestamp_unix) < end,
    );
    expect(during.length).toBeGreaterThan(50);
    for (const r of during) {
      expect(r.source).toBe('sleep');
      const i = Math.floor((Number(r.timestamp_unix) - start) / 300_000);
      expect(r.bpm).toBe(night.heart_rate.items[i]);
    }
    const sources = new Set(
      demo
        .heartrate(Date.parse('2026-06-01T00:00:00Z'), Date.parse('2026-07-01T00:00:00Z'))
        .map((r) => r.source),
    );
    expect([...sources]).toEqual(expect.arrayContaining(['sleep', 'awake', 'workout']));
  });

  it('battery levels drain over days and charge every few days', () => {
    const rows = demo.batteryLevel(
      Date.parse('2026-05-01T00:00:00Z'),
      Date.parse('2026-07-01T00:00:00Z'),
    );
    for (const r of rows) expect(Number(r.timestamp_unix) % 1_800_000).toBe(0);
    const charging = rows.filter((r) => r.charging === true);
    expect(charging.length).toBeGreaterThan(5);
    const levels = rows.map((r) => Number(r.level));
    expect(Math.min(...levels)).toBeLessThan(50);
    expect(Math.max(...levels)).toBe(100);
  });
});
