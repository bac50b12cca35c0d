import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,main,client,sync-server,renderer}/**/*.test.ts'],
    // Child-process and SQLite tests share two cores; keep the pool small so timings stay sane.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './test-support/summary-reporter.ts'],
  },
});
