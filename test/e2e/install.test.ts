// The installs of docs/operations.md "Install" and "Install the pseudonym service", on a clean
// clone: `git clone` of this repository (its committed HEAD), `deploy/install.sh` (the match
// server, then `--service pseudonym`) into temporary prefixes and a bin directory, then each
// installed command started from that bin directory — outside the workspace and with the clone
// moved away or removed, so it runs on its bundle's own node_modules only. The systemd units
// the installs go with: systemd-units.test.ts.

import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSupportedNode } from '@sluis/client-sdk/node';
import { untilListening } from '../../packages/pseudonym-service/src/testing/listening.js';
import { ROOT } from '../support/server-process.js';

const work = mkdtempSync(join(tmpdir(), 'sluis-install-'));
const clone = join(work, 'clone');
const prefix = join(work, 'opt', 'sluis');
const pseudonymPrefix = join(work, 'opt', 'sluis-pseudonym');
const binDir = join(work, 'bin');
const installed = join(binDir, 'sluis-server');
const installedPseudonym = join(binDir, 'sluis-pseudonym-service');
// The install starts from `git clone` of this checkout. `.ci/test-on-node` runs the suite on
// another Node.js line in a copy of the tree without `.git`; the install is tested by CI's
// main run on the clean clone, so here it is skipped — and says so.
const isGitCheckout = existsSync(join(ROOT, '.git'));
if (!isGitCheckout) {
  console.warn('install test skipped: this tree is not a git checkout (a copy made by .ci/test-on-node)');
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One clone for both installs (each test clones when it runs first). */
function cloneOnce(): void {
  if (!existsSync(clone)) execFileSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone]);
}

function install(args: readonly string[]): void {
  execFileSync(join(clone, 'deploy', 'install.sh'), [...args, '--bin-dir', binDir], {
    cwd: clone,
    stdio: 'pipe',
    env: { ...process.env, CI: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The bundle's files and symbolic links, without following a link. */
function bundleEntries(dir: string, found: { files: string[]; links: string[] } = { files: [], links: [] }) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) bundleEntries(path, found);
    else if (e.isSymbolicLink()) found.links.push(path);
    else if (e.isFile()) found.files.push(path);
  }
  return found;
}

/**
 * The bundle is a copy: no file of it is a hard link (into the clone's dist/ or the pnpm store),
 * no symbolic link leads out of it, and a rebuild in the clone — here the engine's dist/api.js
 * rewritten in place, as tsc does — leaves the installed code as it was (docs/operations.md
 * "Install").
 */
function expectBundleIsACopy(app: string): void {
  const { files, links } = bundleEntries(app);
  expect(files.length).toBeGreaterThan(100);
  expect(files.filter((f) => lstatSync(f).nlink > 1)).toEqual([]);
  expect(links.filter((l) => !resolve(dirname(l), readlinkSync(l)).startsWith(`${app}${sep}`))).toEqual([]);
  const cloneFile = join(clone, 'packages', 'engine', 'dist', 'api.js');
  const bundleFile = join(app, 'node_modules', '@sluis', 'engine', 'dist', 'api.js');
  const before = readFileSync(bundleFile, 'utf8');
  const original = readFileSync(cloneFile, 'utf8');
  appendFileSync(cloneFile, '\nexport const changedInTheClone = true;\n');
  try {
    expect(readFileSync(bundleFile, 'utf8')).toBe(before);
  } finally {
    writeFileSync(cloneFile, original);
  }
}

/**
 * The URL of a started `sluis-server start`, from its `listening on` line (the pseudonym
 * service's JSON line is awaited with the shared untilListening).
 */
function serverListening(child: ChildProcess): Promise<string> {
  const line = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = line.exec(out);
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

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}

describe('install from a clean clone (docs/operations.md "Install")', () => {
  it('the documented commands are the ones tested here', () => {
    const ops = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
    expect(ops).toContain('sudo deploy/install.sh');
    expect(ops).toContain('sudo systemctl enable --now sluis');
    expect(ops).toContain('sudo install -m 0644 deploy/sluis.service /etc/systemd/system/sluis.service');
    expect(ops).toContain('sudo deploy/install.sh --service pseudonym');
    expect(ops).toContain('sudo systemctl enable --now sluis-pseudonym');
    expect(ops).toContain(
      'sudo install -m 0644 deploy/sluis-pseudonym.service /etc/systemd/system/sluis-pseudonym.service',
    );
  });

  it('refuses portal pins it cannot read, and pins for the pseudonym service, before building', () => {
    const script = join(ROOT, 'deploy', 'install.sh');
    const missing = spawnSync(script, ['--portal-pins', join(work, 'no-such-pins.json')], {
      encoding: 'utf8',
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read the portal pins file');
    // On an unsupported Node.js line (CI's first run: 20) it says so first, as the services do.
    expect(
      missing.stderr.includes(`node_unsupported: Node.js ${process.version} is not a supported line`),
    ).toBe(!isSupportedNode(process.version));
    const pinsFile = join(work, 'pins.json');
    writeFileSync(pinsFile, '{}');
    const wrongService = spawnSync(script, ['--service', 'pseudonym', '--portal-pins', pinsFile], {
      encoding: 'utf8',
    });
    expect(wrongService.status).toBe(2);
    expect(wrongService.stderr).toContain('usage: deploy/install.sh');
  });

  it.runIf(isGitCheckout)(
    'deploy/install.sh puts a self-contained sluis-server on PATH, which starts and serves',
    async () => {
      cloneOnce();
      install(['--prefix', prefix]);
      expect(existsSync(join(prefix, 'app', 'node_modules', '@sluis', 'engine'))).toBe(true);
      expectBundleIsACopy(join(prefix, 'app'));
      // The bundle depends on nothing in the clone: move the clone away while it runs (the
      // pseudonym install below uses it again).
      renameSync(clone, `${clone}.away`);
      try {
        expect(execFileSync(installed, ['version'], { encoding: 'utf8' })).toMatch(
          /^\d+\.\d+\.\d+\nschema: sqlite \d+, postgresql \d+\ncommit: [0-9a-f]{40}\n$/,
        );
        const child = spawn(installed, ['start', '--data-dir', join(work, 'data'), '--port', '0'], {
          cwd: work,
          env: { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ''}`, NODE_ENV: 'production' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        try {
          const url = await serverListening(child);
          expect((await fetch(`${url}/readyz`)).status).toBe(200);
          const doc = await fetch(`${url}/v1/openapi.json`);
          expect(doc.headers.get('api-version')).toBe('1.12.0');
        } finally {
          await stop(child);
        }
      } finally {
        renameSync(`${clone}.away`, clone);
      }
      // install.sh's check of the native binding (docs/operations.md "Install"): a copy of the
      // bundle whose better-sqlite3 binding does not load — as one built for another Node.js
      // ABI — still passes `--help`, and load-native.cjs refuses it with what to do.
      const loadNative = join(clone, 'deploy', 'load-native.cjs');
      expect(spawnSync(process.execPath, [loadNative, join(prefix, 'app')]).status).toBe(0);
      const broken = join(work, 'broken-bundle');
      execFileSync('cp', ['-R', join(prefix, 'app'), broken]);
      const bindings = bundleEntries(broken).files.filter((f) => f.endsWith(`${sep}better_sqlite3.node`));
      expect(bindings.length).toBeGreaterThan(0);
      for (const b of bindings) writeFileSync(b, 'not a shared object');
      expect(spawnSync(process.execPath, [join(broken, 'bin', 'sluis-server.js'), '--help']).status).toBe(0);
      const refused = spawnSync(process.execPath, [loadNative, broken], { encoding: 'utf8' });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('native_binding_unloadable');
      expect(refused.stderr).toContain('run install.sh again with the Node.js the service runs');
      expect(refused.stderr).not.toContain(broken);
      // install.sh itself refuses that bundle before it replaces the installed one, and leaves no
      // app.new behind. Its pnpm steps are answered by an `npx` first on PATH (install and build
      // were done above; `deploy` copies the broken bundle to its target): every other step,
      // the copy, the checks and the clean-up, is install.sh's own.
      const fakeBin = join(work, 'fake-npx');
      mkdirSync(fakeBin);
      writeFileSync(
        join(fakeBin, 'npx'),
        `#!/bin/sh\ncase " $* " in *" deploy "*) for a; do t="$a"; done; cp -R '${broken}' "$t" ;; esac\n`,
        { mode: 0o755 },
      );
      const refusedInstall = spawnSync(
        join(clone, 'deploy', 'install.sh'),
        ['--prefix', prefix, '--bin-dir', binDir],
        {
          cwd: clone,
          encoding: 'utf8',
          env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH ?? ''}` },
        },
      );
      expect(refusedInstall.status).toBe(1);
      expect(refusedInstall.stderr).toContain('native_binding_unloadable');
      expect(existsSync(join(prefix, 'app.new'))).toBe(false);
      expect(existsSync(join(prefix, 'app.deploy'))).toBe(false);
      expect(spawnSync(process.execPath, [loadNative, join(prefix, 'app')]).status).toBe(0);
      rmSync(broken, { recursive: true, force: true });
    },
    900_000,
  );

  it.runIf(isGitCheckout)(
    'deploy/install.sh --service pseudonym puts a self-contained sluis-pseudonym-service on PATH, which starts and serves',
    async () => {
      cloneOnce();
      install(['--service', 'pseudonym', '--prefix', pseudonymPrefix]);
      expect(existsSync(join(pseudonymPrefix, 'app', 'node_modules', '@sluis', 'client-sdk'))).toBe(true);
      expectBundleIsACopy(join(pseudonymPrefix, 'app'));
      // its own prefix: the match server's bundle (when the test above installed it) is still there
      if (existsSync(installed)) expect(existsSync(join(prefix, 'app', 'bin', 'sluis-server.js'))).toBe(true);
      rmSync(clone, { recursive: true, force: true });

      const env = { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ''}` };
      const dataDir = join(work, 'pseudonym-data');
      const run = (args: readonly string[]) =>
        execFileSync(installedPseudonym, [...args, '--data-dir', dataDir], {
          cwd: work,
          env,
          encoding: 'utf8',
        });
      mkdirSync(dataDir, { mode: 0o700 }); // as the install steps make it: init as root does not
      run(['init']);
      const { publicKey } = JSON.parse(run(['add-epoch', '--epoch', '1', '--json'])) as { publicKey: string };
      const child = spawn(installedPseudonym, ['start', '--data-dir', dataDir, '--port', '0'], {
        cwd: work,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const { url } = await untilListening(child, 60_000);
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect((await fetch(`${url}/healthz`)).status).toBe(200);
        const keys = (await (await fetch(`${url}/v1/keys`)).json()) as { keys: { publicKey: string }[] };
        expect(keys.keys.map((k) => k.publicKey)).toEqual([publicKey]);
        // an unsigned evaluation is refused: the installed service checks requests
        const refused = await fetch(`${url}/v1/evaluate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(refused.status).toBe(401);
      } finally {
        await stop(child);
      }
    },
    900_000,
  );
});
