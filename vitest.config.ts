import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.{ts,tsx}'],
    pool: 'forks',
    // Two cores here; each file gets its own databases, so files may run side by side.
    maxWorkers: 2,
    // A guard against hangs, not a speed assertion: fuzz suites on a busy 2-core machine take minutes.
    testTimeout: 240_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
