import {
  candidateTests,
  type DailyMap,
  strongestAssociations,
} from '../src/insights/correlation.ts';
import { addDays } from '../src/insights/days.ts';
import {
  compareNights,
  type NightValue,
  seedFrom,
  simultaneousLevel,
} from '../src/insights/experiment.ts';
import { generateDataset } from '../src/simulator/data/index.ts';
import { type TagOutcome, tagKey } from '../src/simulator/data/tagEffects.ts';

/** Outcomes every tag is tested on (the experiments page's defaults). */
export const BENCH_OUTCOMES = [
  'average_hrv',
  'lowest_heart_rate',
  'deep_sleep',
  'rem_sleep',
  'sleep_score',
  'latency',
] as const;

export interface TagScore {
  planted: number;
  plantedFound: number;
  plantedMissed: string[];
  noEffect: number;
  noEffectIncludingZero: number;
  noEffectTooFew: number;
  falseFindings: string[];
  associationsPlanted: number;
  /** Same tag, next night, an outcome computed from a planted one (scores, readiness). */
  associationsDownstream: number;
  associationsOther: number;
  associationsOtherList: string[];
  tests: number;
  /** Estimated relative (or absolute, for bpm) differences per planted effect. */
  estimates: Record<string, number[]>;
}

/** Oura's scores are computed from HRV, resting heart rate and the stages. */
const DOWNSTREAM = new Set(['readiness_score', 'sleep_score', 'efficiency', 'total_sleep']);

type Doc = Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The dashboard's daily series, read from simulator documents as the sync would store them. */
function dailySeries(
  documents: Record<string, Map<string, Doc>>,
): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const put = (key: string, day: string, v: number | undefined) => {
    if (v === undefined) return;
    const m = out.get(key) ?? new Map<string, number>();
    m.set(day, v);
    out.set(key, m);
  };
  const main = new Map<string, Doc>();
  for (const d of documents.sleep?.values() ?? []) {
    if (d.type !== 'long_sleep') continue;
    const day = String(d.day);
    const prev = main.get(day);
    if (!prev || (num(d.total_sleep_duration) ?? 0) > (num(prev.total_sleep_duration) ?? 0))
      main.set(day, d);
  }
  for (const [day, d] of main) {
    put('average_hrv', day, num(d.average_hrv));
    put('lowest_heart_rate', day, num(d.lowest_heart_rate));
    put('deep_sleep', day, num(d.deep_sleep_duration));
    put('rem_sleep', day, num(d.rem_sleep_duration));
    put('latency', day, num(d.latency));
    put('total_sleep', day, num(d.total_sleep_duration));
    put('efficiency', day, num(d.efficiency));
    put('average_breath', day, num(d.average_breath));
  }
  for (const d of documents.daily_sleep?.values() ?? [])
    put('sleep_score', String(d.day), num(d.score));
  for (const d of documents.daily_readiness?.values() ?? []) {
    put('readiness_score', String(d.day), num(d.score));
    put('temperature_deviation', String(d.day), num(d.temperature_deviation));
  }
  for (const d of documents.daily_activity?.values() ?? []) {
    put('steps', String(d.day), num(d.steps));
    put('active_calories', String(d.day), num(d.active_calories));
  }
  return out;
}

export function scoreTagInsights(o: {
  seed: number;
  users: number;
  days: number;
  endDate: string;
}): TagScore {
  const score: TagScore = {
    planted: 0,
    plantedFound: 0,
    plantedMissed: [],
    noEffect: 0,
    noEffectIncludingZero: 0,
    noEffectTooFew: 0,
    falseFindings: [],
    associationsPlanted: 0,
    associationsDownstream: 0,
    associationsOther: 0,
    associationsOtherList: [],
    tests: 0,
    estimates: {},
  };
  const data = generateDataset({ seed: o.seed, users: o.users, days: o.days, endDate: o.endDate });
  const first = addDays(o.endDate, -o.days + 1);
  for (const user of data) {
    const truth = user.tagTruth?.();
    if (!truth) continue;
    const series = dailySeries(user.documents);
    // Tagged days as the app reads them: enhanced tags by their start day.
    const tagDays = new Map<string, Set<string>>();
    for (const d of user.documents.enhanced_tag.values()) {
      const key = tagKey(String(d.tag_type_code), (d.custom_name as string | null) ?? null);
      const set = tagDays.get(key) ?? new Set<string>();
      set.add(String(d.start_day));
      tagDays.set(key, set);
    }
    const experiment = (tag: string, outcome: string) => {
      const days = tagDays.get(tag) ?? new Set<string>();
      const nights: NightValue[] = [...(series.get(outcome) ?? new Map<string, number>())]
        .filter(([day]) => day >= first)
        .map(([day, value]) => ({ day, value }));
      // The page reads the six outcomes together: simultaneous 95 % intervals.
      return compareNights(nights, (day) => days.has(addDays(day, -1)), {
        seed: seedFrom(`${tag}|${outcome}`),
        level: simultaneousLevel(BENCH_OUTCOMES.length),
      });
    };
    for (const e of truth.effects) {
      score.planted++;
      const r = experiment(e.tag, e.outcome);
      const want = e.size > 0 ? 'higher' : 'lower';
      const key = `${e.tag} → ${e.outcome} (planted ${e.kind === 'relative' ? `${e.size * 100} %` : `+${e.size}`})`;
      const estimate = e.kind === 'relative' ? r.relative : r.difference;
      if (estimate !== null) score.estimates[key] = [...(score.estimates[key] ?? []), estimate];
      if (r.verdict === want) score.plantedFound++;
      else
        score.plantedMissed.push(
          `${user.name} ${e.tag} → ${e.outcome}: ${r.verdict} (n ${r.nExposed}/${r.nOther}, diff ${r.difference?.toFixed(2)}, [${r.lower?.toFixed(2)}, ${r.upper?.toFixed(2)}])`,
        );
    }
    for (const tag of truth.noEffectTags) {
      for (const outcome of BENCH_OUTCOMES) {
        score.noEffect++;
        const r = experiment(tag, outcome);
        if (r.verdict === 'too_few') score.noEffectTooFew++;
        if (r.verdict === 'too_few' || r.verdict === 'no_evidence') score.noEffectIncludingZero++;
        else
          score.falseFindings.push(
            `${user.name} ${tag} → ${outcome}: ${r.verdict} (n ${r.nExposed}/${r.nOther}, [${r.lower?.toFixed(2)}, ${r.upper?.toFixed(2)}])`,
          );
      }
    }
    // Strongest associations: metrics plus every tag as a 0/1 series over the days with a night.
    const nightDays = [...(series.get('total_sleep')?.keys() ?? [])].filter((d) => d >= first);
    const all = new Map<string, DailyMap>();
    for (const [k, m] of series) all.set(k, new Map([...m].filter(([d]) => d >= first)));
    const tags = [...truth.noEffectTags, ...new Set(truth.effects.map((e) => e.tag))];
    for (const tag of tags) {
      const days = tagDays.get(tag) ?? new Set<string>();
      all.set(`tag:${tag}`, new Map(nightDays.map((d) => [d, days.has(d) ? 1 : 0])));
    }
    const metrics = [...series.keys()];
    const { tested, kept } = strongestAssociations(
      all,
      candidateTests(
        metrics,
        tags.map((t) => `tag:${t}`),
      ),
    );
    score.tests += tested;
    for (const a of kept) {
      if (!a.x.startsWith('tag:')) continue;
      const tag = a.x.slice(4);
      const planted = truth.effects.some(
        (e) => e.tag === tag && e.outcome === (a.y as TagOutcome) && a.lag === 1,
      );
      const downstream =
        a.lag === 1 && DOWNSTREAM.has(a.y) && truth.effects.some((e) => e.tag === tag);
      if (planted) score.associationsPlanted++;
      else if (downstream) score.associationsDownstream++;
      else {
        score.associationsOther++;
        score.associationsOtherList.push(
          `${user.name} ${tag} → ${a.y} lag ${a.lag}: rho ${a.rho.toFixed(2)} q ${a.q.toPrecision(2)}`,
        );
      }
    }
  }
  return score;
}
