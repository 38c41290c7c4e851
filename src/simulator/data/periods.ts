import { batteryAt } from './battery.ts';
import { ringOn } from './calendar.ts';
import type { NightPhysiology } from './physiology.ts';
import { clamp, fillUniform, rngFor, round, uuidFrom } from './prng.ts';
import { countStage, hypnogram, movement, refine30, type StageKind } from './stages.ts';
import { SLOT_MS } from './time.ts';
import type { UserProfile } from './users.ts';

/** spec `PublicSleepType` */
export type SleepType = 'long_sleep' | 'sleep' | 'late_nap' | 'rest' | 'deleted';

/** One sleep period with everything its document needs, in seconds and beats per minute. */
export interface SleepPeriod {
  readonly id: string;
  /** Document day (wake-up day; for late naps the next day). */
  readonly day: number;
  readonly type: SleepType;
  readonly zone: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly stages5: string;
  readonly stages30: string;
  readonly movement30: string;
  readonly hr: readonly (number | null)[];
  readonly hrv: readonly (number | null)[];
  readonly breath: number;
  readonly lowBattery: boolean;
  readonly ringIndex: number;
  readonly deep: number;
  readonly light: number;
  readonly rem: number;
  readonly awake: number;
  readonly total: number;
  readonly timeInBed: number;
  readonly latency: number;
  readonly efficiency: number;
  readonly restless: number;
  readonly lowestHr: number | null;
  readonly averageHr: number | null;
  readonly averageHrv: number | null;
  /** Slot index of the lowest heart rate (recovery index: early is good). */
  readonly lowestAt: number;
}

export interface PeriodSpec {
  readonly key: string;
  readonly type: SleepType;
  readonly day: number;
  readonly zone: string;
  readonly startMs: number;
  readonly slots: number;
  readonly latencySlots: number;
  readonly phys: NightPhysiology;
}

const STAGE_HR: Record<string, number> = { '1': -1.5, '2': 0, '3': 2.5, '4': 7 };
const STAGE_HRV: Record<string, number> = { '1': 1.2, '2': 1, '3': 0.88, '4': 0.75 };

function stageKind(type: SleepType): StageKind {
  return type === 'long_sleep' ? 'night' : type === 'rest' ? 'rest' : 'nap';
}

export function buildPeriod(p: UserProfile, s: PeriodSpec): SleepPeriod {
  const r = rngFor(p.seed, 'period', s.key);
  const kind = stageKind(s.type);
  const stages5 = hypnogram(r, {
    slots: s.slots,
    latencySlots: s.latencySlots,
    kind,
    deepBias: s.phys.deepBias,
    remBias: s.phys.remBias,
    wakeRate: s.phys.wakeRate,
  });
  const stages30 = refine30(r, stages5);
  const movement30 = movement(r, stages30);

  const hr: (number | null)[] = [];
  const hrv: (number | null)[] = [];
  const base = s.phys.restingHr + (kind === 'night' ? 0.5 : kind === 'nap' ? 6 : 10);
  // Eight uniforms per slot: three per bell-shaped noise term (Irwin-Hall), two for gaps.
  const u = new Float64Array(8 * s.slots);
  fillUniform(u, Math.floor(r.next() * 4294967296));
  const bell = (k: number) => (u[k] ?? 0) + (u[k + 1] ?? 0) + (u[k + 2] ?? 0) - 1.5;
  for (let i = 0; i < s.slots; i++) {
    const k = 8 * i;
    const stage = stages5[i] ?? '2';
    const x = i / s.slots;
    const shape = kind === 'night' ? 9 * Math.exp(-x / 0.2) + (5 * Math.max(0, x - 0.7)) / 0.3 : 2;
    const gap = u[k + 6] ?? 0;
    const missing = (i === 0 && gap < 0.5) || (stage === '4' && gap < 0.25) || gap < 0.015;
    const bpm = Math.round(base + shape + (STAGE_HR[stage] ?? 0) + 2.2 * bell(k));
    hr.push(missing ? null : bpm);
    const arc = kind === 'night' ? 0.85 + 0.3 * Math.sin(Math.PI * x) : 0.9;
    const ms = Math.round(s.phys.hrv * (STAGE_HRV[stage] ?? 1) * arc * (1 + 0.24 * bell(k + 3)));
    hrv.push(missing || (u[k + 7] ?? 0) < 0.02 ? null : clamp(ms, 5, 250));
  }
  if (!hr.some((v) => v !== null)) hr[Math.floor(s.slots / 2)] = Math.round(base + 2);
  if (!hrv.some((v) => v !== null)) hrv[Math.floor(s.slots / 2)] = Math.round(s.phys.hrv);

  let lowestHr: number | null = null;
  let lowestAt = 0;
  let hrSum = 0;
  let hrN = 0;
  for (let i = 0; i < hr.length; i++) {
    const v = hr[i];
    if (v === null || v === undefined) continue;
    hrSum += v;
    hrN++;
    if (lowestHr === null || v < lowestHr) {
      lowestHr = v;
      lowestAt = i;
    }
  }
  let hrvSum = 0;
  let hrvN = 0;
  for (const v of hrv) {
    if (v === null) continue;
    hrvSum += v;
    hrvN++;
  }

  let restless = 0;
  for (let i = 0; i < stages30.length; i++) {
    if (stages30[i] !== '4' && movement30[i] !== '1') restless++;
  }
  const firstSleep = stages30.search(/[123]/);
  const deep = countStage(stages5, '1') * 300;
  const light = countStage(stages5, '2') * 300;
  const rem = countStage(stages5, '3') * 300;
  const awake = countStage(stages5, '4') * 300;
  const total = deep + light + rem;
  const timeInBed = s.slots * 300;
  const endMs = s.startMs + s.slots * SLOT_MS;
  return {
    id: uuidFrom(p.seed, 'sleep', s.key),
    day: s.day,
    type: s.type,
    zone: s.zone,
    startMs: s.startMs,
    endMs,
    stages5,
    stages30,
    movement30,
    hr,
    hrv,
    breath: round(Math.round((s.phys.breath + r.normal(0, 0.2)) * 8) / 8, 3),
    lowBattery: batteryAt(p, endMs).level < 15,
    ringIndex: ringOn(p, s.day - 1).index,
    deep,
    light,
    rem,
    awake,
    total,
    timeInBed,
    latency: firstSleep < 0 ? timeInBed : firstSleep * 30,
    efficiency: clamp(Math.round((100 * total) / timeInBed), 1, 100),
    restless,
    lowestHr,
    averageHr: hrN ? round(hrSum / hrN, 3) : null,
    averageHrv: hrvN ? Math.round(hrvSum / hrvN) : null,
    lowestAt,
  };
}
