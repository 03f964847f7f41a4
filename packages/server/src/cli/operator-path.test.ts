// The operator's path through the maintenance commands (docs/operations.md "Retention",
// "Moving to PostgreSQL", "The admin CLI"), in-process through main() on real files: a command
// that opens an existing database never creates one; an SQLite database is refused with another
// installation's keys; a command run as another user (root) refuses before it leaves files the
// service user cannot use; the database password file is read like a key file. The PostgreSQL
// part of the path is in operator-path-postgres.test.ts.

import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorCommands } from './operator-path.test-util.js';

const asRoot = process.platform !== 'win32' && process.getuid?.() === 0;
/** nobody on Debian: an owner that is not the user running the tests. */
const OTHER_UID = 65534;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluis-operator-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
const { run, startOnce, expectNoKeyMaterial } = operatorCommands(() => dir);

describe('sluis-server retention and backup on SQLite', () => {
  it('a data directory with keys but no database: refused, and no database is created', async () => {
    expect((await startOnce(['--data-dir', 'keys-only'])).code).toBe(0);
    rmSync(join(dir, 'keys-only', 'sluis.db'));
    for (const f of ['sluis.db-wal', 'sluis.db-shm']) rmSync(join(dir, 'keys-only', f), { force: true });
    const r = await run(['retention', '--data-dir', 'keys-only', '--json']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toEqual([
      `sluis-server: database ${join(dir, 'keys-only', 'sluis.db')} does not exist; this command opens an existing database only (a server on PostgreSQL: give it the server's --config or --database-url)`,
    ]);
    expect(readdirSync(join(dir, 'keys-only')).filter((f) => f.startsWith('sluis.db'))).toEqual([]);
    const b = await run(['backup', '--data-dir', 'keys-only', '--to', 'keys-only.db']);
    expect(b.code).toBe(1);
    expect(readdirSync(join(dir, 'keys-only')).filter((f) => f.startsWith('sluis.db'))).toEqual([]);
  });

  it('start on a data directory with keys but no database: refused, none made; --new-database makes one', async () => {
    expect((await startOnce(['--data-dir', 'lost'])).code).toBe(0);
    for (const f of ['sluis.db', 'sluis.db-wal', 'sluis.db-shm'])
      rmSync(join(dir, 'lost', f), { force: true });
    const refused = await startOnce(['--data-dir', 'lost']);
    expect(refused.code).toBe(2);
    expect(refused.err.trim().split('\n')).toEqual([
      `sluis-server: database ${join(dir, 'lost', 'sluis.db')} does not exist, but this data directory holds the keys of an installation: a start would make an empty database, and a lost database would look like a fresh start — restore the database from its backup (docs/operations.md "Back up and restore"); a server on PostgreSQL: give it the server's --config or --database-url; to begin an empty database with these keys on purpose, start once with --new-database`,
    ]);
    expect(readdirSync(join(dir, 'lost')).filter((f) => f.startsWith('sluis.db'))).toEqual([]);
    const fresh = await startOnce(['--data-dir', 'lost', '--new-database']);
    expect(fresh.code).toBe(0);
    expect(existsSync(join(dir, 'lost', 'sluis.db'))).toBe(true);
    // From then on an ordinary start.
    expect((await startOnce(['--data-dir', 'lost'])).code).toBe(0);
  });

  it('an SQLite database opened with another installation’s keys is refused; with its own it starts', async () => {
    expect((await startOnce(['--data-dir', 'site-a'])).code).toBe(0);
    expect((await startOnce(['--data-dir', 'site-b'])).code).toBe(0);
    // site-a's database restored beside site-b's keys (a backup restored into the wrong data directory).
    cpSync(join(dir, 'site-a', 'sluis.db'), join(dir, 'site-b', 'sluis.db'));
    for (const f of ['sluis.db-wal', 'sluis.db-shm']) rmSync(join(dir, 'site-b', f), { force: true });
    const refused = await startOnce(['--data-dir', 'site-b']);
    expect(refused.code).toBe(2);
    expect(refused.err.trim().split('\n')).toEqual([
      `sluis-server: ${join(dir, 'site-b', 'keys', 'server-secret-1.key')} is not the server secret this database was written with (its check value differs from the one the database records, docs/keys.md §2.2); its data directory came from --data-dir: every instance and every restore must use the key files that belong to the database — copy the keys directory from an instance that runs on it, or restore the key backup made with it; refusing to start`,
    ]);
    expectNoKeyMaterial(refused.err, ['site-a', 'site-b']);
    rmSync(join(dir, 'site-b', 'keys'), { recursive: true });
    cpSync(join(dir, 'site-a', 'keys'), join(dir, 'site-b', 'keys'), { recursive: true });
    expect((await startOnce(['--data-dir', 'site-b'])).code).toBe(0);
  });

  it('migrate-store --to with a password is refused naming --to, not --database-url', async () => {
    const r = await run([
      'migrate-store',
      '--from',
      join(dir, 'keys-only', 'sluis.db'),
      '--to',
      'postgres://sluis:hunter2secret@db.example.nl:5432/sluis',
    ]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(
      'sluis-server: migrate-store: the URL of --to holds a password: give the URL without one, and the password in --database-password-file (docs/operations.md "PostgreSQL")',
    );
    expect(r.err).not.toContain('hunter2secret');
  });

  it('a URL with a password in --database is refused naming --database and the password file', async () => {
    const r = await run([
      'retention',
      '--data-dir',
      'keys-only',
      '--database',
      'postgres://sluis:hunter2secret@db.example.nl:5432/sluis',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('databaseUrl (from --database) holds a password');
    expect(r.err).toContain('--database-password-file');
    expect(r.err).not.toContain('hunter2secret');
  });
});

describe.skipIf(!asRoot)('a command run as another user than the data directory’s owner', () => {
  it('retention, backup and migrate-store refuse, naming the owner, and leave no file behind', async () => {
    expect((await startOnce(['--data-dir', 'owned'])).code).toBe(0);
    const data = join(dir, 'owned');
    const before = readdirSync(data).sort();
    const chownAll = (uid: number) => {
      chownSync(data, uid, uid);
      for (const f of readdirSync(data)) chownSync(join(data, f), uid, uid);
    };
    chownAll(OTHER_UID);
    try {
      const r = await run(['retention', '--data-dir', 'owned', '--json']);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/belongs to (nobody|uid 65534), not to root who runs this command: run it as/);
      const b = await run(['backup', '--data-dir', 'owned', '--to', 'owned-backup.db']);
      expect(b.code).toBe(2);
      expect(b.err).toContain(`${join(data, 'sluis.db')} belongs to`);
      expect(existsSync(join(dir, 'owned-backup.db'))).toBe(false);
      const m = await run([
        'migrate-store',
        '--from',
        join(data, 'sluis.db'),
        '--to',
        'postgres://sluis@127.0.0.1:1/none',
      ]);
      expect(m.code).toBe(2);
      expect(m.err).toContain(`${join(data, 'sluis.db')} belongs to`);
      expect(readdirSync(data).sort()).toEqual(before);
    } finally {
      chownAll(0);
    }
    // A -shm left by root earlier is named too (it is what stops the server: database_read_only).
    writeFileSync(join(data, 'sluis.db-shm'), '');
    chownSync(join(data, 'sluis.db-shm'), OTHER_UID, OTHER_UID);
    const shm = await run(['retention', '--data-dir', 'owned']);
    expect(shm.code).toBe(2);
    expect(shm.err).toContain(`${join(data, 'sluis.db-shm')} belongs to`);
    rmSync(join(data, 'sluis.db-shm'));
  });

  it('the database password file is read like a key file: 0600 and ours', async () => {
    const file = join(dir, 'db-password');
    const common = ['--data-dir', 'owned', '--database-url', 'postgres://sluis@127.0.0.1:1/none'];
    const missing = await run(['retention', ...common, '--database-password-file', file]);
    expect(missing.code).toBe(2);
    expect(missing.err.trim()).toBe(`sluis-server: key file ${file} does not exist`);
    writeFileSync(file, 'hunter2secret\n', { mode: 0o644 });
    const open = await run(['retention', ...common, '--database-password-file', file]);
    expect(open.code).toBe(2);
    expect(open.err).toContain('is readable by group or others');
    chownSync(file, OTHER_UID, OTHER_UID);
    const foreign = await run(['retention', ...common, '--database-password-file', file]);
    expect(foreign.code).toBe(2);
    expect(foreign.err).toContain(`key file ${file} belongs to`);
    for (const r of [missing, open, foreign]) expect(r.err).not.toContain('hunter2secret');
  });
});

describe('the admin key file (docs/operations.md "The admin CLI")', () => {
  it('a missing one is named, with where its default path comes from', async () => {
    const r = await run(['admin', 'organisations', '--data-dir', 'no-such-data']);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(
      `sluis-server admin: key file ${join(dir, 'no-such-data', 'keys', 'admin.key')} does not exist (give the server's data directory: --data-dir, or the server's --config with dataDir; this one came from --data-dir; on a workstation, --admin-key-file with your copy of the key)`,
    );
    // A config file without dataDir: the refusal says the default ./data was used, the usual
    // cause (docs/operations.md "An example config file"), and never to make keys.
    writeFileSync(join(dir, 'no-data-dir.json'), '{"port": 8080}');
    const byFile = await run(['admin', 'organisations', '--config', 'no-data-dir.json']);
    expect(byFile.code).toBe(2);
    expect(byFile.err.trim()).toBe(
      `sluis-server admin: key file ${join(dir, 'data', 'keys', 'admin.key')} does not exist (give the server's data directory: --data-dir, or the server's --config with dataDir; this command was given none, so it used the default, ./data in the working directory; on a workstation, --admin-key-file with your copy of the key)`,
    );
    const given = await run(['admin', 'organisations', '--admin-key-file', 'no-such.key']);
    expect(given.err.trim()).toBe(`sluis-server admin: key file ${join(dir, 'no-such.key')} does not exist`);
  });
});

// The built CLI run as a user without root's rights (spawned with another uid), as an operator
// runs `sluis-server admin` on a server's data directory.
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
const serverBin = join(import.meta.dirname, '..', '..', 'bin', 'sluis-server.js');

describe.skipIf(!asRoot || !readableBy(OTHER_UID, serverBin))(
  'an admin command run as a user who may not read the admin key',
  () => {
    const bin = serverBin;
    function adminAs(uid: number, dataDir: string) {
      const r = spawnSync(process.execPath, [bin, 'admin', 'organisations', '--data-dir', dataDir], {
        cwd: dir,
        uid,
        gid: uid,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '' },
      });
      return { code: r.status, err: r.stderr.trim() };
    }
    /** `<name>/keys/admin.key`, 0600, in folders anyone may enter: only the file is closed. */
    function keyFile(name: string): string {
      const keys = join(dir, name, 'keys');
      mkdirSync(keys, { recursive: true });
      const file = join(keys, 'admin.key');
      writeFileSync(file, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
      return file;
    }

    it('a key file of root’s is named with its owner, and given back with chown', () => {
      chmodSync(dir, 0o755);
      const file = keyFile('root-key');
      const r = adminAs(OTHER_UID, join(dir, 'root-key'));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        new RegExp(
          `^sluis-server admin: key file ${file} belongs to root, not to (nobody|uid 65534) who runs this command: a file root left behind must be given back to the service user: sudo chown (nobody|uid 65534) ${file} `,
        ),
      );
      expect(r.err).not.toContain('run it as root');
    });

    it('a data directory closed to this user names the directory and its owner', () => {
      chmodSync(dir, 0o755);
      keyFile('service-data');
      const data = join(dir, 'service-data');
      for (const p of [data, join(data, 'keys'), join(data, 'keys', 'admin.key')])
        chownSync(p, OTHER_UID, OTHER_UID);
      chmodSync(data, 0o700);
      // daemon (uid 1) is not the owner, nobody is: run it as nobody
      const r = adminAs(1, data);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        new RegExp(
          `^sluis-server admin: ${data} belongs to (nobody|uid 65534), not to (daemon|uid 1) who runs this command: run it as (nobody|uid 65534) \\(sudo -u`,
        ),
      );
    });
  },
);
