/**
 * `node bench/insights.ts` (also run by `npm run bench:insights`): how well the body-signal flags find the illness episodes the
 * simulator plants, over several seeds. Figures are printed and written to docs/insights.md.
 *   node bench/insights.ts --seeds 5 --users 3 --days 730 [--no-write]
 * Pure computation over generated documents (no database, no HTTP): the same rows the
 * dashboard's signals query reads, taken straight from the simulator's documents.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { addDays, daysBetween } from '../src/insights/days.ts';
import { bodySignals, type SignalNight } from '../src/insights/signals.ts';
import { generateDataset, type SimUserData } from '../src/simulator/data/index.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '5' },
    users: { type: 'string', default: '4' },
    days: { type: 'string', default: '1095' },
    'no-write': { type: 'boolean', default: false },
  },
});
const SEEDS = Number(values.seeds);
const USERS = Number(values.users);
const DAYS = Number(values.days);
const END = '2026-11-30';
/** A flag counts as finding an episode when it falls on its first day or the day after. */
const TOLERANCE_DAYS = 1;

type Doc = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** One row per day: the longest long_sleep, readiness temperature, SpO₂ (as the DB's views). */
export function signalNights(u: SimUserData): SignalNight[] {
  const nights = new Map<string, Doc>();
  for (const d of u.documents.sleep.values()) {
    if (d.type !== 'long_sleep') continue;
    const day = String(d.day);
    const prev = nights.get(day);
    if (!prev || Number(d.time_in_bed) > Number(prev.time_in_bed)) nights.set(day, d);
  }
  const temp = new Map<string, number | null>();
  for (const d of u.documents.daily_readiness.values())
    temp.set(String(d.day), num(d.temperature_deviation));
  const spo2 = new Map<string, number | null>();
  for (const d of u.documents.daily_spo2.values())
    spo2.set(String(d.day), num((d.spo2_percentage as Doc | null)?.average));
  const days = new Set([...nights.keys(), ...temp.keys()]);
  return [...days].sort().map((day) => {
    const n = nights.get(day);
    return {
      day,
      restingHr: num(n?.lowest_heart_rate),
      hrv: num(n?.average_hrv),
      temperature: temp.get(day) ?? null,
      breath: num(n?.average_breath),
      spo2: spo2.get(day) ?? null,
    };
  });
}

export interface SignalScore {
  /** Planted episodes whose first two nights could not be judged (no baseline yet, not worn). */
  skipped: number;
  episodes: number;
  found: number;
  healthyNights: number;
  falseFlags: number;
}

export function scoreUser(u: SimUserData): SignalScore {
  const truth = u.truth();
  const result = bodySignals(signalNights(u));
  const judged = result.filter((d) => d.status === 'ok');
  const flagged = new Set(judged.filter((d) => d.flagged).map((d) => d.day));
  const judgedDays = new Set(judged.map((d) => d.day));
  const ill = new Set<string>();
  let episodes = 0;
  let skipped = 0;
  let found = 0;
  for (const e of truth.illness) {
    for (let d = e.start; d <= e.end; d = addDays(d, 1)) ill.add(d);
    // Episodes before the baseline exists, or whose first nights went unrecorded, cannot count.
    if (!judgedDays.has(e.start) && !judgedDays.has(addDays(e.start, 1))) {
      skipped++;
      continue;
    }
    episodes++;
    let hit = false;
    for (let k = -TOLERANCE_DAYS; k <= TOLERANCE_DAYS; k++)
      if (flagged.has(addDays(e.start, k))) hit = true;
    if (hit) found++;
  }
  let healthyNights = 0;
  let falseFlags = 0;
  for (const d of judged) {
    if (ill.has(d.day)) continue;
    healthyNights++;
    if (d.flagged) falseFlags++;
  }
  return { skipped, episodes, found, healthyNights, falseFlags };
}

export function runSignalsBench(seeds: number, users: number, days: number) {
  const rows: ({ seed: number } & SignalScore)[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const total: SignalScore = {
      skipped: 0,
      episodes: 0,
      found: 0,
      healthyNights: 0,
      falseFlags: 0,
    };
    for (const u of generateDataset({ seed, users, days, endDate: END })) {
      const s = scoreUser(u);
      total.skipped += s.skipped;
      total.episodes += s.episodes;
      total.found += s.found;
      total.healthyNights += s.healthyNights;
      total.falseFlags += s.falseFlags;
    }
    rows.push({ seed, ...total });
  }
  return rows;
}

/** Wilson score 95 % interval of a proportion k/n. */
export function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.959964;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

function markdown(rows: ReturnType<typeof runSignalsBench>): string {
  const sum = (k: keyof SignalScore) => rows.reduce((a, r) => a + r[k], 0);
  const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : '–');
  const per60 = (a: number, b: number) => (b ? ((60 * a) / b).toFixed(2) : '–');
  const [rLo, rHi] = wilson(sum('found'), sum('episodes'));
  const [fLo, fHi] = wilson(sum('falseFlags'), sum('healthyNights'));
  const lines = [
    `Seeds 1–${SEEDS}, ${USERS} simulated people each, ${DAYS} days ending ${END} ` +
      `(${daysBetween(addDays(END, 1 - DAYS), END) + 1} days). Found: a flag on the episode's ` +
      `first day or within ${TOLERANCE_DAYS} day of it. False flag: a flagged night outside every ` +
      'planted episode. Episodes whose first two nights could not be judged (before 14 baseline ' +
      'nights, or ring not worn) are not scored; they are counted in "not judged". ' +
      'Targets: recall ≥ 90 %, ≤ 1 false flag per 60 healthy nights.',
    '',
    '| seed | episodes | not judged | found | recall | healthy nights | false flags | per 60 nights |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.seed} | ${r.episodes} | ${r.skipped} | ${r.found} | ${pct(r.found, r.episodes)} | ${r.healthyNights} | ${r.falseFlags} | ${per60(r.falseFlags, r.healthyNights)} |`,
    ),
    `| all | ${sum('episodes')} | ${sum('skipped')} | ${sum('found')} | ${pct(sum('found'), sum('episodes'))} | ${sum('healthyNights')} | ${sum('falseFlags')} | ${per60(sum('falseFlags'), sum('healthyNights'))} |`,
    '',
    `Recall ${pct(sum('found'), sum('episodes'))} (Wilson 95 % ${(100 * rLo).toFixed(1)}–${(100 * rHi).toFixed(1)} %); ` +
      `false flags ${per60(sum('falseFlags'), sum('healthyNights'))} per 60 healthy nights ` +
      `(Wilson 95 % ${(60 * fLo).toFixed(2)}–${(60 * fHi).toFixed(2)}; flags on neighbouring days are ` +
      'not independent, so this interval is somewhat too narrow).',
  ];
  return lines.join('\n');
}

async function writeSection(name: string, body: string): Promise<void> {
  const doc = new URL('../docs/insights.md', import.meta.url);
  let text = await readFile(doc, 'utf8').catch(() => '# Insights\n');
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const re = new RegExp(`${start}[\\s\\S]*?${end}`);
  text = re.test(text) ? text.replace(re, block) : `${text.trimEnd()}\n\n${block}\n`;
  await writeFile(doc, text);
}

if (import.meta.main) {
  const rows = runSignalsBench(SEEDS, USERS, DAYS);
  const md = markdown(rows);
  console.log(md);
  if (!values['no-write']) await writeSection('signals', md);
}
