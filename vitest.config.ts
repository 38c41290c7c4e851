import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most test time is spent waiting on PostgreSQL, child processes and Chromium, not on this
    // process's CPU: more files than cores in flight keep both cores busy.
    maxWorkers: 3,
    globalSetup: ['test/support/globalSetup.ts'],
  },
});
