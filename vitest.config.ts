import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*/test/**/*.test.ts'],
    // Suites that start brokers and child processes need room; per-test deadlines are set
    // where a test waits on infrastructure.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: infrastructure suites run one file at a time within a pool of two.
    pool: 'forks',
    maxWorkers: 2,
  },
});
