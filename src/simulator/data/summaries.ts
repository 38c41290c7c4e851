import { sicknessOn, tripOn } from './calendar.ts';
import { hadAlcohol } from './lifestyle.ts';
import type { SleepPeriod } from './periods.ts';
import { clamp, rngFor, round } from './prng.ts';
import {
  type ActivityContributors,
  activityContributors,
  activityScore,
  type ReadinessContributors,
  readinessContributors,
  readinessScore,
  type SleepContributors,
  sleepContributors,
  sleepScore,
} from './scores.ts';
import { localMinuteOfDay, weekday } from './time.ts';
import { mainNight, type Timeline } from './timeline.ts';

/** Scores of one day, computed in day order so that two-week baselines can look back. */
export interface DaySummary {
  readonly day: number;
  readonly night: SleepPeriod | undefined;
  readonly sleep: { score: number; contributors: SleepContributors } | undefined;
  readonly readiness:
    | {
        score: number;
        contributors: ReadinessContributors;
        temperature_deviation: number;
        temperature_trend_deviation: number | null;
      }
    | undefined;
  readonly activity:
    | { score: number | null; contributors: ActivityContributors | null; restMode: boolean }
    | undefined;
  readonly stress:
    | {
        stress_high: number | null;
        recovery_high: number | null;
        day_summary: 'restored' | 'normal' | 'stressful' | null;
      }
    | undefined;
  /** Sleep midpoint in local hours relative to midnight. */
  readonly midpoint: number | undefined;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function midpointHours(s: SleepPeriod): number {
  const minute = localMinuteOfDay(s.zone, (s.startMs + s.endMs) / 2);
  return (minute > 720 ? minute - 1440 : minute) / 60;
}

export function summarize(t: Timeline): Map<number, DaySummary> {
  const p = t.profile;
  const out = new Map<number, DaySummary>();
  const back = (day: number, n: number): DaySummary[] => {
    const xs: DaySummary[] = [];
    for (let d = day - n; d < day; d++) {
      const s = out.get(d);
      if (s) xs.push(s);
    }
    return xs;
  };
  const ratio = (d: number): number | null => {
    const a = t.activity.get(d);
    return a ? a.activeCalories / p.targetCalories : null;
  };

  for (let day = t.warmDay; day <= t.endDay; day++) {
    const night = mainNight(t, day);
    const phys = t.physiology.get(day);
    const midpoint = night ? midpointHours(night) : undefined;
    let sleep: DaySummary['sleep'];
    let readiness: DaySummary['readiness'];
    if (night && phys) {
      const contributors = sleepContributors({
        total: night.total,
        efficiency: night.efficiency,
        latency: night.latency,
        deep: night.deep,
        rem: night.rem,
        restless: night.restless,
        sleepEpochs: night.total / 30,
        midpointHours: midpoint ?? 3,
      });
      sleep = { score: sleepScore(contributors), contributors };
      const history = back(day, 14);
      const nights = history.flatMap((h) => (h.night ? [h.night] : []));
      const lowest = nights.flatMap((n) => (n.lowestHr === null ? [] : [n.lowestHr]));
      const hrvs = [...nights, night].flatMap((n) => (n.averageHrv === null ? [] : [n.averageHrv]));
      const totals = [...nights, night].map((n) => n.total);
      const mids = [
        ...history.flatMap((h) => (h.midpoint === undefined ? [] : [h.midpoint])),
        midpoint ?? 3,
      ];
      const ratios = history.flatMap((h) => {
        const r = ratio(h.day);
        return r === null ? [] : [r];
      });
      const temps = [
        ...history
          .slice(-13)
          .flatMap((h) => (h.readiness ? [h.readiness.temperature_deviation] : [])),
      ];
      const temperature = round(phys.temperature, 2);
      const recent = [...temps.slice(-2), temperature];
      const contributorsR = readinessContributors({
        sleepScore: sleep.score,
        lowestHr: night.lowestHr ?? p.restingHr,
        restingHrBaseline: lowest.length ? mean(lowest) : p.restingHr,
        hrvRecent: hrvs.length ? mean(hrvs.slice(-7)) * 0.6 + mean(hrvs) * 0.4 : p.hrv,
        hrvBaseline: p.hrv,
        temperature,
        lowestAtFraction: night.lowestAt / Math.max(1, night.hr.length),
        sleepBalance: mean(totals) / (p.sleepNeedMin * 60),
        previousDayActivity: ratio(day - 1),
        activityBalance: ratios.length >= 3 ? mean(ratios) : null,
        regularitySd:
          mids.length >= 5 ? Math.sqrt(mean(mids.map((m) => (m - mean(mids)) ** 2))) : null,
      });
      readiness = {
        score: readinessScore(contributorsR),
        contributors: contributorsR,
        temperature_deviation: temperature,
        temperature_trend_deviation:
          temps.length >= 5 ? round(mean(recent) - mean(temps), 2) : null,
      };
    }

    let activity: DaySummary['activity'];
    let stress: DaySummary['stress'];
    const a = t.activity.get(day);
    if (a) {
      const sick = sicknessOn(p, day);
      const restMode = sick?.restMode === true;
      const week = [...back(day, 6).map((h) => h.day), day].flatMap((d) => {
        const x = t.activity.get(d);
        return x
          ? [
              {
                activeCalories: x.activeCalories,
                target: p.targetCalories,
                trainingMetMinutes: x.mediumMetMinutes + x.highMetMinutes,
                trainingMinutes: x.vigorousMinutes,
              },
            ]
          : [];
      });
      // Rest Mode pauses activity goals; a mostly unworn day gets no score either.
      const scored = !restMode && a.nonWearTime < 14 * 3600;
      const contributors = scored
        ? activityContributors(week, a.sedentaryTime, a.inactivityAlerts)
        : null;
      activity = {
        score: contributors ? activityScore(contributors) : null,
        contributors,
        restMode,
      };

      const r = rngFor(p.seed, 'stress', day);
      const awake = a.sedentaryTime + a.lowTime + a.mediumTime + a.highTime;
      if (awake < 6 * 3600) stress = { stress_high: null, recovery_high: null, day_summary: null };
      else {
        const workday = weekday(day) >= 1 && weekday(day) <= 5;
        const load =
          0.1 +
          (workday ? 0.08 : 0) +
          (sick ? 0.1 : 0) +
          (tripOn(p, day) ? 0.05 : 0) +
          (hadAlcohol(p, day) ? 0.03 : 0);
        const stressHigh = Math.round((awake * clamp(r.normal(load, 0.06), 0, 0.6)) / 900) * 900;
        const relief = 0.07 + (workday ? 0 : 0.07) + ((readiness?.score ?? 70) - 70) / 400;
        const recoveryHigh =
          Math.round((awake * clamp(r.normal(relief, 0.04), 0, 0.4)) / 900) * 900;
        stress = {
          stress_high: stressHigh,
          recovery_high: recoveryHigh,
          day_summary:
            stressHigh > 2 * recoveryHigh && stressHigh >= 3 * 3600
              ? 'stressful'
              : recoveryHigh > stressHigh
                ? 'restored'
                : 'normal',
        };
      }
    }
    out.set(day, { day, night, sleep, readiness, activity, stress, midpoint });
  }
  return out;
}
