import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A worker process runs file after file with the modules it has loaded: starting a process
    // and loading src/ for every file was a quarter of the suite's CPU. Test files share no
    // state but the database server (each has its own database) and close what they open.
    isolate: false,
    // Most test time is spent waiting on PostgreSQL, child processes and Chromium, not on this
    // process's CPU: more files than cores in flight keep both cores busy.
    maxWorkers: 3,
    globalSetup: ['test/support/globalSetup.ts'],
  },
});
