// vitest global setup: builds the four packages once, so tests that start the real server or
// CLI as a separate process run the publishable build (dist/), not sources — with the commit the
// server's build records (packages/server/build/write-build-commit.mjs). Then the portal without
// pins into packages/portal/dist, which every test server serves by default: it signs in and
// shows every screen, and refuses to pseudonymise (`portal_not_pinned`, docs/portal.md "Pins").
// Both happen here, before any test process starts, because the test files run in several
// processes at once (README "Test workers"): a build while another file's server
// starts would hand it half-written files (portal-build.ts).

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildPortalWithVite } from './portal-build.js';

const root = join(import.meta.dirname, '..', '..');

export default function setup(): void {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const pkg of ['engine', 'client-sdk', 'server', 'pseudonym-service']) {
    execFileSync(process.execPath, [tsc, '-p', join(root, 'packages', pkg, 'tsconfig.build.json')], {
      stdio: 'inherit',
    });
  }
  execFileSync(process.execPath, [join(root, 'packages', 'server', 'build', 'write-build-commit.mjs')], {
    stdio: 'inherit',
  });
  buildPortalWithVite();
}
