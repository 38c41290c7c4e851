import { clamp, fillUniform, type Rng } from './prng.ts';

/**
 * Sleep stage strings (spec `PublicModifiedSleepModel.sleep_phase_5_min` / `_30_sec`):
 * '1' deep, '2' light, '3' REM, '4' awake. Nights follow ~90-minute cycles with deep sleep early
 * and REM growing towards morning.
 */

export type StageKind = 'night' | 'nap' | 'rest';

export interface StageOptions {
  /** Number of 5-minute slots the period spans (time in bed / 300 s). */
  readonly slots: number;
  readonly latencySlots: number;
  readonly kind: StageKind;
  /** Scales deep sleep (1 = typical; illness, alcohol and age lower it). */
  readonly deepBias: number;
  readonly remBias: number;
  /** Probability of a longer awakening at the end of a cycle. */
  readonly wakeRate: number;
}

function nightBody(r: Rng, o: StageOptions, length: number): string[] {
  const out: string[] = [];
  const push = (stage: string, n: number) => {
    for (let i = 0; i < n; i++) out.push(stage);
  };
  for (let c = 0; out.length < length; c++) {
    const cycle = clamp(Math.round(r.normal(18, 2)), 14, 22);
    const deepBase = [6.5, 4.5, 2.5, 1, 0.3][c] ?? 0;
    const remBase = [1.5, 3.5, 4.5, 5.5, 6.5][c] ?? 6.5;
    let deep = Math.max(0, Math.round(r.normal(deepBase * o.deepBias, 1)));
    let rem = Math.max(c === 0 ? 0 : 1, Math.round(r.normal(remBase * o.remBias, 1.2)));
    const light1 = r.int(2, 4);
    let light2 = cycle - light1 - deep - rem;
    while (light2 < 1 && deep + rem > 0) {
      if (deep > rem) deep--;
      else rem--;
      light2++;
    }
    push('2', light1);
    if (deep >= 4 && r.chance(0.4)) {
      const first = r.int(1, deep - 1);
      push('1', first);
      push('2', 1);
      push('1', deep - first);
      light2 = Math.max(1, light2 - 1);
    } else push('1', deep);
    push('2', light2);
    push('3', rem);
    if (r.chance(o.wakeRate)) push('4', r.int(1, 3));
    else if (r.chance(0.3)) push('4', 1);
  }
  return out.slice(0, length);
}

function napBody(r: Rng, length: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < length; i++) {
    if (length >= 8 && i >= 3 && i < 3 + Math.min(3, Math.floor(length / 5))) out.push('1');
    else if (length >= 14 && i >= length - 3) out.push('3');
    else out.push(r.chance(0.06) ? '4' : '2');
  }
  return out;
}

function restBody(r: Rng, length: number): string[] {
  const out: string[] = [];
  let stage = '4';
  for (let i = 0; i < length; i++) {
    if (r.chance(0.3)) stage = stage === '4' ? '2' : '4';
    out.push(stage);
  }
  return out;
}

/** The 5-minute stage string of a period (length = slots). */
export function hypnogram(r: Rng, o: StageOptions): string {
  const tail = o.kind === 'night' ? r.int(1, 3) : 1;
  const latency = Math.min(o.latencySlots, Math.max(0, o.slots - tail - 1));
  const bodyLength = Math.max(1, o.slots - latency - tail);
  const body =
    o.kind === 'night'
      ? nightBody(r, o, bodyLength)
      : o.kind === 'nap'
        ? napBody(r, bodyLength)
        : restBody(r, bodyLength);
  const all = ['4'.repeat(latency), ...body, '4'.repeat(o.slots - latency - bodyLength)];
  return all.join('').slice(0, o.slots);
}

/**
 * The 30-second string: each 5-minute slot becomes ten epochs, and stage transitions are blurred
 * by swapping epochs across the boundary. Swaps keep every stage's epoch count, so durations
 * computed from either string agree exactly.
 */
export function refine30(r: Rng, stages5: string): string {
  const epochs = new Uint8Array(stages5.length * 10);
  for (let i = 0; i < stages5.length; i++) epochs.fill(stages5.charCodeAt(i), i * 10, i * 10 + 10);
  for (let i = 1; i < stages5.length; i++) {
    if (stages5[i] === stages5[i - 1] || !r.chance(0.7)) continue;
    const b = i * 10;
    const swaps = r.int(1, 3);
    for (let j = 0; j < swaps; j++) {
      const left = b - 1 - j;
      const right = Math.min(epochs.length - 1, b + r.int(0, 3));
      const a = epochs[left] ?? 0;
      epochs[left] = epochs[right] ?? a;
      epochs[right] = a;
    }
  }
  return ascii.decode(epochs);
}

const ascii = new TextDecoder('latin1');
const ONE = 49;

// Cumulative probabilities of '1' (still), '2' (restless), '3' (tossing) per stage; the rest is
// '4' (active). Indexed by stage character code - 49.
const STILL = [0.98, 0.82, 0.9, 0.3];
const RESTLESS = [1, 0.95, 0.98, 0.6];
const TOSSING = [1, 1, 1, 0.85];

/** `movement_30_sec`: '1' no motion, '2' restless, '3' tossing and turning, '4' active. */
export function movement(r: Rng, stages30: string): string {
  const out = new Uint8Array(stages30.length);
  const noise = new Float64Array(stages30.length);
  fillUniform(noise, Math.floor(r.next() * 4294967296));
  for (let i = 0; i < stages30.length; i++) {
    const k = stages30.charCodeAt(i) - ONE;
    const x = noise[i] ?? 0;
    out[i] =
      ONE + (x < (STILL[k] ?? 1) ? 0 : x < (RESTLESS[k] ?? 1) ? 1 : x < (TOSSING[k] ?? 1) ? 2 : 3);
  }
  return ascii.decode(out);
}

export function countStage(stages: string, stage: string): number {
  let n = 0;
  for (const c of stages) if (c === stage) n++;
  return n;
}
