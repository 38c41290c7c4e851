/**
 * A scheduler worker in its own process, for the two-process test:
 * `node test/support/schedulerWorker.ts <workerId>` with DATABASE_URL, OURA_* and
 * SNOWTORCH_SECRET_KEY in the environment. Every job it runs is logged in `test_job_log` (created
 * by the test) with start and end taken from the database clock, so the two processes' entries
 * compare on one clock. Prints "ready" once working and `finished <jobId>` after each job;
 * SIGTERM stops it the way `serve` does.
 */
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/env.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createSyncContext } from '../../src/sync/context.ts';
import { startScheduler } from '../../src/sync/scheduler.ts';

const workerId = process.argv[2] ?? 'worker';
const config = loadConfig();
const database = await openDatabase(config.database, { poolSize: 4 });
const db = database.db;
const ctx = createSyncContext({ config, database });
const scheduler = startScheduler({
  ctx,
  db,
  intervalMs: 0,
  // Only the jobs the test queues: no syncs of its own.
  tickMs: 0,
  pollMs: 20,
  leaseMs: 15_000,
  workerId,
  async onJobStarted(job) {
    await sql`INSERT INTO test_job_log (worker, job_id, user_id, kind, started_at)
              VALUES (${workerId}, ${job.id}, ${job.userId}, ${job.kind}, clock_timestamp())`.execute(
      db,
    );
  },
  async onJobFinished(job, outcome) {
    await sql`UPDATE test_job_log SET finished_at = clock_timestamp(), outcome = ${outcome.status}
              WHERE worker = ${workerId} AND job_id = ${job.id} AND finished_at IS NULL`.execute(
      db,
    );
    process.stdout.write(`finished ${job.id}\n`);
  },
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  scheduler
    .stop()
    .then(() => database.close())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exit(1);
      },
    );
});
