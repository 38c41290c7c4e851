import { zoneOn } from './calendar.ts';
import {
  cardiovascularAgeDocument,
  dailyActivityDocument,
  dailyResilienceDocument,
  dailyStressDocument,
  vo2MaxDocument,
} from './docsDaily.ts';
import {
  enhancedTags,
  legacyTags,
  restModePeriods,
  ringConfigurations,
  sessionDocument,
  type Timed,
  workoutDocument,
} from './docsOther.ts';
import {
  dailyReadinessDocument,
  dailySleepDocument,
  dailySpo2Document,
  sleepDocuments,
  sleepTimeDocument,
} from './docsSleep.ts';
import { plantedTruth } from './episodes.ts';
import { seriesSource } from './series.ts';
import { type DaySummary, summarize } from './summaries.ts';
import { tagTruth } from './tagEffects.ts';
import { localToUtc } from './time.ts';
import { buildTimeline, mainNight } from './timeline.ts';
import type { DocumentDataType, SimUserData } from './types.ts';
import { createProfile } from './users.ts';

type Doc = Record<string, unknown>;

function emptyDocuments(): Record<DocumentDataType, Map<string, Doc>> {
  return {
    sleep: new Map(),
    daily_sleep: new Map(),
    daily_readiness: new Map(),
    daily_activity: new Map(),
    daily_spo2: new Map(),
    daily_stress: new Map(),
    daily_resilience: new Map(),
    daily_cardiovascular_age: new Map(),
    vo2_max: new Map(),
    workout: new Map(),
    session: new Map(),
    sleep_time: new Map(),
    enhanced_tag: new Map(),
    tag: new Map(),
    rest_mode_period: new Map(),
    ring_configuration: new Map(),
  };
}

export function generateUser(
  seed: number,
  index: number,
  startDay: number,
  endDay: number,
): SimUserData {
  const p = createProfile(seed, index);
  const t = buildTimeline(p, startDay, endDay);
  const summaries = summarize(t);
  const docs = emptyDocuments();
  const add = (type: DocumentDataType, doc: Doc | undefined) => {
    if (doc) docs[type].set(String(doc.id), doc);
  };
  const history = (day: number, n: number): DaySummary[] => {
    const xs: DaySummary[] = [];
    for (let d = day - n; d < day; d++) {
      const s = summaries.get(d);
      if (s) xs.push(s);
    }
    return xs;
  };

  // The data ends when the last night ends (the morning of endDay).
  const lastNight = mainNight(t, endDay);
  const horizonMs = Math.max(
    lastNight?.endMs ?? localToUtc(zoneOn(p, endDay), endDay, 9 * 60),
    localToUtc(zoneOn(p, endDay), endDay, 4 * 60),
  );
  const firstSleep = (t.sleepsByDay.get(startDay) ?? [])[0];
  const dayStart = localToUtc(zoneOn(p, startDay), startDay, 4 * 60);
  const dataStartMs = Math.min(firstSleep?.startMs ?? dayStart, dayStart);

  for (let day = startDay; day <= endDay; day++) {
    const s = summaries.get(day);
    for (const doc of sleepDocuments(t, day, s)) add('sleep', doc);
    if (!s) continue;
    add('daily_sleep', dailySleepDocument(t, s));
    add('daily_readiness', dailyReadinessDocument(t, s));
    add('daily_spo2', dailySpo2Document(t, s));
    add('daily_resilience', dailyResilienceDocument(t, s, history(day, 13)));
    add('daily_cardiovascular_age', cardiovascularAgeDocument(t, s));
    add('sleep_time', sleepTimeDocument(t, day, [...history(day, 13), s]));
    const a = t.activity.get(day);
    if (a && day < endDay) {
      add('daily_activity', dailyActivityDocument(t, a, s));
      add('daily_stress', dailyStressDocument(t, s));
      add('vo2_max', vo2MaxDocument(t, a));
    }
  }
  const inRange = (day: number) => day >= startDay && day < endDay;
  const byDayThenStart = (
    a: { day: number; startMs: number },
    b: { day: number; startMs: number },
  ) => a.day - b.day || a.startMs - b.startMs;
  for (const w of [...t.workouts].sort(byDayThenStart)) {
    if (inRange(w.day)) add('workout', workoutDocument(w));
  }
  for (const s of [...t.sessions].sort(byDayThenStart)) {
    if (inRange(s.day)) add('session', sessionDocument(s));
  }
  const timed = (type: DocumentDataType, xs: Timed[]) => {
    for (const x of xs.sort((a, b) => a.day - b.day || a.atMs - b.atMs)) add(type, x.doc);
  };
  timed('enhanced_tag', enhancedTags(t, horizonMs));
  timed('tag', legacyTags(t));
  timed('rest_mode_period', restModePeriods(t, horizonMs));
  timed('ring_configuration', ringConfigurations(t));

  const series = seriesSource(t, dataStartMs, horizonMs);
  return {
    name: p.name,
    personalInfo: {
      id: p.personalId,
      age: p.age,
      weight: p.weightKg,
      height: p.heightM,
      biological_sex: p.sex,
      email: p.email,
    },
    documents: docs,
    heartrate: series.heartrate,
    batteryLevel: series.batteryLevel,
    truth: () => plantedTruth(p, startDay, endDay),
    tagTruth: () => tagTruth(p, startDay, endDay),
  };
}
