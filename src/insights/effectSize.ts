/**
 * Hedges' g: the difference of two means in units of their pooled standard deviation, with the
 * small-sample correction J = 1 - 3 / (4 (n1 + n2) - 9) (Hedges, 1981; Hedges & Olkin, 1985).
 * Null when either group has fewer than two values or both have no spread.
 */
export function hedgesG(a: readonly number[], b: readonly number[]): number | null {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 < 2 || n2 < 2) return null;
  const m1 = a.reduce((s, x) => s + x, 0) / n1;
  const m2 = b.reduce((s, x) => s + x, 0) / n2;
  let ss = 0;
  for (const x of a) ss += (x - m1) ** 2;
  for (const x of b) ss += (x - m2) ** 2;
  const pooled = Math.sqrt(ss / (n1 + n2 - 2));
  if (pooled === 0) return null;
  const j = 1 - 3 / (4 * (n1 + n2) - 9);
  return ((m1 - m2) / pooled) * j;
}
