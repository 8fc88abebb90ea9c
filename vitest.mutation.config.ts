import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant (`npm run mutation`): the in-process unit and
 * integration tests that exercise the mutated modules. Everything here must stay fast, because
 * Stryker runs the tests covering a mutant once per mutant. Left out on purpose:
 * - tests/e2e (Chromium) and tests/cli (real child processes): a child process runs the
 *   bundled CLI, not the mutated source, so those tests cannot kill a mutant, only slow it;
 * - export tests (XML schema tools, PDF, SCORM players): they cover core/export, which is not
 *   mutated.
 */
/**
 * One module's run may name the test files that exercise it (comma-separated paths or globs),
 * e.g. `COURSEWRIGHT_MUTATION_TESTS=tests/server/auth.test.ts,tests/server/secrets.test.ts npx
 * stryker run --mutate server/auth/secrets.ts`. A server module is imported by every server suite
 * (through the app), and each suite starts a database: rerunning all of them per mutant would take
 * hours on 2 cores, where the suites written for that module take minutes. Server suites on
 * PGlite start from an already migrated database (tests/server/support/databases.ts).
 */
const namedTests = process.env.COURSEWRIGHT_MUTATION_TESTS?.split(',').map((file) => file.trim()).filter(Boolean);

export default defineConfig({
  test: {
    include: namedTests?.length ? namedTests : [
      'tests/unit/**/*.test.ts',
      'tests/integration/engine.test.ts',
      'tests/integration/content-*.test.ts',
      'tests/integration/packages.test.ts',
      'tests/integration/second-approval.test.ts',
      'tests/integration/serve-contract.test.ts',
      'tests/integration/serve-security.test.ts',
      'tests/integration/serve-transport.test.ts',
      'tests/integration/db/**/*.test.ts',
      // The hosted server's in-process tests (app.inject, pg-boss on the same database).
      'tests/server/**/*.test.ts',
    ],
    exclude: [
      'tests/unit/electron/**',
      'tests/unit/json-schemas.test.ts',
      'tests/unit/layers.test.ts',
      // Server tests that drive `coursewright server` child processes (the built CLI, not the mutated source).
      'tests/server/analytics-cli.test.ts',
      'tests/server/cli.test.ts',
      'tests/server/cli-jobs.test.ts',
      'tests/server/crash-durability.test.ts',
      'tests/server/load.test.ts',
      'tests/server/multi-instance.test.ts',
      'tests/server/simulate-cli.test.ts',
      // The test runs' own temporary folders: test tooling, no product module.
      'tests/server/test-run-folders.test.ts',
    ],
    // Server suites run on PGlite only here (see tests/server/support/databases.ts): each mutant
    // reruns the suites covering it, and a PostgreSQL cluster per test file per rerun would take
    // most of the run. `npm test` still runs both databases.
    env: { COURSEWRIGHT_SERVER_TESTS_DATABASES: 'pglite' },
    // Stryker's vitest runner sets its own pool (one thread per Stryker worker, `concurrency`
    // in stryker.config.json); run by hand (`npx vitest run --config vitest.mutation.config.ts`)
    // this is the set Stryker's dry run starts from.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each mutant reruns suites that make data folders: keep them in the run's own temporary folder (see the file).
    globalSetup: ['tests/run-temp-folder.ts'],
  },
});
