import type { Db } from '../src/db/database.ts';
import { storeDocuments, storeTimeSeries } from '../src/db/documents.ts';
import { getOrCreateUser } from '../src/db/users.ts';
import {
  DOCUMENT_DATA_TYPES,
  generateDataset,
  type SimUserData,
} from '../src/simulator/data/index.ts';

const DAY_MS = 86_400_000;
const BATCH = 500;
const SERIES_WINDOW_DAYS = 30;

export interface LoadedHistory {
  userId: number;
  sim: SimUserData;
}

/**
 * Stores a simulated history (the simulator's own generator) straight through the storage
 * layer, as a sync would: every document type, heart rate and battery. Used by dashboard
 * benchmarks; a much faster path than HTTP for five years of data.
 */
export async function loadSimulatedHistory(
  db: Db,
  opts: { seed: number; days: number; endDate: string; withSeries?: boolean },
): Promise<LoadedHistory> {
  const [sim] = generateDataset({
    seed: opts.seed,
    users: 1,
    days: opts.days,
    endDate: opts.endDate,
  });
  if (!sim) throw new Error('the simulator generated no user');
  const user = await getOrCreateUser(db, sim.name);
  for (const dataType of DOCUMENT_DATA_TYPES) {
    const docs = [...sim.documents[dataType].values()];
    for (let i = 0; i < docs.length; i += BATCH) {
      await storeDocuments(db, { userId: user.id, dataType, documents: docs.slice(i, i + BATCH) });
    }
  }
  if (opts.withSeries !== false) {
    const endMs = Date.parse(`${opts.endDate}T00:00:00Z`) + 2 * DAY_MS;
    const startMs = endMs - (opts.days + 2) * DAY_MS;
    for (let t = startMs; t < endMs; t += SERIES_WINDOW_DAYS * DAY_MS) {
      const until = Math.min(endMs, t + SERIES_WINDOW_DAYS * DAY_MS);
      const hr = sim.heartrate(t, until);
      if (hr.length)
        await storeTimeSeries(db, { userId: user.id, dataType: 'heartrate', rows: hr });
      const battery = sim.batteryLevel(t, until);
      if (battery.length) {
        await storeTimeSeries(db, {
          userId: user.id,
          dataType: 'ring_battery_level',
          rows: battery,
        });
      }
    }
  }
  return { userId: user.id, sim };
}
