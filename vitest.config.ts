import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,main,client,sync-server,renderer}/**/*.test.ts'],
    // Child-process and SQLite tests share two cores; keep the pool small so timings stay sane.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Browser-mode studios keep the sync token's key outside the data folder: in tests, not in the user's config.
    env: { ANVIL_SECRET_KEY_DIR: join(tmpdir(), `anvil-test-keys-${process.pid}`) },
    reporters: ['default', './test-support/summary-reporter.ts'],
  },
});
