// One key, one holder (docs/operations.md "Pseudonym service"): `admit` and `admit-issuer`
// refuse a key id admitted already under any organisation or issuer, and an admission.json
// that holds one twice (written by hand) is refused at start and at run time, naming the
// entries and the key id — never a public key — so no key is charged to, or suspended
// with, the wrong organisation; nor an organisation name twice (one budget per name). Edits
// wait for one another (admission.json.lock): for a live holder up to 10 s, a dead one's lock is
// taken over.

import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SigningKey, base64url, signRequest } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { writeAdmissionFile } from './admission.js';
import { startPseudonymService } from './service.js';
import { cli, serviceConfig, startedServices } from './testing/cli.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';

const ORG_ID = '0d9b7c1e-5a4f-4e2b-9c3d-1f2e3a4b5c6d';

const services = startedServices();

async function dataDir() {
  const dir = join(mkdtempSync(join(tmpdir(), 'sluis-ps-adm-')), 'data');
  mkdirSync(dir, { mode: 0o700 }); // as the install makes it: init as root does not
  expect((await cli(['init', '--data-dir', dir])).code).toBe(0);
  expect((await cli(['add-epoch', '--epoch', '7', '--data-dir', dir])).code).toBe(0);
  return dir;
}

describe('admission: one key, one holder', () => {
  it('admit and admit-issuer refuse a key admitted already, under any entry, and change nothing', async () => {
    const dir = await dataDir();
    const k = caseSigningKey();
    const key = base64url.encode(k.publicKey);
    const admitA = ['admit', '--name', 'Org A', `--public-key=${key}`, '--budget', '5', '--data-dir', dir];
    expect((await cli(admitA)).code).toBe(0);
    const before = readFileSync(join(dir, 'admission.json'), 'utf8');
    const refusals = [
      ['admit', '--name', 'Org B', `--public-key=${key}`],
      ['admit', '--name', 'Org C', `--public-key=${key}`, '--organisation-id', ORG_ID],
      ['admit-issuer', '--name', 'Match server', `--public-key=${key}`],
    ];
    for (const args of refusals) {
      const r = await cli([...args, '--data-dir', dir]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`key id ${k.keyId} is admitted already (organisation "Org A")`);
      expect(r.err).not.toContain(key);
    }
    // The same key twice in one admission, and an organisation key that is an issuer's.
    const k2 = base64url.encode(caseSigningKey().publicKey);
    const twice = await cli([
      'admit',
      '--name',
      'Org D',
      `--public-key=${k2}`,
      `--public-key=${k2}`,
      '--data-dir',
      dir,
    ]);
    expect(twice.code).toBe(2);
    expect(readFileSync(join(dir, 'admission.json'), 'utf8')).toBe(before);
    const issuer = caseSigningKey();
    const ik = base64url.encode(issuer.publicKey);
    expect(
      (await cli(['admit-issuer', '--name', 'Match server', `--public-key=${ik}`, '--data-dir', dir])).code,
    ).toBe(0);
    const asOrg = await cli(['admit', '--name', 'Org E', `--public-key=${ik}`, '--data-dir', dir]);
    expect([asOrg.code, asOrg.err]).toEqual([
      2,
      `sluis-pseudonym-service: usage_invalid: the key with key id ${issuer.keyId} is admitted already (credential issuer "Match server"); a key has one holder\n`,
    ]);
  });

  it('a file that holds a key twice is refused at start, naming the entries and the key id only', async () => {
    const dir = await dataDir();
    const k = caseSigningKey();
    const key = base64url.encode(k.publicKey);
    writeFileSync(
      join(dir, 'admission.json'),
      JSON.stringify({
        organisations: [
          { name: 'Org A', status: 'active', publicKeys: [key], evaluationBudgetPerDay: 5 },
          { name: 'Org B', status: 'active', publicKeys: [key] },
        ],
      }),
      { mode: 0o600 },
    );
    const expected = `key id ${k.keyId} is admitted twice (organisation "Org A" and organisation "Org B")`;
    await expect(startPseudonymService(serviceConfig(dir))).rejects.toThrow(expected);
    const start = await cli(['start', '--port', '0', '--data-dir', dir]);
    expect(start.code).toBe(2);
    expect(start.err).toBe(
      `sluis-pseudonym-service: key_file_invalid: ${join(dir, 'admission.json')}: ${expected}\n`,
    );
    expect(start.err).not.toContain(key);
    // Every command that reads the file refuses it too, so suspend cannot act on half of it.
    expect((await cli(['suspend', '--name', 'Org A', '--data-dir', dir])).code).toBe(2);
  });

  it('a file that holds an organisation name twice is refused at start (one budget per name)', async () => {
    const dir = await dataDir();
    const key = (k: SigningKey) => base64url.encode(k.publicKey);
    writeFileSync(
      join(dir, 'admission.json'),
      JSON.stringify({
        organisations: [
          { name: 'Org A', status: 'active', publicKeys: [key(caseSigningKey())] },
          {
            name: 'Org A',
            status: 'active',
            publicKeys: [key(caseSigningKey())],
            evaluationBudgetPerDay: 1_000_000,
          },
        ],
      }),
      { mode: 0o600 },
    );
    await expect(startPseudonymService(serviceConfig(dir))).rejects.toThrow(
      `${join(dir, 'admission.json')}: organisation "Org A" is admitted twice`,
    );
    expect((await cli(['suspend', '--name', 'Org A', '--data-dir', dir])).code).toBe(2);
  });

  it('a key written twice into the file while running is refused, not charged to either entry', async () => {
    const dir = await dataDir();
    const k = caseSigningKey();
    const key = base64url.encode(k.publicKey);
    expect((await cli(['admit', '--name', 'Org A', `--public-key=${key}`, '--data-dir', dir])).code).toBe(0);
    const service = await services.start(dir);
    const file = JSON.parse(readFileSync(join(dir, 'admission.json'), 'utf8'));
    file.organisations.push({ name: 'Org B', status: 'active', publicKeys: [key] });
    writeFileSync(join(dir, 'admission.json.new'), JSON.stringify(file), { mode: 0o600 });
    const { renameSync } = await import('node:fs');
    renameSync(join(dir, 'admission.json.new'), join(dir, 'admission.json'));
    const bytes = new TextEncoder().encode(JSON.stringify({ epoch: 7, blindedElements: ['x'] }));
    const headers = signRequest(k, { method: 'POST', path: '/v1/evaluate', query: '' }, bytes);
    const res = await fetch(`${service.url}/v1/evaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: bytes,
    });
    expect(res.status).toBe(500);
    expect(readFileSync(join(dir, 'logbook.jsonl'), 'utf8')).not.toContain('"event":"evaluated"');
  });
});

describe('admission: one edit at a time (admission.json.lock)', () => {
  const orNull = (read: () => string) => {
    try {
      return read().trim();
    } catch {
      return null;
    }
  };
  /** A lock of `pid` on this host, boot and pid namespace, as lock-file.ts writes it. */
  const lockBy = (dir: string, pid: number | undefined, where: object = {}) =>
    writeFileSync(
      join(dir, 'admission.json.lock'),
      `${JSON.stringify({
        pid,
        host: hostname(),
        bootId: orNull(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')),
        pidNamespace: orNull(() => readlinkSync('/proc/self/ns/pid')),
        ...where,
      })}\n`,
      { mode: 0o600 },
    );

  it('waits while another process edits, and takes the lock over once that one is gone', async () => {
    const dir = await dataDir();
    const key = base64url.encode(caseSigningKey().publicKey);
    // The holder: a process that is not this one's child (a shell's, reaped when it ends), for 0.5 s.
    // Timed from before it starts: the admit cannot end before the holder, however late this
    // process gets to run after the shell (read after it, the wait could show under 300 ms).
    const began = Date.now();
    const pid = Number(
      execFileSync('sh', ['-c', 'sleep 0.5 > /dev/null 2>&1 & echo $!'], {
        encoding: 'utf8',
        timeout: 20_000,
      }),
    );
    lockBy(dir, pid);
    const r = await cli(['admit', '--name', 'Org A', `--public-key=${key}`, '--data-dir', dir]);
    expect([r.code, r.err]).toEqual([0, '']);
    // The order itself: when the admit is done, the holder has ended (gone, or a zombie not yet
    // reaped, which lock-file.ts also counts as gone). An admit that ignored the lock would end
    // while the holder still sleeps, however slow the shell was to start.
    const ended = () => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)?.[0] === 'Z';
      } catch {
        return true;
      }
    };
    expect(ended()).toBe(true);
    // And the time: the holder's 0.5 s, less a margin for sleep(1)'s clock against Date.now().
    expect(Date.now() - began).toBeGreaterThanOrEqual(450);
    expect(JSON.parse(readFileSync(join(dir, 'admission.json'), 'utf8')).organisations).toHaveLength(1);
    expect(existsSync(join(dir, 'admission.json.lock'))).toBe(false);
  });

  it('gives up after 10 s with admission_locked naming the lock and its holder, and changes nothing', async () => {
    const dir = await dataDir();
    const key = base64url.encode(caseSigningKey().publicKey);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20_000)'], {
      stdio: 'ignore',
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    lockBy(dir, child.pid);
    try {
      const r = await cli(['admit', '--name', 'Org A', `--public-key=${key}`, '--data-dir', dir]);
      const lock = join(dir, 'admission.json.lock');
      expect([r.code, r.err]).toEqual([
        2,
        `sluis-pseudonym-service: admission_locked: ${lock} is held by process ${child.pid}; try again when it has finished\n`,
      ]);
      expect(existsSync(join(dir, 'admission.json'))).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a lock from another pid namespace counts as live even when its pid has ended here', {
    timeout: 30_000,
  }, async () => {
    const dir = await dataDir();
    const key = base64url.encode(caseSigningKey().publicKey);
    const ended = Number(execFileSync('sh', ['-c', 'echo $$'], { encoding: 'utf8', timeout: 20_000 }));
    lockBy(dir, ended, { pidNamespace: 'pid:[1]' });
    const r = await cli(['admit', '--name', 'Org A', `--public-key=${key}`, '--data-dir', dir]);
    const lock = join(dir, 'admission.json.lock');
    expect([r.code, r.err]).toEqual([
      2,
      `sluis-pseudonym-service: admission_locked: ${lock} is held by process ${ended} in pid namespace pid:[1] of host ${JSON.stringify(hostname())}, which cannot be checked from here; try again when it has finished, or remove the file by hand once sure no command is editing the admissions\n`,
    ]);
    expect(existsSync(join(dir, 'admission.json'))).toBe(false);
  });

  it('a failed write of admission.json leaves no temporary file behind', async () => {
    const dir = await dataDir();
    mkdirSync(join(dir, 'admission.json')); // the rename over it fails (EISDIR)
    const before = readdirSync(dir).sort();
    expect(() => writeAdmissionFile(dir, { organisations: [] })).toThrow();
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});
