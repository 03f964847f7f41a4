// vitest global setup: builds the three packages once, so tests that start the real
// server or CLI as a separate process run the publishable build (dist/), not sources — with
// the commit the server's build records (packages/server/build/write-build-commit.mjs).

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

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
}
