/**
 * Benjamini–Hochberg adjusted p-values (q-values; Benjamini & Hochberg, 1995): a test is kept at
 * false-discovery rate q when its adjusted value is ≤ q. Same order as the input.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const item = order[k];
    if (!item) continue;
    running = Math.min(running, (item.p * m) / (k + 1));
    adjusted[item.i] = Math.min(1, running);
  }
  return adjusted;
}
