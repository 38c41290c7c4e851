import type { DocumentDataType, SimUserData } from '../../src/simulator/data/index.ts';
import {
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '../../src/simulator/index.ts';

/**
 * A tiny hand-written dataset in the generator's contract shape (documents in the spec's JSON
 * shape), for exercising the simulator server without the full generator.
 */

const DAY_MS = 86_400_000;
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

function docsFor(
  user: number,
  day: string,
  i: number,
): Record<DocumentDataType, Record<string, unknown>> {
  const id = (type: string) => `${type}-${user}-${day}`;
  const ts = `${day}T04:00:00+00:00`;
  const sample = (start: string) => ({ interval: 300, items: [60, null, 58], timestamp: start });
  const readinessContributors = {
    activity_balance: 80,
    body_temperature: 90,
    hrv_balance: 70,
    previous_day_activity: 75,
    previous_night: 85,
    recovery_index: 88,
    resting_heart_rate: 92,
    sleep_balance: 78,
    sleep_regularity: 81,
  };
  return {
    sleep: {
      id: id('sleep'),
      day,
      bedtime_start: `${addDays(day, -1)}T23:00:00+00:00`,
      bedtime_end: `${day}T07:00:00+00:00`,
      low_battery_alert: false,
      period: 0,
      time_in_bed: 28_800,
      total_sleep_duration: 25_000 + i,
      average_hrv: 40,
      heart_rate: sample(`${addDays(day, -1)}T23:00:00+00:00`),
      type: 'long_sleep',
      readiness: { contributors: readinessContributors, score: 80 },
    },
    daily_sleep: {
      id: id('daily_sleep'),
      day,
      score: 70 + (i % 20),
      timestamp: ts,
      contributors: {
        deep_sleep: 80,
        efficiency: 90,
        latency: 70,
        rem_sleep: 60,
        restfulness: 75,
        timing: 85,
        total_sleep: 88,
      },
    },
    daily_readiness: {
      id: id('daily_readiness'),
      day,
      score: 60 + (i % 30),
      temperature_deviation: 0.1,
      temperature_trend_deviation: null,
      timestamp: ts,
      contributors: readinessContributors,
    },
    daily_activity: {
      id: id('daily_activity'),
      day,
      score: 75,
      active_calories: 400,
      average_met_minutes: 1.5,
      class_5_min: '0123',
      contributors: {
        meet_daily_targets: 80,
        move_every_hour: 90,
        recovery_time: 70,
        stay_active: 60,
        training_frequency: 50,
        training_volume: 40,
      },
      equivalent_walking_distance: 8000,
      high_activity_met_minutes: 10,
      high_activity_time: 600,
      inactivity_alerts: 1,
      low_activity_met_minutes: 100,
      low_activity_time: 7200,
      medium_activity_met_minutes: 50,
      medium_activity_time: 1800,
      met: { interval: 60, items: [1.1, 1.2], timestamp: `${day}T04:00:00+00:00` },
      meters_to_target: 2000,
      non_wear_time: 0,
      resting_time: 30_000,
      sedentary_met_minutes: 5,
      sedentary_time: 20_000,
      steps: 9000 + i,
      target_calories: 500,
      target_meters: 10_000,
      timestamp: ts,
      total_calories: 2400,
    },
    daily_spo2: {
      id: id('daily_spo2'),
      day,
      breathing_disturbance_index: 3,
      spo2_percentage: { average: 97.1 },
    },
    daily_stress: {
      id: id('daily_stress'),
      day,
      day_summary: 'normal',
      recovery_high: 3600,
      stress_high: 1800,
    },
    daily_resilience: {
      id: id('daily_resilience'),
      day,
      level: 'solid',
      contributors: { sleep_recovery: 70.5, daytime_recovery: 60.1, stress: 40.2 },
    },
    daily_cardiovascular_age: {
      id: id('daily_cardiovascular_age'),
      day,
      vascular_age: 35,
      pulse_wave_velocity: 6.5,
    },
    vo2_max: { id: id('vo2_max'), day, timestamp: ts, vo2_max: 45 },
    workout: {
      id: id('workout'),
      day,
      activity: 'walking',
      calories: 120.5,
      distance: 3000,
      start_datetime: `${day}T17:00:00+00:00`,
      end_datetime: `${day}T17:30:00+00:00`,
      intensity: 'moderate',
      label: null,
      source: 'autodetected',
    },
    session: {
      id: id('session'),
      day,
      start_datetime: `${day}T12:00:00+00:00`,
      end_datetime: `${day}T12:10:00+00:00`,
      type: 'meditation',
      mood: 'good',
      heart_rate: sample(`${day}T12:00:00+00:00`),
      heart_rate_variability: null,
      motion_count: null,
    },
    sleep_time: {
      id: id('sleep_time'),
      day,
      optimal_bedtime: { day_tz: 0, start_offset: -3600, end_offset: 0 },
      recommendation: 'follow_optimal_bedtime',
      status: 'optimal_found',
    },
    enhanced_tag: {
      id: id('enhanced_tag'),
      tag_type_code: 'tag_generic_coffee',
      start_time: `${day}T08:00:00+00:00`,
      end_time: null,
      start_day: day,
      end_day: null,
      comment: 'coffee',
      custom_name: null,
    },
    tag: { id: id('tag'), day, text: 'note', timestamp: `${day}T08:00:00`, tags: ['coffee'] },
    rest_mode_period: {
      id: id('rest_mode_period'),
      start_day: day,
      end_day: day,
      start_time: `${day}T09:00:00+00:00`,
      end_time: `${day}T21:00:00+00:00`,
      episodes: [{ tags: ['sick'], timestamp: `${day}T09:00:00+00:00` }],
    },
    ring_configuration: {
      id: id('ring_configuration'),
      color: 'silver',
      design: 'heritage',
      firmware_version: '2.9.1',
      hardware_type: 'gen3',
      set_up_at: `${day}T10:00:00+00:00`,
      size: 9,
    },
  };
}

const NAMES = ['demo', 'alex', 'sam', 'kim'];

export function fixtureUsers(opts: {
  users: number;
  days: number;
  endDate: string;
}): SimUserData[] {
  const out: SimUserData[] = [];
  for (let u = 0; u < opts.users; u++) {
    const documents = {} as Record<DocumentDataType, Map<string, Record<string, unknown>>>;
    for (let i = 0; i < opts.days; i++) {
      const day = addDays(opts.endDate, i - opts.days + 1);
      for (const [type, doc] of Object.entries(docsFor(u, day, i)) as [
        DocumentDataType,
        Record<string, unknown>,
      ][]) {
        if (type === 'ring_configuration' && i > 0) continue;
        if (type === 'rest_mode_period' && i % 7 !== 0) continue;
        documents[type] ??= new Map();
        documents[type].set(String(doc.id), doc);
      }
    }
    const firstMs = Date.parse(`${addDays(opts.endDate, 1 - opts.days)}T00:00:00Z`);
    const endMs = Date.parse(`${addDays(opts.endDate, 1)}T00:00:00Z`);
    const series =
      (stepMs: number, row: (t: number) => Record<string, unknown>) => (s: number, e: number) => {
        const rows: Record<string, unknown>[] = [];
        const from = Math.max(s, firstMs);
        for (
          let t = Math.ceil((from - firstMs) / stepMs) * stepMs + firstMs;
          t < Math.min(e, endMs);
          t += stepMs
        ) {
          rows.push(row(t));
        }
        return rows;
      };
    out.push({
      name: NAMES[u] ?? `user${u}`,
      personalInfo: {
        id: `user-${u}`,
        age: 30 + u,
        weight: 70,
        height: 1.75,
        biological_sex: 'female',
        email: `${NAMES[u] ?? u}@example.test`,
      },
      documents,
      heartrate: series(300_000, (t) => ({
        timestamp: new Date(t).toISOString().replace('Z', '+00:00'),
        timestamp_unix: t,
        bpm: 55 + ((t / 300_000) % 30),
        source: 'awake',
      })),
      batteryLevel: series(1_800_000, (t) => ({
        timestamp: new Date(t).toISOString().replace('Z', '+00:00'),
        timestamp_unix: t,
        level: 100 - ((t / 1_800_000) % 100),
        charging: false,
        in_charger: false,
      })),
      // Hand-written fixtures plant nothing.
      truth: () => ({
        from: addDays(opts.endDate, 1 - opts.days),
        to: opts.endDate,
        sleepNeedMinutes: 480,
        illness: [],
        shortSleep: [],
        weekendShift: { bedtimeLaterMin: 0, sleepLongerMin: 0, midSleepLaterMin: 0 },
      }),
    });
  }
  return out;
}

export const FIXTURE_END = '2025-01-31';

/** A simulator serving the fixture dataset (two users, 60 days ending FIXTURE_END). */
export function startFixtureSimulator(opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({
    seed: 0,
    users: 2,
    days: 60,
    endDate: FIXTURE_END,
    dataset: fixtureUsers({ users: 2, days: 60, endDate: FIXTURE_END }),
    ...opts,
  });
}
