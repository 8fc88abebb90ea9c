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
export default defineConfig({
  test: {
    include: [
      'tests/unit/**/*.test.ts',
      'tests/integration/engine.test.ts',
      'tests/integration/content-*.test.ts',
      'tests/integration/packages.test.ts',
      'tests/integration/second-approval.test.ts',
      'tests/integration/serve-contract.test.ts',
      'tests/integration/serve-security.test.ts',
      'tests/integration/serve-transport.test.ts',
      'tests/integration/db/**/*.test.ts',
    ],
    exclude: ['tests/unit/electron/**', 'tests/unit/json-schemas.test.ts', 'tests/unit/layers.test.ts'],
    // Stryker's vitest runner sets its own pool (one thread per Stryker worker, `concurrency`
    // in stryker.config.json); run by hand (`npx vitest run --config vitest.mutation.config.ts`)
    // this is the set Stryker's dry run starts from.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
