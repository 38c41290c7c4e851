import type { UserProfile } from './users.ts';

let slots = 0;

/**
 * Memoise a pure per-user, per-day (or per-cycle) function. Many parts of a day ask the same
 * questions (which zone, which trip, how the body is), so answers are computed once per user and
 * kept on the profile (each memoised function owns one slot of `profile.memo`).
 */
export function perUser<T>(
  fn: (p: UserProfile, key: number) => T,
): (p: UserProfile, key: number) => T {
  const slot = slots++;
  return (p, key) => {
    let cache = p.memo[slot] as Map<number, T> | undefined;
    if (!cache) {
      cache = new Map();
      p.memo[slot] = cache;
    }
    const hit = cache.get(key);
    if (hit !== undefined || cache.has(key)) return hit as T;
    const value = fn(p, key);
    cache.set(key, value);
    return value;
  };
}
