import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/bench/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real servers and processes on 127.0.0.1; two cores here.
    pool: 'forks',
    maxWorkers: 2,
  },
});
