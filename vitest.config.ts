// One vitest run for the whole workspace. Packages resolve each other from source
// through the "sluis-source" export condition, so no build is needed to test.
import { defineConfig } from 'vitest/config';
import { testWorkers } from './test/support/test-workers.js';

export default defineConfig({
  resolve: { conditions: ['sluis-source'] },
  ssr: { resolve: { conditions: ['sluis-source'], externalConditions: ['sluis-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'api-rules/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Several files at once (test/support/test-workers.ts; README "Test workers").
    maxWorkers: testWorkers(),
    // The build for the tests that start real processes, then one throwaway PostgreSQL
    // cluster (test/support/postgres.ts; skipped with a notice when the binaries are missing).
    globalSetup: ['test/support/global-setup.ts', 'test/support/postgres-setup.ts'],
  },
});
