import { it } from 'vitest';
import { startSyncHarness } from './support/syncHarness.ts';
it('debug', async () => {
  const h = await startSyncHarness({ days: 3 * 365 });
  const user = await h.connect('demo');
  const first = await h.sync(user.id);
  console.log(first.status, JSON.stringify(first.errors, null, 1), first.message, h.sim.stats.toJSON());
  await h.close();
}, 600_000);
