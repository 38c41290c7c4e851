/**
 * Shape-preserving downsampling for charts. Points are [x, y] with x ascending; null y marks a gap
 * and is kept (a gap must stay a gap on the chart, never be bridged).
 */

export type Point = readonly [x: number, y: number | null];

/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013): keeps the first and last point and, per
 * bucket, the point forming the largest triangle with its neighbours. Gaps (null y) split the
 * series into runs that are downsampled separately, with the budget shared by run length.
 */
export function lttb(points: readonly Point[], threshold: number): Point[] {
  if (threshold < 3 || points.length <= threshold) return points.slice();
  const runs = splitRuns(points);
  if (runs.length > 1) {
    const gaps = runs.length - 1;
    const total = points.length - gaps;
    const budget = Math.max(3 * runs.length, threshold - gaps);
    const out: Point[] = [];
    runs.forEach((run, i) => {
      if (i > 0) {
        const prev = run[0];
        if (prev) out.push([prev[0] - 1e-9, null]);
      }
      const share = Math.max(3, Math.floor((budget * run.length) / Math.max(1, total)));
      out.push(...lttbRun(run, share));
    });
    return out;
  }
  return lttbRun(points, threshold);
}

function splitRuns(points: readonly Point[]): Point[][] {
  const runs: Point[][] = [];
  let current: Point[] = [];
  for (const p of points) {
    if (p[1] === null || !Number.isFinite(p[1])) {
      if (current.length) runs.push(current);
      current = [];
    } else current.push(p);
  }
  if (current.length) runs.push(current);
  return runs;
}

function lttbRun(data: readonly Point[], threshold: number): Point[] {
  const n = data.length;
  if (threshold >= n || threshold < 3) return data.slice();
  const first = data[0];
  const last = data[n - 1];
  if (!first || !last) return [];
  const sampled: Point[] = [first];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const avgStart = Math.floor((i + 1) * every) + 1;
    const avgEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    const avgLen = avgEnd - avgStart;
    for (let j = avgStart; j < avgEnd; j++) {
      const p = data[j];
      if (!p) continue;
      avgX += p[0];
      avgY += p[1] ?? 0;
    }
    if (avgLen > 0) {
      avgX /= avgLen;
      avgY /= avgLen;
    } else {
      avgX = last[0];
      avgY = last[1] ?? 0;
    }
    const rangeStart = Math.floor(i * every) + 1;
    const rangeEnd = Math.floor((i + 1) * every) + 1;
    const pa = data[a] ?? first;
    const ax = pa[0];
    const ay = pa[1] ?? 0;
    let maxArea = -1;
    let next = rangeStart;
    for (let j = rangeStart; j < rangeEnd; j++) {
      const p = data[j];
      if (!p) continue;
      const area = Math.abs((ax - avgX) * ((p[1] ?? 0) - ay) - (ax - p[0]) * (avgY - ay));
      if (area > maxArea) {
        maxArea = area;
        next = j;
      }
    }
    const chosen = data[next];
    if (chosen) sampled.push(chosen);
    a = next;
  }
  sampled.push(last);
  return sampled;
}

/**
 * Min/max buckets: splits the x range into `buckets` equal spans and keeps each span's lowest
 * and highest point in x order, so spikes and dips survive (≤ 2 * buckets points). Spans with no
 * sample become a null point so the chart shows the gap.
 */
export function minMaxBuckets(points: readonly Point[], buckets: number): Point[] {
  if (points.length <= buckets * 2) return points.slice();
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return [];
  const x0 = first[0];
  const span = (last[0] - x0) / buckets || 1;
  const out: Point[] = [];
  let b = 0;
  let lo: Point | null = null;
  let hi: Point | null = null;
  let emptyRun = false;
  const flush = () => {
    if (lo && hi) {
      if (lo === hi) out.push(lo);
      else if (lo[0] <= hi[0]) out.push(lo, hi);
      else out.push(hi, lo);
      emptyRun = false;
    } else if (!emptyRun && out.length) {
      out.push([x0 + b * span, null]);
      emptyRun = true;
    }
    lo = null;
    hi = null;
  };
  for (const p of points) {
    const idx = Math.min(buckets - 1, Math.floor((p[0] - x0) / span));
    while (idx > b) {
      flush();
      b++;
    }
    const y = p[1];
    if (y === null || !Number.isFinite(y)) continue;
    if (!lo || y < (lo[1] ?? Number.POSITIVE_INFINITY)) lo = p;
    if (!hi || y > (hi[1] ?? Number.NEGATIVE_INFINITY)) hi = p;
  }
  flush();
  return out;
}
