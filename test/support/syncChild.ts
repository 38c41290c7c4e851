/**
 * A sync in a child process, for the crash test: `node test/support/syncChild.ts <userId>` with
 * DATABASE_URL, OURA_* and SNOWTORCH_SECRET_KEY in the environment. Prints a JSON line for
 * every committed window (`{"committed": type, "windowsDone": n}`), then the run summary as
 * JSON. The test kills it with SIGKILL part-way.
 */
import { loadConfig } from '../../src/config/env.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createSyncContext } from '../../src/sync/context.ts';
import { syncUser } from '../../src/sync/engine.ts';

const userId = Number(process.argv[2]);
const config = loadConfig();
const database = await openDatabase(config.database, { poolSize: 6 });
try {
  const ctx = createSyncContext({ config, database });
  const summary = await syncUser(ctx, {
    userId,
    trigger: 'test',
    onProgress: (e) => {
      // The engine reports a window once its transaction has committed.
      if (e.windowsDone > 0 && e.phase === 'fetching') {
        process.stdout.write(
          `${JSON.stringify({ committed: e.dataType, windowsDone: e.windowsDone })}\n`,
        );
      }
    },
  });
  process.stdout.write(
    `${JSON.stringify({ status: summary.status, requests: summary.requests })}\n`,
  );
} finally {
  await database.close();
}
