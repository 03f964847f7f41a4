// The server install of docs/operations.md "Install", on a clean clone: `git clone` of this
// repository (its committed HEAD), `deploy/install.sh` into a temporary prefix and bin
// directory, then the installed `sluis-server` started from that bin directory — outside the
// workspace, so it runs on the bundle's own node_modules only. The systemd unit is checked with
// `systemd-analyze verify` (and its exposure score) where systemd-analyze is installed.

import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/server-process.js';

const work = mkdtempSync(join(tmpdir(), 'sluis-install-'));
const prefix = join(work, 'opt', 'sluis');
const binDir = join(work, 'bin');
const installed = join(binDir, 'sluis-server');
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
// .ci/run installs systemd where it is missing: under CI the unit check must run.
if (!hasSystemdAnalyze && process.env.CI === 'true') {
  throw new Error('systemd-analyze is missing under CI=true (.ci/run installs the systemd package)');
}
if (!hasSystemdAnalyze) console.warn('systemd unit check skipped: systemd-analyze is not installed');
// The install starts from `git clone` of this checkout. `.ci/test-on-node` runs the suite on
// another Node.js line in a copy of the tree without `.git`; the install is tested by CI's
// main run on the clean clone, so here it is skipped — and says so.
const isGitCheckout = existsSync(join(ROOT, '.git'));
if (!isGitCheckout) {
  console.warn('install test skipped: this tree is not a git checkout (a copy made by .ci/test-on-node)');
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

describe('install from a clean clone (docs/operations.md "Install")', () => {
  it('the documented commands are the ones tested here', () => {
    const ops = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
    expect(ops).toContain('sudo deploy/install.sh');
    expect(ops).toContain('sudo systemctl enable --now sluis');
    expect(ops).toContain('sudo install -m 0644 deploy/sluis.service /etc/systemd/system/sluis.service');
  });

  it.runIf(isGitCheckout)(
    'deploy/install.sh puts a self-contained sluis-server on PATH, which starts and serves',
    async () => {
      const clone = join(work, 'clone');
      execFileSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone]);
      execFileSync(join(clone, 'deploy', 'install.sh'), ['--prefix', prefix, '--bin-dir', binDir], {
        cwd: clone,
        stdio: 'pipe',
        env: { ...process.env, CI: 'true' },
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(existsSync(join(prefix, 'app', 'node_modules', '@sluis', 'engine'))).toBe(true);
      // The clone can go: the bundle depends on nothing in it.
      rmSync(clone, { recursive: true, force: true });
      expect(execFileSync(installed, ['version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+$/);

      const child = spawn(installed, ['start', '--data-dir', join(work, 'data'), '--port', '0'], {
        cwd: work,
        env: { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ''}`, NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const url = await waitForListening(child);
        expect((await fetch(`${url}/readyz`)).status).toBe(200);
        const doc = await fetch(`${url}/v1/openapi.json`);
        expect(doc.headers.get('api-version')).toBe('1.0.0');
      } finally {
        const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      }
    },
    900_000,
  );

  it.skipIf(!hasSystemdAnalyze)(
    'the systemd unit passes systemd-analyze verify, with a low exposure score',
    () => {
      const unit = readFileSync(join(ROOT, 'deploy', 'sluis.service'), 'utf8');
      // verify checks that ExecStart exists: point it at the bundle installed above, or at
      // the repository's bin when that test did not run.
      const bin = existsSync(installed)
        ? installed
        : join(ROOT, 'packages', 'server', 'bin', 'sluis-server.js');
      const file = join(work, 'sluis.service');
      writeFileSync(file, unit.replaceAll('/usr/local/bin/sluis-server', bin));
      const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
      expect(verify.stderr + verify.stdout).toBe('');
      expect(verify.status).toBe(0);
      const security = spawnSync('systemd-analyze', ['security', '--offline=yes', file], {
        encoding: 'utf8',
      });
      const score = /Overall exposure level for \S+: ([0-9.]+)/.exec(security.stdout);
      expect(Number(score?.[1])).toBeLessThanOrEqual(2);
      // and verify does fail a broken unit (a missing binary), so the check above can fail
      const broken = join(work, 'broken.service');
      writeFileSync(broken, unit.replaceAll('/usr/local/bin/sluis-server', join(work, 'no-such-binary')));
      expect(spawnSync('systemd-analyze', ['verify', broken]).status).not.toBe(0);
    },
  );
});
