/** Summary statistics over plain numbers; nulls and NaN are skipped, never counted as zero. */

function finite(values: readonly (number | null | undefined)[]): number[] {
  const out: number[] = [];
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  return out;
}

export function mean(values: readonly (number | null | undefined)[]): number | null {
  const xs = finite(values);
  if (xs.length === 0) return null;
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Sample standard deviation (n - 1); null below two values. */
export function standardDeviation(values: readonly (number | null | undefined)[]): number | null {
  const xs = finite(values);
  if (xs.length < 2) return null;
  const m = mean(xs) ?? 0;
  let ss = 0;
  for (const x of xs) ss += (x - m) ** 2;
  return Math.sqrt(ss / (xs.length - 1));
}

export function median(values: readonly (number | null | undefined)[]): number | null {
  const xs = finite(values).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  const hi = xs[mid] ?? 0;
  return xs.length % 2 === 1 ? hi : ((xs[mid - 1] ?? hi) + hi) / 2;
}

/** Circular mean of clock times (minutes in a 1440-minute day), so 23:50 and 00:10 average to 00:00. */
export function circularMeanMinutes(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  let c = 0;
  for (const v of values) {
    const a = (v / 1440) * 2 * Math.PI;
    s += Math.sin(a);
    c += Math.cos(a);
  }
  const angle = Math.atan2(s / values.length, c / values.length);
  return ((((angle / (2 * Math.PI)) * 1440) % 1440) + 1440) % 1440;
}

/** Spread of clock times in minutes around their circular mean (wraps at midnight). */
export function circularSdMinutes(values: readonly number[]): number | null {
  const m = circularMeanMinutes(values);
  if (m === null || values.length < 2) return null;
  let ss = 0;
  for (const v of values) {
    let d = Math.abs(v - m) % 1440;
    if (d > 720) d = 1440 - d;
    ss += d * d;
  }
  return Math.sqrt(ss / (values.length - 1));
}
