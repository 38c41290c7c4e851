import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../src/db/users.ts';
import { type SyncHarness, startSyncHarness } from './support/syncHarness.ts';

/**
 * Nights and naps land on the days Oura gives them, through DST switches and travel: after a
 * sync, the stored sleep-day views agree with the simulator's own `day` for every period.
 */

const USERS = ['demo', 'alex', 'sam'] as const;
let h: SyncHarness;
const users = new Map<string, User>();

beforeAll(async () => {
  // 400 days: at least one spring and one autumn DST switch, with travel in between.
  h = await startSyncHarness({ days: 400, users: USERS.length });
  for (const name of USERS) {
    const user = await h.connect(name);
    users.set(name, user);
    const run = await h.sync(user.id, { types: ['sleep'] });
    expect(run.status, run.message).toBe('succeeded');
  }
}, 300_000);
afterAll(async () => {
  await h?.close();
});

type Period = Record<string, unknown> & { id: string; day: string; type: string };

const offsetOf = (ts: unknown) => (typeof ts === 'string' ? ts.slice(-6) : '');

function simPeriods(name: string): Period[] {
  return [...h.simUser(name).documents.sleep.values()] as Period[];
}

async function viewDays(view: 'sleep_night' | 'sleep_nap', userId: number) {
  const rows = await sql<{ id: string; day: string }>`
    select id, day::text as day from ${sql.table(view)} where user_id = ${userId}`.execute(h.db);
  return new Map(rows.rows.map((r) => [r.id, r.day]));
}

describe('sleep days after a sync', () => {
  it('every night is on the simulator day, one main night per day', async () => {
    for (const name of USERS) {
      const userId = users.get(name)?.id ?? 0;
      const nights = await viewDays('sleep_night', userId);
      const longByDay = new Map<string, string[]>();
      for (const p of simPeriods(name).filter((x) => x.type === 'long_sleep')) {
        longByDay.set(p.day, [...(longByDay.get(p.day) ?? []), p.id]);
      }
      expect(new Set(nights.values()), name).toEqual(new Set(longByDay.keys()));
      for (const [id, day] of nights) expect(longByDay.get(day), `${name} ${id}`).toContain(id);
    }
  });

  it('DST and travel nights keep their day', async () => {
    let dst = 0;
    let travel = 0;
    for (const name of USERS) {
      const userId = users.get(name)?.id ?? 0;
      const nights = await viewDays('sleep_night', userId);
      const periods = simPeriods(name).filter((p) => p.type === 'long_sleep');
      const offsets = periods.map((p) => offsetOf(p.bedtime_end));
      const counts = new Map<string, number>();
      for (const o of offsets) counts.set(o, (counts.get(o) ?? 0) + 1);
      // Home zone: the offsets covering most nights (two with DST); the rest is travel.
      const home = new Set(
        [...counts.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 2)
          .filter(([, n]) => n > periods.length / 10)
          .map(([o]) => o),
      );
      for (const p of periods) {
        const switched = offsetOf(p.bedtime_start) !== offsetOf(p.bedtime_end);
        const away = !home.has(offsetOf(p.bedtime_end));
        if (!switched && !away) continue;
        if (switched) dst += 1;
        if (away) travel += 1;
        // The period is the night of its day, or (a split night) a shorter one beside it.
        if (nights.has(p.id)) expect(nights.get(p.id), `${name} ${p.id}`).toBe(p.day);
        else expect([...nights.values()], `${name} ${p.id}`).toContain(p.day);
      }
    }
    expect(dst, 'nights spanning a DST switch or a zone change').toBeGreaterThan(0);
    expect(travel, 'nights away from the home zone').toBeGreaterThan(0);
  });

  it('naps and late naps are on their simulator day, rejected periods nowhere', async () => {
    let naps = 0;
    for (const name of USERS) {
      const userId = users.get(name)?.id ?? 0;
      const napDays = await viewDays('sleep_nap', userId);
      const nights = await viewDays('sleep_night', userId);
      for (const p of simPeriods(name)) {
        if (p.type === 'sleep' || p.type === 'late_nap') {
          naps += 1;
          expect(napDays.get(p.id), `${name} ${p.type} ${p.id}`).toBe(p.day);
        } else if (p.type === 'rest' || p.type === 'deleted') {
          expect(napDays.has(p.id) || nights.has(p.id)).toBe(false);
        }
      }
    }
    expect(naps).toBeGreaterThan(0);
  });
});
