// The engine's domain tests on PostgreSQL (docs/engine.md "Testing on either store"): the
// same files as in the main run, with the harness switched to a fresh PostgreSQL database
// per engine on a throwaway cluster. No build step: nothing here starts a server process.
// Run by .ci/run after the main run; `pnpm test:domain-pg` locally.
import { defineConfig } from 'vitest/config';
import { testWorkers } from './test/support/test-workers.js';

export default defineConfig({
  resolve: { conditions: ['sluis-source'] },
  ssr: { resolve: { conditions: ['sluis-source'], externalConditions: ['sluis-source'] } },
  test: {
    include: ['packages/engine/src/domain/*.test.ts'],
    env: { SLUIS_TEST_STORE: 'postgres' },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Each worker has a database of its own on the cluster (packages/engine/src/testing/pg-databases.ts).
    maxWorkers: testWorkers(),
    globalSetup: ['test/support/postgres-setup.ts'],
  },
});
