// Run by `pnpm build` after tsc: writes dist/build-commit.json, the commit this build was made
// from, so `sluis-server version`, `server_started` and `sluis_build_info` tell two builds of one
// version apart (docs/operations.md "Upgrade"). The commit is SLUIS_BUILD_COMMIT when set (a
// build from a release archive), else `git rev-parse HEAD` when this package is tracked by the
// checkout it sits in — with `-dirty` appended when a tracked file of that checkout differs from
// HEAD (as `git describe --dirty` marks it; untracked files do not count), since such a build is
// not that commit — else "unknown": a build outside git, or without git, never fails for it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const COMMIT = /^[0-9a-f]{7,40}(-dirty)?$/;
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(packageDir, 'dist');

function git(args) {
  // `sudo deploy/install.sh` builds in a clone another user owns, which git refuses by default
  // (safe.directory); install.sh runs that clone's build as root already, and these read-only
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
    if (!COMMIT.test(head)) return 'unknown';
    // the whole checkout (the build holds every package), tracked files only; without the
    // index refresh git status would write (a clone of another user's stays as it was)
    const changed = git(['--no-optional-locks', 'status', '--porcelain', '--untracked-files=no']);
    return changed === '' ? head : `${head}-dirty`;
  } catch {
    return 'unknown';
  }
}

const commit = buildCommit();
mkdirSync(outDir, { recursive: true });
// Written aside and renamed: a server starting meanwhile reads the old file or the new, never half.
const file = join(outDir, 'build-commit.json');
writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify({ commit })}\n`);
renameSync(`${file}.${process.pid}.tmp`, file);
