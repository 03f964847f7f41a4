// Whether strace(1) is here, for the tests that hold or count system calls with it. Elsewhere
// they skip and say so; under CI=true a missing strace fails the file instead, since `.ci/run`
// installs it — a durability test that silently never runs in CI proves nothing.

import { spawnSync } from 'node:child_process';

export const hasStrace = spawnSync('strace', ['-V'], { timeout: 20_000, killSignal: 'SIGKILL' }).status === 0;

if (!hasStrace) {
  if (process.env.CI === 'true') throw new Error('CI=true and strace is missing: .ci/run installs it');
  console.warn('strace is missing: the tests that need it are skipped (apt-get install strace)');
}
