// The systemd units of docs/operations.md "Hardening of the units": the pseudonym service's unit
// has the match server's hardening line for line, both pass `systemd-analyze verify` and the
// checks of `systemd-analyze security` with a low exposure score, and the drop-ins the docs
// show are valid. Where systemd-analyze is not installed these are skipped, and say so (under
// CI they must run). The installs the units go with: install.test.ts.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/server-process.js';

const work = mkdtempSync(join(tmpdir(), 'sluis-units-'));
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
// .ci/run installs systemd where it is missing: under CI the unit check must run.
if (!hasSystemdAnalyze && process.env.CI === 'true') {
  throw new Error('systemd-analyze is missing under CI=true (.ci/run installs the systemd package)');
}
if (!hasSystemdAnalyze) console.warn('systemd unit check skipped: systemd-analyze is not installed');

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A unit's [Service] lines (comments and blank lines left out). */
function serviceLines(unit: string): string[] {
  const section = unit.split(/^\[Service\]$/m)[1]!.split(/^\[/m)[0]!;
  return section.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

/** `systemd-analyze security` lines: directive name → passed (✓) or flagged (✗). */
function securityChecks(output: string): Map<string, boolean> {
  const checks = new Map<string, boolean>();
  for (const m of output.matchAll(/^([✓✗])\s+(\S+)/gmu)) checks.set(m[2]!, m[1] === '✓');
  return checks;
}

// What both units must pass (docs/operations.md "Hardening of the units"); the pseudonym
// service, which opens no connection of its own, also refuses Unix sockets and every address
// but loopback.
const COMMON_CHECKS = [
  'SystemCallFilter=~@privileged',
  'SystemCallFilter=~@resources',
  'PrivateMounts=',
  'NoNewPrivileges=',
  'ProtectSystem=',
  'PrivateUsers=',
  'User=/DynamicUser=',
];
const UNITS = [
  {
    file: 'sluis.service',
    bin: '/usr/local/bin/sluis-server',
    repoBin: join(ROOT, 'packages', 'server', 'bin', 'sluis-server.js'),
    maxExposure: 1.2,
    mustPass: COMMON_CHECKS,
  },
  {
    file: 'sluis-pseudonym.service',
    bin: '/usr/local/bin/sluis-pseudonym-service',
    repoBin: join(ROOT, 'packages', 'pseudonym-service', 'bin', 'sluis-pseudonym-service.js'),
    maxExposure: 1,
    mustPass: [...COMMON_CHECKS, 'RestrictAddressFamilies=~AF_UNIX'],
  },
] as const;

/**
 * `dropIn` as /etc/systemd/system/sluis.service.d/<name> beside the repository's sluis.service
 * passes `systemd-analyze verify`, which does read it: the same drop-in with an unknown key added
 * is reported.
 */
function expectValidDropIn(name: string, dropIn: string): void {
  const dir = join(work, 'units', `with-${name}`);
  mkdirSync(join(dir, 'sluis.service.d'), { recursive: true });
  const unit = readFileSync(join(ROOT, 'deploy', 'sluis.service'), 'utf8');
  writeFileSync(join(dir, 'sluis.service'), unit.replaceAll('/usr/local/bin/sluis-server', UNITS[0].repoBin));
  const conf = join(dir, 'sluis.service.d', name);
  const verify = () =>
    spawnSync('systemd-analyze', ['verify', join(dir, 'sluis.service')], { encoding: 'utf8' });
  writeFileSync(conf, dropIn);
  const good = verify();
  expect(good.stderr + good.stdout).toBe('');
  writeFileSync(conf, `${dropIn}NoSuchKey=1\n`);
  expect(verify().stderr).toContain('NoSuchKey');
}

describe('the systemd units (docs/operations.md "Hardening of the units")', () => {
  it('the pseudonym service has the match server’s hardening, line for line', () => {
    const server = serviceLines(readFileSync(join(ROOT, 'deploy', 'sluis.service'), 'utf8'));
    const pseudonym = serviceLines(readFileSync(join(ROOT, 'deploy', 'sluis-pseudonym.service'), 'utf8'));
    // what differs by design: who, what, where, how much, and the (tighter) network rules
    const own =
      /^(User|Group|ExecStart|Environment|StateDirectory|ReadWritePaths|SyslogIdentifier|MemoryMax|RestrictAddressFamilies|IPAddressDeny|IPAddressAllow)=/;
    expect(pseudonym.filter((l) => !own.test(l))).toEqual(server.filter((l) => !own.test(l)));
    expect(pseudonym).toContain('User=sluis-pseudonym');
    expect(pseudonym).toContain('StateDirectory=sluis-pseudonym');
    expect(pseudonym).toContain('IPAddressDeny=any');
    expect(pseudonym).toContain('IPAddressAllow=localhost');
  });

  for (const u of UNITS) {
    it.skipIf(!hasSystemdAnalyze)(
      `${u.file} passes systemd-analyze verify and the security checks, with a low exposure score`,
      () => {
        const unit = readFileSync(join(ROOT, 'deploy', u.file), 'utf8');
        // verify checks that ExecStart exists: point it at the repository's bin.
        const dir = join(work, 'units', u.file);
        mkdirSync(dir, { recursive: true });
        const file = join(dir, u.file);
        writeFileSync(file, unit.replaceAll(u.bin, u.repoBin));
        const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
        expect(verify.stderr + verify.stdout).toBe('');
        expect(verify.status).toBe(0);
        const security = spawnSync('systemd-analyze', ['security', '--offline=yes', file], {
          encoding: 'utf8',
        });
        const checks = securityChecks(security.stdout);
        for (const name of u.mustPass)
          expect({ name, passed: checks.get(name) }).toEqual({ name, passed: true });
        const score = /Overall exposure level for \S+: ([0-9.]+)/.exec(security.stdout);
        expect(Number(score?.[1])).toBeLessThanOrEqual(u.maxExposure);
        // and verify does fail a broken unit (a missing binary), so the check above can fail
        const broken = join(dir, `broken-${u.file}`);
        writeFileSync(broken, unit.replaceAll(u.bin, join(work, 'no-such-binary')));
        expect(spawnSync('systemd-analyze', ['verify', broken]).status).not.toBe(0);
      },
    );
  }

  it.skipIf(!hasSystemdAnalyze)(
    'the start-order drop-in of docs/operations.md "Database and role" is a valid drop-in',
    () => {
      const ops = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
      const block =
        /^```ini\n# \/etc\/systemd\/system\/sluis\.service\.d\/postgresql\.conf\n([\s\S]*?)^```/m.exec(ops);
      expect(block).not.toBeNull();
      const dropIn = block![1]!;
      expect(dropIn).toBe('[Unit]\nAfter=postgresql.service\nWants=postgresql.service\n');
      expectValidDropIn('postgresql.conf', dropIn);
    },
  );

  it.skipIf(!hasSystemdAnalyze)(
    'the secrets drop-in of docs/operations.md "Secrets under systemd" is a valid drop-in',
    () => {
      const ops = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
      // the block as the docs show it (indented under its list item), its header line left out
      const block =
        /^( *)```ini\n\1# \/etc\/systemd\/system\/sluis\.service\.d\/secrets\.conf\n([\s\S]*?)^\1```/m.exec(
          ops,
        );
      expect(block).not.toBeNull();
      const dropIn = block![2]!.replaceAll(new RegExp(`^${block![1]}`, 'gm'), '');
      // the password reaches the server as a path, never as a value
      expect(dropIn).toContain('SLUIS_DATABASE_PASSWORD_FILE=%d/');
      expect(dropIn).not.toMatch(/SLUIS_DATABASE_PASSWORD=|PGPASSWORD|SLUIS_METRICS_TOKEN|--metrics-token/);
      expectValidDropIn('secrets.conf', dropIn);
    },
  );
});
