// The CLI in-process through main(argv, env, io): first-start bootstrap (files 0600,
// message once, no secret printed), bad configuration (exit 2, one line), the
// retention and backup commands — and one spawned process stopped by SIGTERM. The admin
// commands against a running server are in cli-admin.test.ts.

import { spawn } from 'node:child_process';
import {
  existsSync,
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';
import { captureCliIo } from '../testing/cli-io.js';

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
    // where the admin key's public key is, for the pseudonym service's admission (docs/keys.md §4.6)
    expect(text).toContain('public key (`sluis-server admin keys`, last column) is what the pseudonym');
    // as the data directory's owner, and runnable without an install (docs/operations.md "Install")
    // (root owns it when the server runs as root: then no sudo at all)
    expect(text).toMatch(
      process.getuid?.() === 0
        ? /\n {7}sluis-server admin admit-organisation/
        : /sudo -u \S+ sluis-server admin admit-organisation/,
    );
    expect(text).not.toContain('sudo -u root');
    expect(text).toMatch(
      /--organisation-id <id> --display-name "<their name>" --role organisation_coordinator/,
    );
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
      'retire-epoch',
      'admit-organisation',
    ];
    const at = order.map((s) => text.indexOf(s));
    expect(at.every((i) => i >= 0) && at.every((i, n) => n === 0 || i > at[n - 1]!), at.join(',')).toBe(true);
    // the admit-issuer command is quoted whole: its backtick closes after the file's path
    expect(text).toContain(
      `\`admit-issuer --public-key <the publicKey of\n     ${join(keys, 'credential-issuer.pub.json')}>\`,\n`,
    );
    expect(text).toContain('--kind oprf');
    // a portal-only installation retires HMAC epoch 1 for the portal's GDPR desk
    expect(text).toMatch(/sluis-server admin retire-epoch --server \S+ --data-dir \S+ --epoch 1\n/);
    expect(text).toContain('"The GDPR desk in the portal", step 4');
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
    expect(JSON.parse(c.out())).toMatchObject({
      expired: 0,
      purgedSignals: 0,
      purgedMatches: 0,
      expiredDeliveries: 0,
      deletedPeople: 0,
    });
    // Without --json: every count of the JSON, in words.
    const text = captureCliIo(dir);
    expect(await main(['retention', '--data-dir', 'data'], {}, text.io)).toBe(0);
    expect(text.out()).toBe(
      'retention: expired 0, purged signals 0, purged matches 0, expired webhook deliveries 0, deleted removed people 0\n',
    );
    const none = captureCliIo(dir);
    expect(await main(['retention', '--data-dir', 'nowhere'], {}, none.io)).toBe(2);
    // Not the server's data directory, named as such — never advice that makes new keys for
    // an installation that has them (docs/operations.md "An example config file").
    expect(none.err().trim()).toBe(
      `sluis-server: no keys in ${join(dir, 'nowhere', 'keys')}: give this command the data directory the server runs with (--data-dir, or the server's --config with dataDir; this one came from --data-dir) — only a new installation makes its keys, at its first start (sluis-server start, docs/operations.md "Start, and the first start")`,
    );
    const sub = join(dir, 'cron-cwd');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'no-data-dir.json'), '{"retentionIntervalSeconds": 0}');
    const byFile = captureCliIo(sub);
    expect(await main(['retention', '--config', 'no-data-dir.json'], {}, byFile.io)).toBe(2);
    expect(byFile.err()).toContain(
      `no keys in ${join(sub, 'data', 'keys')}: give this command the data directory the server runs with (--data-dir, or the server's --config with dataDir; this command was given none, so it used the default, ./data in the working directory)`,
    );
    expect(existsSync(join(sub, 'data'))).toBe(false);
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
describe('the built CLI as a process', () => {
  const pkg = join(import.meta.dirname, '..', '..');
  // The packages are built once by vitest's global setup (test/support/global-setup.ts).

  // A refused term stops the first start before it writes keys/ or sluis.db, with the bound
  // named (docs/operations.md "Start, and the first start").
  it('refuses a term out of bounds before anything is written', async () => {
    const cases: [string[], string][] = [
      [
        ['--logbook-retention-days', '100'],
        'logbookRetentionDays (from --logbook-retention-days) must be at least 2556 (the active term 730 plus the archive term 1826 days',
      ],
      [
        ['--active-term-days', '10', '--archive-term-days', '5', '--logbook-retention-days', '14'],
        'logbookRetentionDays (from --logbook-retention-days) must be at least 15',
      ],
      [['--archive-term-days', '1828'], 'archiveTermDays (from --archive-term-days) must be at most 1827'],
    ];
    for (const [i, [flags, message]] of cases.entries()) {
      const data = join(dir, `refused-${i}`);
      mkdirSync(data, { mode: 0o700 });
      const child = spawn(
        process.execPath,
        [join(pkg, 'bin', 'sluis-server.js'), 'start', '--data-dir', data, '--port', '0', ...flags],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'test' } },
      );
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
      });
      const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      expect(code, flags.join(' ')).toBe(2);
      expect(err).toContain(message);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(readdirSync(data), flags.join(' ')).toEqual([]);
    }
  }, 120_000);

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
