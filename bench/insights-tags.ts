/**
 * `node bench/insights-tags.ts` (also run by `npm run bench:insights`): tag experiments and the strongest-associations list scored against
 * the tag effects the simulator plants, over several seeds.
 *   node bench/insights-tags.ts --seeds 5 --users 3 --days 365
 * Prints the recall on planted effects, the share of no-effect tags whose interval includes zero,
 * and how many BH-surviving tag associations are planted vs not.
 */
import { parseArgs } from 'node:util';
import { addDays } from '../src/insights/days.ts';
import { scoreTagInsights, type TagScore } from './insightsTagsScore.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '5' },
    users: { type: 'string', default: '3' },
    days: { type: 'string', default: '730' },
  },
});
const seeds = Math.min(20, Number(values.seeds));
const users = Math.min(12, Number(values.users));
const days = Math.min(1096, Number(values.days));
const endDate = addDays(new Date().toISOString().slice(0, 10), -1);

const total: TagScore = {
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
for (let seed = 1; seed <= seeds; seed++) {
  const s = scoreTagInsights({ seed, users, days, endDate });
  total.planted += s.planted;
  total.plantedFound += s.plantedFound;
  total.plantedMissed.push(...s.plantedMissed.map((m) => `seed ${seed} ${m}`));
  total.noEffect += s.noEffect;
  total.noEffectIncludingZero += s.noEffectIncludingZero;
  total.noEffectTooFew += s.noEffectTooFew;
  total.falseFindings.push(...s.falseFindings.map((m) => `seed ${seed} ${m}`));
  total.associationsPlanted += s.associationsPlanted;
  total.associationsDownstream += s.associationsDownstream;
  total.associationsOther += s.associationsOther;
  total.associationsOtherList.push(...s.associationsOtherList.map((m) => `seed ${seed} ${m}`));
  total.tests += s.tests;
  for (const [k, v] of Object.entries(s.estimates)) {
    total.estimates[k] = [...(total.estimates[k] ?? []), ...v];
  }
}
const pct = (a: number, b: number) => (b === 0 ? '–' : `${((100 * a) / b).toFixed(1)} %`);
console.log(`Tag insights vs planted truth: ${seeds} seeds × ${users} users × ${days} days`);
console.log(
  `planted effects found (right sign, 95 % interval excludes 0): ${total.plantedFound}/${total.planted} (${pct(total.plantedFound, total.planted)})`,
);
for (const m of total.plantedMissed) console.log(`  missed: ${m}`);
for (const [k, v] of Object.entries(total.estimates)) {
  const sorted = [...v].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const relative = k.includes('%');
  console.log(
    `  ${k}: median estimate ${relative ? `${(median * 100).toFixed(1)} %` : median.toFixed(2)} over ${v.length} users`,
  );
}
console.log(
  `no-effect tag × outcome intervals including 0: ${total.noEffectIncludingZero}/${total.noEffect} (${pct(total.noEffectIncludingZero, total.noEffect)}); among the ${total.noEffect - total.noEffectTooFew} with ≥ 5 nights per group: ${pct(total.noEffectIncludingZero - total.noEffectTooFew, total.noEffect - total.noEffectTooFew)}`,
);
for (const m of total.falseFindings) console.log(`  false finding: ${m}`);
console.log(
  `strongest associations (BH q ≤ 0.05) involving a tag: ${total.associationsPlanted} planted, ${total.associationsDownstream} downstream of a planted effect (a score computed from it), ${total.associationsOther} spurious, of ${total.tests} tests`,
);
for (const m of total.associationsOtherList.slice(0, 20)) console.log(`  spurious: ${m}`);
