import { defineConfig } from 'vitest/config';
import DurationSequencer from './tests/duration-sequencer.js';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // CLI and browser tests spawn real processes; on a loaded 2-core machine a test can take minutes.
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // CLI tests spawn real processes; two cores are all CI has.
    pool: 'forks',
    maxWorkers: 2,
    // Longest files first, so both workers finish together (see tests/duration-sequencer.ts).
    sequence: { sequencer: DurationSequencer },
    // The run's own temporary folder first (see the file), so everything after it already uses it;
    // then one PostgreSQL cluster for the run, started by the first file that needs it (see the file).
    globalSetup: ['tests/run-temp-folder.ts', 'tests/server/support/shared-postgres.ts'],
  },
});
