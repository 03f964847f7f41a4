// One vitest run for the whole workspace. Packages resolve each other from source
// through the "sluis-source" export condition, so no build is needed to test.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['sluis-source'] },
  ssr: { resolve: { conditions: ['sluis-source'], externalConditions: ['sluis-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'api-rules/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
  },
});
