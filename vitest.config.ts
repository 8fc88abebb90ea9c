import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // CLI tests spawn real processes; two cores are all CI has.
    pool: 'forks',
    maxWorkers: 2,
  },
});
