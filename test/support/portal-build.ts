// Builds the portal with Vite (packages/portal/vite.config.ts) as an operator does
// (docs/portal.md "Deploy", "Pins"). The unpinned build goes into the package's dist/, the
// folder every match server of a test run serves by default; global-setup.ts makes it once per
// run, before any test process starts. A build empties dist/ first and a server reads the whole
// folder when it starts (packages/server/src/http/portal-static.ts), so a build during the run
// could hand a server starting in another test file, beside it, a half-written portal or fail
// its start (README "Test workers"). Pinned builds go into a test's own folder.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const PORTAL_DIR = join(import.meta.dirname, '..', '..', 'packages', 'portal');

/** `vite build` of the portal with `args` (e.g. `--outDir`), its output on ours. */
export function buildPortalWithVite(
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): void {
  execFileSync(
    process.execPath,
    [join(PORTAL_DIR, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn', ...args],
    { cwd: PORTAL_DIR, stdio: 'inherit', env },
  );
}
