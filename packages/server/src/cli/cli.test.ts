// The CLI in-process through main(argv, env, io): first-start bootstrap (files 0600,
// message once, no secret printed), bad configuration (exit 2, one line), the
// retention and backup commands, admin commands against a running server with the BSN
// pseudonymised locally — and one spawned process stopped by SIGTERM.

import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, SigningKey } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';
import { captureCliIo } from '../testing/cli-io.js';

const BSN = '123456782';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluis-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sluis-server start', () => {
  it('bootstraps keys 0600 in a 0700 directory, prints next steps once and never a secret', async () => {
    const c = captureCliIo(dir);
    const running = main(['start', '--data-dir', 'data', '--port', '0'], {}, c.io);
    const url = await c.waitStarted();
    c.stop();
    expect(await running).toBe(0);
    const keys = join(dir, 'data', 'keys');
    expect(statSync(keys).mode & 0o777).toBe(0o700);
    for (const f of [
      'server-secret-1.key',
      'webhook-signing.key',
      'admin.key',
      'metrics.token',
      'credential-issuer.key',
    ]) {
      expect(statSync(join(keys, f)).mode & 0o777, f).toBe(0o600);
    }
    const text = c.err();
    expect(text).toContain('first start');
    expect(text).toContain('sluis-server admin admit-organisation');
    // as the data directory's owner, and runnable without an install (docs/operations.md "Install")
    expect(text).toMatch(/sudo -u \S+ sluis-server admin admit-organisation/);
    // the municipality's first portal administrator, and what passkey sign-in needs (docs/operations.md
    // "Start, and the first start")
    expect(text).toMatch(/sluis-server admin add-person .*\n.*--role administrator/);
    expect(text).toMatch(/sluis-server admin invite .*\n.*--person-id/);
    expect(text).toContain('--webauthn-rp-id and --webauthn-origin');
    expect(text).toContain('/portal/#/enrol');
    expect(text).toContain('--organisation-id <id>');
    // what the portal needs before anyone places a signal, in order, and one recipe for admin
    // commands (docs/operations.md "Start, and the first start")
    const order = [
      'add-epoch --epoch 2',
      'admit-issuer',
      'portal-pins',
      'register-epoch',
      'admit-organisation',
    ];
    const at = order.map((s) => text.indexOf(s));
    expect(at.every((i) => i >= 0) && at.every((i, n) => n === 0 || i > at[n - 1]!), at.join(',')).toBe(true);
    expect(text).toContain(join(keys, 'credential-issuer.pub.json'));
    expect(text).toContain('--kind oprf');
    expect(text).toContain('needs no covenant pseudonym key');
    expect(text).toMatch(
      new RegExp(`sluis-server admin admit-organisation --server \\S+ --data-dir ${join(dir, 'data')}`),
    );
    expect(text).not.toContain('--admin-key-file ' + join(keys, 'admin.key'));
    expect(text).toContain(`sluis-server backup --data-dir ${join(dir, 'data')} --to <file>`);
    expect(text).toContain('node packages/server/bin/sluis-server.js');
    expect(text).toContain('node packages/client-sdk/bin/sluis.js');
    expect(text).toContain(join(keys, 'admin.key'));
    expect(text).toContain(url);
    expect(text).toContain('metrics.token');
    expect(text).toContain('credential-issuer.key');
    const secret = readFileSync(join(keys, 'server-secret-1.key'), 'utf8').trim();
    expect(text + c.out()).not.toContain(secret);
    expect(text + c.out()).not.toContain(readFileSync(join(keys, 'metrics.token'), 'utf8').trim());
    expect(text + c.out()).not.toContain('PRIVATE KEY');
    // server_started says whether match notice e-mail is on, never more (docs/operations.md "Logs")
    const started = c
      .out()
      .split('\n')
      .filter((l) => l.includes('"event":"server_started"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(started).toHaveLength(1);
    expect(started[0]!.mail).toBe(false);

    const mailConfig = join(dir, 'mail.json');
    writeFileSync(
      mailConfig,
      JSON.stringify({
        host: 'smtp.gemeente.example.nl',
        port: 587,
        tls: 'starttls',
        from: 'sluis <noreply@gemeente.example.nl>',
        portalUrl: 'https://sluis.gemeente.example.nl/',
      }),
    );
    const again = captureCliIo(dir);
    const second = main(
      ['start', '--data-dir', 'data', '--port', '0', '--mail-config', mailConfig],
      {},
      again.io,
    );
    await again.waitStarted();
    again.stop();
    expect(await second).toBe(0);
    const startedWithMail = again
      .out()
      .split('\n')
      .find((l) => l.includes('"event":"server_started"'));
    expect(JSON.parse(startedWithMail!).mail).toBe(true);
    expect(again.out()).not.toMatch(/gemeente\.example\.nl|smtp/);
    expect(again.err()).not.toContain('first start');
    expect(again.err()).not.toContain('metrics.token');
    expect(readdirSync(keys).sort()).toEqual(
      [
        'admin.key',
        'credential-issuer.key',
        'credential-issuer.pub.json',
        'metrics.token',
        'server-secret-1.key',
        'webhook-signing.key',
        'webhook-signing.pub.json',
      ].sort(),
    );

    // A data directory of an older version has no token: the next start creates one and
    // says so in three lines; with --metrics-token configured none is created.
    rmSync(join(keys, 'metrics.token'));
    const configured = captureCliIo(dir);
    const withToken = main(
      ['start', '--data-dir', 'data', '--port', '0', '--metrics-token', 'an-operator-chosen-token'],
      {},
      configured.io,
    );
    await configured.waitStarted();
    configured.stop();
    expect(await withToken).toBe(0);
    expect(readdirSync(keys)).not.toContain('metrics.token');
    const upgraded = captureCliIo(dir);
    const third = main(['start', '--data-dir', 'data', '--port', '0'], {}, upgraded.io);
    await upgraded.waitStarted();
    upgraded.stop();
    expect(await third).toBe(0);
    expect(statSync(join(keys, 'metrics.token')).mode & 0o777).toBe(0o600);
    expect(upgraded.err()).not.toContain('first start');
    expect(upgraded.err().split('\n').slice(0, 3).join('\n')).toMatch(
      /^sluis-server: created in .*keys \(mode 0600\):\n {2}metrics\.token .*\n .*Monitor/,
    );
  });

  it('help lists every command; the restore-mode banner names the flag and the variable', async () => {
    const help = captureCliIo(dir);
    expect(await main(['help'], {}, help.io)).toBe(0);
    for (const command of ['start', 'retention', 'backup', 'migrate-store', 'admin', 'version', 'help'])
      expect(help.out()).toMatch(new RegExp(`^  ${command} `, 'm'));
    const c = captureCliIo(dir);
    const running = main(
      ['start', '--data-dir', 'restore-data', '--port', '0'],
      { SLUIS_RESTORE_MODE: '1' },
      c.io,
    );
    await c.waitStarted();
    c.stop();
    expect(await running).toBe(0);
    expect(c.err()).toContain('restart without --restore-mode and SLUIS_RESTORE_MODE=1 to open');
  });

  it('bad configuration → exit 2 with one clear line', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['start', '--port', '99999'], {}, /port \(from --port\)/],
      [['start'], { SLUIS_PORT: 'eighty' }, /port \(from SLUIS_PORT\) must be an integer/],
      [['start', '--bogus'], {}, /unknown option --bogus/],
      [['start', '--port'], {}, /--port needs a value/],
      [['start', '--port', '-1'], {}, /port \(from --port\) must be at least/],
      [['start', '--test-clock'], { NODE_ENV: 'production' }, /test clock is refused/],
      [
        ['start', '--allow-loopback-http-webhooks'],
        { NODE_ENV: 'production' },
        /allowLoopbackHttpWebhooks is refused/,
      ],
      [
        ['start'],
        { NODE_ENV: 'production', SLUIS_ALLOW_LOOPBACK_HTTP_WEBHOOKS: '1' },
        /allowLoopbackHttpWebhooks is refused/,
      ],
      [['start', '--config', 'missing.json'], {}, /config file .* cannot be read/],
      [['start', '--log-level', 'loud'], {}, /logLevel/],
      [
        ['start', '--database', 'postgres://u:pw@db.example.nl:5432/sluis'],
        {},
        /databaseUrl \(from --database\) holds a password: give the URL without one/,
      ],
    ];
    for (const [argv, env, pattern] of cases) {
      const c = captureCliIo(dir);
      expect(await main([...argv, '--data-dir', 'data'], env, c.io), argv.join(' ')).toBe(2);
      expect(c.err()).toMatch(pattern);
      expect(c.err().trim().split('\n')).toHaveLength(1);
    }
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ port: 8080, reason: 'x' }));
    const c = captureCliIo(dir);
    expect(await main(['start', '--config', 'bad.json'], {}, c.io)).toBe(2);
    expect(c.err()).toMatch(/unknown option "reason" in config file bad\.json/);
  });

  it('retention runs once from the command line (for cron)', async () => {
    const c = captureCliIo(dir);
    expect(await main(['retention', '--data-dir', 'data', '--json'], {}, c.io)).toBe(0);
    expect(JSON.parse(c.out())).toMatchObject({ expired: 0, purgedSignals: 0, purgedMatches: 0 });
    const none = captureCliIo(dir);
    expect(await main(['retention', '--data-dir', 'nowhere'], {}, none.io)).toBe(2);
    expect(none.err()).toContain('start the server once');
  });

  it('backup writes a consistent 0600 copy and refuses to overwrite', async () => {
    const c = captureCliIo(dir);
    expect(await main(['backup', '--data-dir', 'data', '--to', 'backup.db'], {}, c.io)).toBe(0);
    expect(statSync(join(dir, 'backup.db')).mode & 0o777).toBe(0o600);
    const again = captureCliIo(dir);
    expect(await main(['backup', '--data-dir', 'data', '--to', 'backup.db'], {}, again.io)).toBe(1);
  });

  it('backup leaves one self-contained file: no -wal or -shm beside the copy', async () => {
    const c = captureCliIo(dir);
    expect(await main(['backup', '--data-dir', 'data', '--to', 'single.db'], {}, c.io)).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('single.db'))).toEqual(['single.db']);
    // Rollback-journal mode: the copy opens on its own (e.g. restored elsewhere) with no WAL.
    expect(readFileSync(join(dir, 'single.db')).subarray(18, 20)).toEqual(Buffer.from([1, 1]));
  });

  it('backup into a folder that does not exist says so in one line', async () => {
    const c = captureCliIo(dir);
    expect(await main(['backup', '--data-dir', 'data', '--to', 'no-such-folder/b.db'], {}, c.io)).toBe(1);
    expect(c.err().trim().split('\n')).toEqual([
      `sluis-server: the folder ${join(dir, 'no-such-folder')} does not exist (create it first)`,
    ]);
  });
});

describe('sluis-server admin', () => {
  it('admits an organisation and handles a GDPR request with the BSN kept local', async () => {
    const srv = captureCliIo(dir);
    const running = main(['start', '--data-dir', 'data', '--port', '0'], {}, srv.io);
    const url = await srv.waitStarted();
    try {
      const admin = (argv: string[], stdin?: string) => {
        const c = captureCliIo(dir, stdin === undefined ? {} : { readStdin: async () => stdin });
        return main(['admin', ...argv, '--server', url, '--data-dir', 'data'], {}, c.io).then((code) => ({
          code,
          ...c,
        }));
      };
      const orgKey = SigningKey.generate();
      const admitted = await admin([
        'admit-organisation',
        '--name',
        'Jeugdzorg Rijnmond',
        '--type',
        'youth_care',
        '--public-key',
        base64url.encode(orgKey.publicKey),
        '--json',
      ]);
      expect(admitted.code).toBe(0);
      const orgId = JSON.parse(admitted.out()).organisation.id as string;
      const list = await admin(['organisations']);
      expect(list.out()).toContain(orgId);
      expect(list.out()).toContain('match e-mail off');
      // the summary shows the match notice e-mail opt-in (docs/operations.md "Match notice e-mail")
      const optIn = await admin(['update-organisation', '--id', orgId, '--match-email', 'on']);
      expect(optIn.code).toBe(0);
      expect(optIn.out()).toMatch(new RegExp(`^${orgId} .* match e-mail on\n$`));
      // 1 in 64 base64url public keys and key ids starts with '-': `--opt -…` must still work.
      let dashKey = SigningKey.generate();
      while (!base64url.encode(dashKey.publicKey).startsWith('-')) dashKey = SigningKey.generate();
      let dashId = SigningKey.generate();
      while (!dashId.keyId.startsWith('-')) dashId = SigningKey.generate();
      const dashOrg = await admin([
        'admit-organisation',
        '--name',
        'Wijkteam Streepje',
        '--type',
        'social_services',
        '--public-key',
        base64url.encode(dashKey.publicKey),
        '--json',
      ]);
      expect(dashOrg.code, dashOrg.err()).toBe(0);
      const dashOrgId = JSON.parse(dashOrg.out()).organisation.id as string;
      const added = await admin([
        'add-key',
        '--id',
        dashOrgId,
        '--public-key',
        base64url.encode(dashId.publicKey),
      ]);
      expect(added.code, added.err()).toBe(0);
      const placements = await admin([
        'key-placements',
        '--key-id',
        dashId.keyId,
        '--from',
        '2020-01-01T00:00:00Z',
        '--to',
        '2100-01-01T00:00:00Z',
      ]);
      expect(placements.code, placements.err()).toBe(0);
      expect(placements.out()).toContain('0 placement(s)');
      const revoked = await admin(['revoke-key', '--key-id', dashId.keyId]);
      expect(revoked.code, revoked.err()).toBe(0);
      expect(revoked.out()).toContain(`revoked: ${dashId.keyId}`);
      // A forgotten value is named by its option; a stray value is never echoed.
      const forgot = await admin(['revoke-key', '--key-id', '--json']);
      expect(forgot.code).toBe(2);
      expect(forgot.err().split('\n')[0]).toBe(
        'sluis-server admin: --key-id needs a value (use --key-id=VALUE when the value starts with "-")',
      );
      const stray = await admin(['keys', `-${dashId.keyId}`]);
      expect(stray.code).toBe(2);
      expect(stray.err()).not.toContain(dashId.keyId.slice(1));
      expect((await admin(['suspend', '--id', orgId])).out()).toContain('suspended');
      expect((await admin(['reinstate', '--id', orgId])).code).toBe(0);
      expect((await admin(['logbook-verify'])).out()).toMatch(/logbook ok/);
      expect((await admin(['statistics', '--json'])).code).toBe(0);
      expect((await admin(['follow-up', '--days', '3'])).code).toBe(0);
      const filtered = await admin([
        'follow-up',
        '--follow-up',
        'overdue',
        '--type',
        'school',
        '--outcome',
        'client_refused',
        '--min-age-days',
        '1',
        '--max-age-days',
        '30',
        '--sort',
        'newest',
        '--limit',
        '5',
        '--all',
      ]);
      expect(filtered.code, filtered.err()).toBe(0);
      const badSort = await admin(['follow-up', '--sort', 'sideways']);
      expect(badSort.code).toBe(2);
      expect(badSort.err()).not.toContain('sideways');
      expect((await admin(['retention-run'])).out()).toMatch(/expired \d+/);

      const keyFile = join(dir, 'covenant.key');
      writeFileSync(keyFile, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
      const access = await admin(
        ['gdpr', 'access', '--pseudonym-key-file', keyFile, '--epoch', '1'],
        `${BSN}\n`,
      );
      expect(access.code).toBe(0);
      expect(access.out()).toContain('signals: 0');
      const viaFlag = await admin([
        'gdpr',
        'restrict',
        '--pseudonym-key-file',
        keyFile,
        '--epoch',
        '1',
        '--bsn',
        BSN,
      ]);
      expect(viaFlag.code).toBe(0);
      // During a key rotation every active epoch needs its key file, or the answer would be incomplete.
      expect((await admin(['register-epoch', '--epoch', '2'])).code).toBe(0);
      const keyFile2 = join(dir, 'covenant-2.key');
      writeFileSync(keyFile2, `${'cd'.repeat(32)}\n`, { mode: 0o600 });
      const partial = await admin(
        ['gdpr', 'access', '--pseudonym-key-file', keyFile, '--epoch', '1'],
        `${BSN}\n`,
      );
      expect(partial.code).toBe(2);
      expect(partial.err()).toContain('active key epoch 2 has no --pseudonym-key-file');
      const complete = await admin(
        [
          'gdpr',
          'access',
          '--pseudonym-key-file',
          keyFile,
          '--epoch',
          '1',
          '--pseudonym-key-file',
          keyFile2,
          '--epoch',
          '2',
        ],
        `${BSN}\n`,
      );
      expect(complete.code).toBe(0);
      expect(complete.out()).toContain('signals: 0');
      // An active OPRF epoch left out is named with the flag it takes (--oprf-epoch), not a key file.
      expect(
        (
          await admin([
            'register-epoch',
            '--epoch',
            '3',
            '--kind',
            'oprf',
            '--public-key=4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY',
          ])
        ).code,
      ).toBe(0);
      const withoutOprf = await admin(
        [
          'gdpr',
          'access',
          '--pseudonym-key-file',
          keyFile,
          '--epoch',
          '1',
          '--pseudonym-key-file',
          keyFile2,
          '--epoch',
          '2',
        ],
        `${BSN}\n`,
      );
      expect(withoutOprf.code).toBe(2);
      expect(withoutOprf.err()).toContain('active OPRF epoch 3 has no --oprf-epoch');
      expect(withoutOprf.err()).not.toContain('--pseudonym-key-file');
      const bad = await admin(
        ['gdpr', 'erase', '--pseudonym-key-file', keyFile, '--epoch', '1'],
        '123456789\n',
      );
      expect(bad.code).toBe(2);
      expect(bad.err()).toContain('BSN is not valid');
      // A person without a BSN (docs/protocol.md §2.2): OPRF epochs only; errors name the part, never the value.
      const withKeyFile = await admin(
        ['gdpr', 'access', '--without-bsn', '--pseudonym-key-file', keyFile, '--epoch', '1'],
        'van der Berg\n2014-03-04\nV\n',
      );
      expect(withKeyFile.code).toBe(2);
      expect(withKeyFile.err()).toContain('scheme_requires_oprf');
      const oprfFlags = [
        '--oprf-epoch',
        '2',
        '--oprf-public-key=4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY',
        '--pseudonym-service-url',
        'http://127.0.0.1:1',
      ];
      const badSurname = await admin(
        ['gdpr', 'access', '--without-bsn', ...oprfFlags],
        'Berg 2\n2014-03-04\nV\n',
      );
      expect(badSurname.code).toBe(2);
      expect(badSurname.err()).toContain('substitute_surname_invalid');
      const halfFlags = await admin(['gdpr', 'erase', '--without-bsn', ...oprfFlags, '--surname', 'Berg']);
      expect(halfFlags.code).toBe(2);
      expect(halfFlags.err()).toContain('--surname, --date-of-birth and --gender together');
      // A pseudonym service that cannot be reached: exit 3, as for the match server (operations.md).
      const serviceDown = await admin(
        ['gdpr', 'access', '--without-bsn', ...oprfFlags.map((f) => (f === '2' ? '3' : f))],
        'van der Berg\n2014-03-04\nV\n',
      );
      expect(serviceDown.err()).toContain('pseudonym service (--pseudonym-service-url) could not be reached');
      expect(serviceDown.code).toBe(3);
      for (const r of [withKeyFile, badSurname, halfFlags, serviceDown])
        expect(r.out() + r.err()).not.toMatch(/Berg|2014-03-04/);
      const unknown = await admin([BSN]);
      expect(unknown.code).toBe(2);
      for (const r of [access, viaFlag, partial, complete, bad, unknown])
        expect(r.out() + r.err()).not.toContain(BSN);
      expect(srv.out()).not.toContain(BSN);

      // logbook-export --out: a file that exists, a folder that does not, one this user may
      // not write — each named as backup names them, exit 2 (docs/operations.md "The admin CLI").
      writeFileSync(join(dir, 'exists.jsonl'), 'kept\n');
      const exists = await admin(['logbook-export', '--out', 'exists.jsonl']);
      expect(exists.code).toBe(2);
      expect(exists.err().trim()).toBe(
        `sluis-server admin: ${join(dir, 'exists.jsonl')} already exists (refusing to overwrite)`,
      );
      expect(readFileSync(join(dir, 'exists.jsonl'), 'utf8')).toBe('kept\n');
      const noFolder = await admin(['logbook-export', '--out', 'no-such-folder/log.jsonl']);
      expect(noFolder.code).toBe(2);
      expect(noFolder.err().trim()).toBe(
        `sluis-server admin: the folder ${join(dir, 'no-such-folder')} does not exist (create it first)`,
      );
      if (
        process.getuid?.() === 0 &&
        readableBy(65534, join(import.meta.dirname, '..', '..', 'bin', 'sluis-server.js'))
      ) {
        const closed = await exportAsNobody(url, join(dir, 'data', 'keys', 'admin.key'));
        expect(closed.code).toBe(2);
        expect(closed.err.trim()).toBe(
          `sluis-server admin: the folder ${closed.folder} cannot be written by this user`,
        );
      }

      // The municipality's last administrator stays (docs/api.md "People"): refused, with what to do.
      const administrator = await admin([
        'add-person',
        '--display-name',
        'Ada Beheer',
        '--role',
        'administrator',
      ]);
      const onlyAdministrator = /person id: (\S+)/.exec(administrator.out())?.[1] ?? '';
      const last = await admin(['remove-person', '--person-id', onlyAdministrator]);
      expect(last.code).toBe(1);
      expect(last.err()).toContain('refused: last_administrator');
      expect(last.err()).toContain('add another one first (add-person --role administrator)');
      const refused = await admin(['suspend', '--id', '00000000-0000-4000-8000-000000000000']);
      expect(refused.code).toBe(1);
      expect(refused.err()).toContain('refused: not_found');
      const down = captureCliIo(dir);
      expect(
        await main(['admin', 'keys', '--server', 'http://127.0.0.1:1', '--data-dir', 'data'], {}, down.io),
      ).toBe(3);
    } finally {
      srv.stop();
      expect(await running).toBe(0);
    }
  });
});

/**
 * `admin logbook-export --out` run by the built CLI as nobody (uid 65534) into a folder of
 * root's, against the server at `url`, signed with a copy of the admin key that nobody owns.
 */
async function exportAsNobody(
  url: string,
  adminKey: string,
): Promise<{ code: number | null; err: string; folder: string }> {
  const work = mkdtempSync(join(tmpdir(), 'sluis-cli-out-'));
  try {
    chmodSync(work, 0o755);
    const key = join(work, 'admin.key');
    writeFileSync(key, readFileSync(adminKey), { mode: 0o600 });
    chownSync(key, 65534, 65534);
    const folder = join(work, 'roots');
    mkdirSync(folder, { mode: 0o755 });
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'sluis-server.js');
    const child = spawn(
      process.execPath,
      [
        bin,
        'admin',
        'logbook-export',
        '--out',
        join(folder, 'log.jsonl'),
        '--server',
        url,
        '--admin-key-file',
        key,
      ],
      {
        cwd: work,
        uid: 65534,
        gid: 65534,
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    return { code, err, folder };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

describe('the built CLI as a process', () => {
  const pkg = join(import.meta.dirname, '..', '..');
  // The packages are built once by vitest's global setup (test/support/global-setup.ts).

  it('stops gracefully on SIGTERM with exit code 0', async () => {
    const child = spawn(
      process.execPath,
      [join(pkg, 'bin', 'sluis-server.js'), 'start', '--data-dir', join(dir, 'spawned'), '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_ENV: 'test' },
      },
    );
    let err = '';
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no start: ${err}`)), 15_000);
      child.stderr.on('data', (d) => {
        err += d;
        if (err.includes('listening on')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    const url = /listening on (http:\/\/\S+)/.exec(err)![1]!;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out).toContain('"event":"server_stopped"');
  });
});

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
