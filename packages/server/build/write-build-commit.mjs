// Run by `pnpm build` after tsc: writes dist/build-commit.json, the commit this build was made
// from, so `sluis-server version`, `server_started` and `sluis_build_info` tell two builds of one
// version apart (docs/operations.md "Upgrade"). The commit is SLUIS_BUILD_COMMIT when set (a
// build from a release archive), else `git rev-parse HEAD` when this package is tracked by the
// checkout it sits in, else "unknown": a build outside git, or without git, never fails for it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const COMMIT = /^[0-9a-f]{7,40}$/;
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(packageDir, 'dist');

function git(args) {
  // `sudo deploy/install.sh` builds in a clone another user owns, which git refuses by default
  // (safe.directory); install.sh runs that clone's build as root already, and these two read-only
  // commands run no hook of it (core.fsmonitor off).
  return execFileSync('git', ['-c', 'safe.directory=*', '-c', 'core.fsmonitor=false', ...args], {
    cwd: packageDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 10_000,
  }).trim();
}

function buildCommit() {
  const given = process.env.SLUIS_BUILD_COMMIT;
  if (given !== undefined && given !== '') return COMMIT.test(given) ? given : 'unknown';
  try {
    // a copy of the tree inside some other repository is not that repository's commit
    git(['ls-files', '--error-unmatch', 'package.json']);
    const head = git(['rev-parse', 'HEAD']);
    return COMMIT.test(head) ? head : 'unknown';
  } catch {
    return 'unknown';
  }
}

const commit = buildCommit();
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'build-commit.json'), `${JSON.stringify({ commit })}\n`);
