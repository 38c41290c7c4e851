/**
 * Deterministic randomness. Every value the simulator produces is a pure function of the dataset
 * seed and a key (user, stream, calendar day...), so the same options give byte-identical data and
 * a day's data does not depend on which other days or users are generated.
 */

/** murmur3's 32-bit finaliser: a cheap, well-mixing integer hash. */
function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash a key made of numbers and strings to 32 bits. */
export function hash32(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    if (typeof part === 'number') {
      // Integers hash exactly; fractional keys are not used.
      h = fmix32(h ^ Math.imul((part | 0) ^ 0x27d4eb2d, 0x9e3779b1));
      h = fmix32(h + Math.floor(part / 4294967296));
    } else {
      for (let i = 0; i < part.length; i++) h = Math.imul(h ^ part.charCodeAt(i), 0x01000193);
      h = fmix32(h ^ part.length);
    }
    h = Math.imul(h ^ 0x3c, 0x01000193);
  }
  return fmix32(h);
}

/** A uniform float in [0, 1) from integer keys, without allocating (hot paths: per-sample noise). */
export function unit(a: number, b: number, c = 0): number {
  const h = fmix32(fmix32(fmix32(a ^ 0x9e3779b9) ^ b) + Math.imul(c, 0x85ebca6b));
  return h / 4294967296;
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  float(min: number, max: number): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  normal(mean: number, sd: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Pick with relative weights (same length as items). */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
}

/** Fill `out` with uniform values in [0, 1) (xorshift32): per-minute noise in one tight loop. */
export function fillUniform(out: Float64Array, seed: number): void {
  let x = seed | 0 || 0x2545f491;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) / 4294967296;
  }
}

/** mulberry32: small, fast, and good enough for synthetic data. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pickAt = <T>(items: readonly T[], index: number): T => {
    const item = items[Math.min(index, items.length - 1)];
    if (item === undefined) throw new RangeError('cannot pick from an empty list');
    return item;
  };
  return {
    next,
    float: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    normal: (mean, sd) => {
      // Box-Muller; 1 - u keeps the logarithm finite.
      const u = 1 - next();
      const v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    chance: (probability) => next() < probability,
    pick: (items) => pickAt(items, Math.floor(next() * items.length)),
    weighted: (items, weights) => {
      let total = 0;
      for (const w of weights) total += w;
      let r = next() * total;
      for (let i = 0; i < items.length; i++) {
        r -= weights[i] ?? 0;
        if (r < 0) return pickAt(items, i);
      }
      return pickAt(items, items.length - 1);
    },
  };
}

/** A generator for one keyed stream, e.g. rngFor(userSeed, 'night', day). */
export function rngFor(...parts: readonly (string | number)[]): Rng {
  return createRng(hash32(...parts));
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const byteHex = (n: number, shift: number): string => BYTE_HEX[(n >>> shift) & 255] ?? '00';
const hex32 = (n: number): string =>
  byteHex(n, 24) + byteHex(n, 16) + byteHex(n, 8) + byteHex(n, 0);

/** A stable UUID-shaped identifier (version-4 layout) derived from a key. */
export function uuidFrom(...parts: readonly (string | number)[]): string {
  // 64 bits of key hash keep identifiers unique across millions of documents.
  const h = hash32(...parts);
  const g = hash32(h, ...parts);
  const c = fmix32(h ^ Math.imul(g, 0x2c1b3c6d));
  const d = fmix32(g ^ Math.imul(h, 0x297a2d39));
  const version = `4${byteHex(g, 8).slice(1)}${byteHex(g, 0)}`;
  const variant = `${'89ab'[(c >>> 30) & 3]}${byteHex(c, 24).slice(1)}${byteHex(c, 16)}`;
  return `${hex32(h)}-${byteHex(g, 24)}${byteHex(g, 16)}-${version}-${variant}-${byteHex(c, 8)}${byteHex(c, 0)}${hex32(d)}`;
}

export const clamp = (value: number, min: number, max: number): number =>
  Math.max(min, Math.min(value, max));

/** Round to a number of decimals (for values Oura reports as short decimals). */
export const round = (value: number, decimals = 0): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};
