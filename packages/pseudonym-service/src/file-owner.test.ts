// One owner per data directory (docs/operations.md "Pseudonym service (OPRF epochs)"), with real
// processes and a real second user: the built CLI run as root against the service user's data
// directory, and as that user against root's, refuses every command before writing anything,
// naming the owner and whom to run as; a file root left behind is named with the chown that gives
// it back; a file the running service cannot read is `key_file_unreadable`, not `key_file_invalid`.
// Needs root (useradd, runuser, chown): skipped otherwise, as a non-root user cannot make the
// files of another user.

import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { base64url, signRequest } from '@sluis/client-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { untilListening } from './testing/listening.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'sluis-pseudonym-service.js');
const DIST_DATA_DIR = join(import.meta.dirname, '..', 'dist', 'data-dir.js');
const limits = { encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' } as const;

const canRun =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  spawnSync('useradd', ['--help'], limits).status === 0 &&
  spawnSync('runuser', ['--help'], limits).status === 0;

const USER = `sluis-pst-${process.pid}`;
let uid = -1;
let gid = -1;
const roots: string[] = [];
const children: ChildProcess[] = [];

beforeAll(() => {
  if (!canRun) return;
  execFileSync('useradd', ['-r', '-M', '-s', '/usr/sbin/nologin', USER]);
  uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }));
  gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }));
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});
afterAll(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  if (canRun) spawnSync('userdel', [USER], limits);
});

const asRoot = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], limits);
const asUser = (args: string[]) =>
  spawnSync('runuser', ['-u', USER, '--', process.execPath, BIN, ...args], limits);

/** A directory the test user can reach (0755, root's), holding `data` not yet made. */
function parent(): string {
  const root = mkdtempSync(join(tmpdir(), 'sluis-ps-owner-'));
  roots.push(root);
  chmodSync(root, 0o755);
  return join(root, 'data');
}

/** Every file and directory below `dir`: owner, mode, and a digest of a file's bytes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    const st = lstatSync(path);
    const digest = st.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'dir';
    out[path] = `${st.uid}:${(st.mode & 0o7777).toString(8)}:${digest}`;
    if (st.isDirectory()) for (const f of readdirSync(path)) walk(join(path, f));
  };
  walk(dir);
  return out;
}

const ORG_ID = '0b9a3c2e-5f41-4d7a-9c3e-2a1b4c5d6e7f';

/** The service user's data directory as the install makes it, with an epoch, an organisation and an issuer. */
function userDataDir() {
  const dir = parent();
  mkdirSync(dir, { mode: 0o700 });
  chownSync(dir, uid, gid);
  const org = caseSigningKey();
  const issuer = base64url.encode(caseSigningKey().publicKey);
  for (const args of [
    ['init'],
    ['add-epoch', '--epoch', '7'],
    ['admit', '--name', 'Org A', `--public-key=${base64url.encode(org.publicKey)}`],
    ['admit-issuer', '--name', 'Match server', `--public-key=${issuer}`],
  ])
    expect(asUser([...args, '--data-dir', dir]).status).toBe(0);
  return { dir, org };
}

/** Every command of the CLI, each with arguments that would succeed for the data directory's owner. */
const COMMANDS = [
  ['init'],
  ['add-epoch', '--epoch', '8'],
  ['retire-epoch', '--epoch', '7'],
  ['public-keys'],
  ['admit', '--name', 'Org B', `--public-key=${base64url.encode(caseSigningKey().publicKey)}`],
  ['link', '--name', 'Org A', '--organisation-id', ORG_ID],
  ['suspend', '--name', 'Org A'],
  ['reinstate', '--name', 'Org A'],
  ['remove', '--name', 'Org A'],
  ['admit-issuer', '--name', 'Other server', `--public-key=${base64url.encode(caseSigningKey().publicKey)}`],
  ['remove-issuer', '--name', 'Match server'],
  ['start', '--port', '0'],
];

/**
 * Whether a process of `uid` can read `path`: a clone inside a folder closed to other users (a
 * 0700 home or temp folder) cannot run the built CLI as another user, so these tests are skipped
 * there, and say so.
 */
function readableBy(uid: number, path: string): boolean {
  const probe = `require('node:fs').accessSync(${JSON.stringify(path)}, 4)`;
  const ok = spawnSync(process.execPath, ['-e', probe], { uid, gid: uid, timeout: 10_000 }).status === 0;
  if (!ok) console.warn(`skipped: uid ${uid} cannot read ${path} (the checkout is closed to other users)`);
  return ok;
}

describe.skipIf(!canRun || !readableBy(65534, BIN))(
  'one owner per data directory (real processes, a real second user)',
  () => {
    it('root is refused every command on the service user’s data directory, and nothing changes', () => {
      const { dir } = userDataDir();
      const before = snapshot(dir);
      for (const args of COMMANDS) {
        const r = asRoot([...args, '--data-dir', dir]);
        expect([args[0], r.status, r.stderr]).toEqual([
          args[0],
          2,
          `sluis-pseudonym-service: file_foreign_owner: ${dir} belongs to ${USER}, not to root who runs this command: run it as ${USER} (sudo -u ${USER} sluis-pseudonym-service …)\n`,
        ]);
        expect(snapshot(dir)).toEqual(before);
      }
      // The owner's own command still works.
      expect(asUser(['suspend', '--name', 'Org A', '--data-dir', dir]).status).toBe(0);
    });

    it('init as root does not create a missing data directory: refused, naming the install steps', () => {
      const dir = parent();
      const r = asRoot(['init', '--data-dir', dir]);
      expect([r.status, r.stderr]).toEqual([
        2,
        `sluis-pseudonym-service: usage_invalid: init run as root does not create ${dir}: the service's user could not use a directory of root's. Make it for that user, then run init as it: sudo install -d -o sluis-pseudonym -g sluis-pseudonym -m 0700 ${dir} && sudo -u sluis-pseudonym sluis-pseudonym-service init --data-dir ${dir} (for a service that runs as root: install -d -m 0700 ${dir}, then init)\n`,
      ]);
      expect(readdirSync(join(dir, '..'))).toEqual([]);
      // The documented steps: the directory made for the user, init run as it; the service starts.
      execFileSync('install', ['-d', '-o', USER, '-g', USER, '-m', '0700', dir]);
      expect(asUser(['init', '--data-dir', dir]).status).toBe(0);
      expect(lstatSync(join(dir, 'metrics.token')).uid).toBe(uid);
    });

    it('the service user is refused every command on root’s data directory, and nothing changes', () => {
      const dir = parent();
      mkdirSync(dir, { mode: 0o700 }); // root's own, as for a service that runs as root
      for (const args of [['init'], ['add-epoch', '--epoch', '7']])
        expect(asRoot([...args, '--data-dir', dir]).status).toBe(0);
      const before = snapshot(dir);
      for (const args of COMMANDS) {
        const r = asUser([...args, '--data-dir', dir]);
        expect([args[0], r.status, r.stderr]).toEqual([
          args[0],
          2,
          `sluis-pseudonym-service: file_foreign_owner: ${dir} belongs to root, not to ${USER} who runs this command: run it as root, or, if ${USER} runs the service, give root's files back: sudo chown -R ${USER} ${dir}\n`,
        ]);
        expect(snapshot(dir)).toEqual(before);
      }
    });

    it('a file root left in the service user’s directory is named, with the chown that gives it back', () => {
      const { dir } = userDataDir();
      // What an earlier `sudo sluis-pseudonym-service admit …` left: admission.json and the logbook root's.
      for (const f of ['admission.json', 'logbook.jsonl']) chownSync(join(dir, f), 0, 0);
      const before = snapshot(dir);
      const key = base64url.encode(caseSigningKey().publicKey);
      for (const args of [
        ['admit', '--name', 'Org B', `--public-key=${key}`],
        ['start', '--port', '0'],
      ]) {
        const r = asUser([...args, '--data-dir', dir]);
        expect([r.status, r.stderr]).toEqual([
          2,
          `sluis-pseudonym-service: file_foreign_owner: ${join(dir, 'admission.json')} (and 1 more of the data directory's files) belongs to root, not to ${USER} who runs this command: run it as root, or, if ${USER} runs the service, give root's files back: sudo chown -R ${USER} ${dir}\n`,
        ]);
        expect(snapshot(dir)).toEqual(before);
      }
      execFileSync('chown', ['-R', USER, dir]);
      expect(asUser(['admit', '--name', 'Org B', `--public-key=${key}`, '--data-dir', dir]).status).toBe(0);
    });

    it('a file the running service cannot read is key_file_unreadable, naming its owner', async () => {
      const { dir, org } = userDataDir();
      const admission = join(dir, 'admission.json');
      // As the user without runuser between (its SIGKILL would leave the service running).
      const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--data-dir', dir], {
        uid,
        gid,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 30_000,
        killSignal: 'SIGKILL',
      });
      children.push(child);
      const { url, stderr } = await untilListening(child);
      // Root replaces admission.json (same content) with a file of its own, 0600, while the service runs.
      const content = readFileSync(admission);
      writeFileSync(`${admission}.root`, content, { mode: 0o600 });
      renameSync(`${admission}.root`, admission);
      const element = base64url.encode(ristretto255_oprf.voprf.blind(new Uint8Array([1, 2, 3])).blinded);
      const body = new TextEncoder().encode(JSON.stringify({ epoch: 7, blindedElements: [element] }));
      const headers = signRequest(org, { method: 'POST', path: '/v1/evaluate', query: '' }, body);
      const res = await fetch(`${url}/v1/evaluate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      expect(res.status).toBe(500);
      const answer = (await res.json()) as { code: string; correlationId: string };
      await expect.poll(stderr).toContain('data_dir_error');
      expect(JSON.parse(stderr().trim().split('\n').at(-1)!)).toEqual({
        level: 'error',
        event: 'data_dir_error',
        correlationId: answer.correlationId,
        code: 'key_file_unreadable',
        file: admission,
      });
      // The message an operator sees for such a file (the CLI refuses it earlier, as file_foreign_owner).
      const read = spawnSync(
        'runuser',
        [
          '-u',
          USER,
          '--',
          process.execPath,
          '--input-type=module',
          '-e',
          `import { readPrivateText } from ${JSON.stringify(DIST_DATA_DIR)};
         try { readPrivateText(${JSON.stringify(admission)}); } catch (e) { console.log(e.message); }`,
        ],
        limits,
      );
      expect(read.stdout).toBe(
        `key_file_unreadable: ${admission} cannot be read by ${USER}; it belongs to root: run it as root, or, if ${USER} runs the service, give root's files back: sudo chown -R ${USER} ${admission}\n`,
      );
    });
  },
);
