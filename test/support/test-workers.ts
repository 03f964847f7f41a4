// How many test files run at once, for both vitest configurations (README "Test workers"):
// SLUIS_TEST_WORKERS, else DEFAULT_TEST_WORKERS. vitest's own default in `run` mode is
// the machine's available parallelism minus one — a single worker on CI's 2 cores, which ran
// the files one after another while most of the long ones (test/e2e, test/browser) wait on real
// server processes, Chromium, PostgreSQL and fsyncs rather than use a core. What files share
// when they run side by side, and why each is safe, is listed in the README section.

import { availableParallelism } from 'node:os';

/** Measured on 2 cores (README "Test workers"); more cores get vitest's own default. */
export const DEFAULT_TEST_WORKERS = 2;

export function testWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.SLUIS_TEST_WORKERS;
  if (set === undefined || set === '') return Math.max(DEFAULT_TEST_WORKERS, availableParallelism() - 1);
  if (!/^[1-9][0-9]{0,2}$/.test(set)) {
    throw new Error(`SLUIS_TEST_WORKERS must be a whole number from 1 to 999, not ${JSON.stringify(set)}`);
  }
  return Number(set);
}
