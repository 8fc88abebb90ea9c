import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // CLI and browser tests spawn real processes; on a loaded 2-core machine a test can take minutes.
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // CLI tests spawn real processes; two cores are all CI has.
    pool: 'forks',
    maxWorkers: 2,
  },
});
