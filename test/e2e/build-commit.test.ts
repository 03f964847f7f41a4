// The commit a match server build was made from (docs/operations.md "Upgrade"): the server
// package's build writes dist/build-commit.json with build/write-build-commit.mjs —
// `git rev-parse HEAD` of the checkout that tracks the package, `<HEAD>-dirty` when a tracked
// file differs from it (untracked files do not count, as with `git describe --dirty`),
// SLUIS_BUILD_COMMIT when set, "unknown" outside git or without git, and the build never fails
// for it — and the built `sluis-server version` prints it on its third line, so two instances
// of one version built from different commits, or from uncommitted changes, can be told apart.

import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_VERSION } from '@sluis/engine';
import { PG_SCHEMA_VERSION } from '@sluis/engine/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, SERVER_CLI } from '../support/server-process.js';

const SCRIPT = join(ROOT, 'packages', 'server', 'build', 'write-build-commit.mjs');
const work = mkdtempSync(join(tmpdir(), 'sluis-build-commit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A package folder at `name` with a copy of the script; runs it, answers the commit it wrote. */
function runScript(pkg: string, env: Record<string, string | undefined> = {}): string {
  const script = join(pkg, 'build', 'write-build-commit.mjs');
  if (!existsSync(script)) {
    mkdirSync(join(pkg, 'build'), { recursive: true });
    copyFileSync(SCRIPT, script);
  }
  const base: Record<string, string | undefined> = { ...process.env };
  delete base.SLUIS_BUILD_COMMIT;
  const r = spawnSync(process.execPath, [script], { env: { ...base, ...env }, encoding: 'utf8' });
  expect(r.status).toBe(0);
  return (JSON.parse(readFileSync(join(pkg, 'dist', 'build-commit.json'), 'utf8')) as { commit: string })
    .commit;
}

const git = (cwd: string, args: readonly string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.nl', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

describe('the commit of a build', () => {
  it('is HEAD of the checkout that tracks the package, else "unknown"; SLUIS_BUILD_COMMIT wins; the script never fails', () => {
    // outside git: unknown, exit 0
    const outside = join(work, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'package.json'), '{}\n');
    expect(runScript(outside)).toBe('unknown');
    // without git on PATH at all: unknown, exit 0
    expect(runScript(outside, { PATH: '' })).toBe('unknown');

    // a checkout that tracks the package: its HEAD
    const repo = join(work, 'repo');
    const pkg = join(repo, 'packages', 'server');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{}\n');
    git(repo, ['init', '--quiet']);
    // a copy of the tree inside another repository, its package untracked: not that repository's commit
    expect(runScript(pkg)).toBe('unknown');
    git(repo, ['add', 'packages/server/package.json']);
    git(repo, ['commit', '--quiet', '-m', 'one']);
    const head = git(repo, ['rev-parse', 'HEAD']);
    expect(runScript(pkg)).toBe(head);
    expect(runScript(pkg)).toMatch(/^[0-9a-f]{40}$/);
    // untracked files (a build's own output, a stray note) leave it clean
    writeFileSync(join(repo, 'notes.txt'), 'x\n');
    expect(runScript(pkg)).toBe(head);
    // a tracked file changed anywhere in the checkout, staged or not: HEAD marked -dirty
    writeFileSync(join(pkg, 'package.json'), '{"changed":true}\n');
    expect(runScript(pkg)).toBe(`${head}-dirty`);
    git(repo, ['add', 'packages/server/package.json']);
    expect(runScript(pkg)).toBe(`${head}-dirty`);
    // SLUIS_BUILD_COMMIT still wins over a dirty checkout
    expect(runScript(pkg, { SLUIS_BUILD_COMMIT: '0123456789ab' })).toBe('0123456789ab');
    git(repo, ['commit', '--quiet', '-m', 'two']);
    expect(runScript(pkg)).toBe(git(repo, ['rev-parse', 'HEAD']));

    // `sudo deploy/install.sh` in a clone another user owns (git's safe.directory): still its HEAD
    if (process.getuid?.() === 0) {
      execFileSync('chown', ['-R', '65534', repo]);
      expect(runScript(pkg)).toBe(git(repo, ['-c', 'safe.directory=*', 'rev-parse', 'HEAD']));
    }

    // a build from a release archive names its commit; a malformed one is not taken
    expect(runScript(outside, { SLUIS_BUILD_COMMIT: '0123456789ab' })).toBe('0123456789ab');
    expect(runScript(outside, { SLUIS_BUILD_COMMIT: 'v1.2; rm -rf' })).toBe('unknown');
  });

  it('the built sluis-server version prints it on its third line: this checkout’s HEAD (-dirty with uncommitted changes), or "unknown" in a copy without git', () => {
    // The build's own step, run here, so the file is of this tree now — not whatever the last
    // build (the global setup's, before a commit or an edit) left.
    execFileSync(process.execPath, [SCRIPT], {
      env: { ...process.env, SLUIS_BUILD_COMMIT: '' },
      stdio: 'ignore',
    });
    const recorded = (
      JSON.parse(readFileSync(join(ROOT, 'packages', 'server', 'dist', 'build-commit.json'), 'utf8')) as {
        commit: string;
      }
    ).commit;
    const out = execFileSync(process.execPath, [SERVER_CLI, 'version'], { encoding: 'utf8' });
    const lines = out.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(lines.slice(1)).toEqual([
      `schema: sqlite ${SCHEMA_VERSION}, postgresql ${PG_SCHEMA_VERSION}`,
      `commit: ${recorded}`,
      '',
    ]);
    // In a git checkout its HEAD, -dirty while a tracked file differs; in the copy
    // .ci/test-on-node makes (no .git) "unknown".
    const inRoot = (args: readonly string[]) =>
      execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const expected = existsSync(join(ROOT, '.git'))
      ? `${inRoot(['rev-parse', 'HEAD'])}${inRoot(['status', '--porcelain', '--untracked-files=no']) === '' ? '' : '-dirty'}`
      : 'unknown';
    expect(recorded).toBe(expected);
  });
});
