// The operator's path through the maintenance commands (docs/operations.md "Retention",
// "Moving to PostgreSQL", "High availability"), in-process through main() on real files and
// a real PostgreSQL (test/support/postgres.ts): a command that opens an existing database
// never creates one; a data directory whose server runs on PostgreSQL is never worked on as
// SQLite; a command run as another user (root) refuses before it leaves files the service
// user cannot use; the database password file is read like a key file; and an instance on a
// shared store never mints its own credential-issuer key.

import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import {
  createDatabase,
  findPostgresBinaries,
  freePort,
  type PostgresCluster,
  psql,
  startPostgres,
} from '../../../../test/support/postgres.js';
import { captureCliIo } from '../testing/cli-io.js';
import { main } from './main.js';

const url = inject('postgresUrl');
const asRoot = process.platform !== 'win32' && process.getuid?.() === 0;
/** nobody on Debian: an owner that is not the user running the tests. */
const OTHER_UID = 65534;

let dir: string;
let dbName: string | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluis-operator-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (dbName !== undefined) psql(url, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
});

async function run(argv: string[], env: Record<string, string> = {}) {
  const c = captureCliIo(dir);
  const code = await main(argv, env, c.io);
  return { code, out: c.out(), err: c.err() };
}

/** Starts and stops a server, as the first start of a data directory does. */
async function startOnce(argv: string[]): Promise<{ code: number; err: string }> {
  const c = captureCliIo(dir);
  const running = main(['start', '--port', '0', ...argv], {}, c.io);
  const started = await Promise.race([c.waitStarted().then(() => true), running.then(() => false)]);
  if (started) c.stop();
  return { code: await running, err: c.err() };
}

/** docs/keys.md §2.2 "Check values": HMAC-SHA-256(secret, lp("sluis/server-secret-check/v1") ‖ u32be(g)). */
function checkValue(secret: Buffer, generation: number): Buffer {
  const label = Buffer.from('sluis/server-secret-check/v1');
  const g = Buffer.alloc(4);
  g.writeUInt32BE(generation);
  return createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from([0, label.length]), label, g]))
    .digest();
}

/** Neither a server secret of `dataDirs` nor its check value, in any encoding, is in `text`. */
function expectNoKeyMaterial(text: string, dataDirs: readonly string[]): void {
  for (const d of dataDirs) {
    const keys = join(dir, d, 'keys');
    for (const f of readdirSync(keys).filter((n) => /^server-secret-[0-9]+\.key$/.test(n))) {
      const secret = Buffer.from(readFileSync(join(keys, f), 'utf8').trim(), 'base64url');
      const g = Number(/[0-9]+/.exec(f)![0]);
      for (const v of [secret, checkValue(secret, g)])
        for (const enc of ['base64url', 'base64', 'hex'] as const)
          expect(text).not.toContain(v.toString(enc));
    }
  }
}

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

describe.skipIf(url === '')('a data directory whose server runs on PostgreSQL', () => {
  it('is never worked on as SQLite; a second instance without the issuer key refuses to start', async () => {
    dbName = `sluis_operator${process.pid}`;
    const target = createDatabase(url, dbName);
    // The installation began on SQLite (a sluis.db with a signal-free store), then moved.
    expect((await startOnce(['--data-dir', 'moved'])).code).toBe(0);
    const first = await startOnce(['--data-dir', 'moved', '--database-url', target]);
    expect(first.code).toBe(0);
    expect(existsSync(join(dir, 'moved', 'store.json'))).toBe(true);

    const record = join(dir, 'moved', 'store.json');
    const stale = await run(['retention', '--data-dir', 'moved', '--json']);
    expect(stale.code).toBe(2);
    expect(stale.out).toBe('');
    expect(stale.err).toContain(`this data directory's server runs on PostgreSQL (${record})`);
    const backup = await run(['backup', '--data-dir', 'moved', '--to', 'stale.db']);
    expect(backup.code).toBe(2);
    expect(existsSync(join(dir, 'stale.db'))).toBe(false);
    const sqliteStart = await startOnce(['--data-dir', 'moved']);
    expect(sqliteStart.code).toBe(2);
    expect(sqliteStart.err).toContain('runs on PostgreSQL');
    // With the server's store options it runs, on PostgreSQL.
    const ok = await run(['retention', '--data-dir', 'moved', '--database-url', target, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ expired: 0, purgedSignals: 0 });
    writeFileSync(join(dir, 'pg.json'), JSON.stringify({ dataDir: 'moved', databaseUrl: target }));
    expect((await run(['retention', '--config', 'pg.json', '--json'])).code).toBe(0);

    // A second instance whose keys were copied without credential-issuer.key.
    cpSync(join(dir, 'moved', 'keys'), join(dir, 'second', 'keys'), { recursive: true });
    for (const f of ['credential-issuer.key', 'credential-issuer.pub.json'])
      rmSync(join(dir, 'second', 'keys', f));
    const second = await startOnce(['--data-dir', 'second', '--database-url', target]);
    expect(second.code).toBe(2);
    expect(second.err).toContain(
      `${join(dir, 'second', 'keys', 'credential-issuer.key')} is missing: on PostgreSQL every instance must use the same credential-issuer key`,
    );
    expect(existsSync(join(dir, 'second', 'keys', 'credential-issuer.key'))).toBe(false);
    // Made on purpose (where no instance has one yet): once, never over an existing file.
    const made = await run(['credential-issuer-key', '--data-dir', 'second']);
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/^credential-issuer key \S+ written to .*credential-issuer\.key \(0600\)/);
    expect(made.out).not.toContain('PRIVATE KEY');
    expect(existsSync(join(dir, 'second', 'keys', 'credential-issuer.pub.json'))).toBe(true);
    const twice = await run(['credential-issuer-key', '--data-dir', 'second']);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('already exists (refusing to overwrite)');
    for (const f of ['credential-issuer.key', 'credential-issuer.pub.json'])
      rmSync(join(dir, 'second', 'keys', f));
    // With the copied key it starts.
    cpSync(
      join(dir, 'moved', 'keys', 'credential-issuer.key'),
      join(dir, 'second', 'keys', 'credential-issuer.key'),
    );
    expect((await startOnce(['--data-dir', 'second', '--database-url', target])).code).toBe(0);
  });
});

describe.skipIf(url === '')('instances on one PostgreSQL database', () => {
  const name = `sluis_instances${process.pid}`;
  afterAll(() => psql(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  it('a second instance with keys of its own is refused, as is one without the webhook key; with copied keys it starts', async () => {
    const db = createDatabase(url, name);
    expect((await startOnce(['--data-dir', 'ha-a', '--database-url', db])).code).toBe(0);
    // A new data directory makes its own server-secret-1.key: refused, naming the file.
    const second = await startOnce(['--data-dir', 'ha-b', '--database-url', db]);
    expect(second.code).toBe(2);
    expect(second.err.trim().split('\n')).toEqual([
      `sluis-server: ${join(dir, 'ha-b', 'keys', 'server-secret-1.key')} is not the server secret this database was written with (its check value differs from the one the database records, docs/keys.md §2.2); its data directory came from --data-dir: every instance and every restore must use the key files that belong to the database — copy the keys directory from an instance that runs on it, or restore the key backup made with it; refusing to start`,
    ]);
    expectNoKeyMaterial(second.err, ['ha-a', 'ha-b']);
    // The keys copied without the webhook signing key: refused rather than made.
    rmSync(join(dir, 'ha-b', 'keys'), { recursive: true });
    cpSync(join(dir, 'ha-a', 'keys'), join(dir, 'ha-b', 'keys'), { recursive: true });
    rmSync(join(dir, 'ha-b', 'keys', 'webhook-signing.key'));
    const noWebhookKey = await startOnce(['--data-dir', 'ha-b', '--database-url', db]);
    expect(noWebhookKey.code).toBe(2);
    expect(noWebhookKey.err.trim().split('\n')).toEqual([
      `sluis-server: ${join(dir, 'ha-b', 'keys', 'webhook-signing.key')} is missing: on PostgreSQL every instance must sign webhooks with the same key, so only a new data directory makes one — copy the webhook-signing key files and webhook-keys.json from an instance that runs on this database (docs/operations.md "High availability")`,
    ]);
    expect(existsSync(join(dir, 'ha-b', 'keys', 'webhook-signing.key'))).toBe(false);
    cpSync(
      join(dir, 'ha-a', 'keys', 'webhook-signing.key'),
      join(dir, 'ha-b', 'keys', 'webhook-signing.key'),
    );
    expect((await startOnce(['--data-dir', 'ha-b', '--database-url', db])).code).toBe(0);
    // A generation the database records (a rotation through another instance) whose file is missing.
    psql(
      db,
      'INSERT INTO secret_rotations (generation, started_at, completed_at, max_signal, cursor, rows_rekeyed, hashes_rekeyed) VALUES (2, 0, NULL, 0, 0, 0, 0)',
    );
    const behind = await startOnce(['--data-dir', 'ha-b', '--database-url', db]);
    expect(behind.code).toBe(2);
    expect(behind.err.trim().split('\n')).toEqual([
      `sluis-server: ${join(dir, 'ha-b', 'keys', 'server-secret-2.key')} is missing, but the database records its generation: every instance needs every server-secret generation — copy it from the instance that rotated, or restore it from the key backup (docs/keys.md §4.2); refusing to start`,
    ]);
    // A new data directory on that database: refused for its own generation 1, which is not the
    // database's (compared before the generation it lacks is looked for), so it is told to copy
    // the whole keys directory (docs/operations.md "High availability"), never the next file; no
    // key value named. Started again (systemd Restart=on-failure, or the operator retries), when
    // its keys exist already: the same line.
    const foreign = `sluis-server: ${join(dir, 'ha-c', 'keys', 'server-secret-1.key')} is not the server secret this database was written with (its check value differs from the one the database records, docs/keys.md §2.2); its data directory came from --data-dir: every instance and every restore must use the key files that belong to the database — copy the keys directory from an instance that runs on it, or restore the key backup made with it; refusing to start`;
    const fresh = await startOnce(['--data-dir', 'ha-c', '--database-url', db]);
    expect(fresh.code).toBe(2);
    expect(fresh.err.trim().split('\n')).toEqual([foreign]);
    const again = await startOnce(['--data-dir', 'ha-c', '--database-url', db]);
    expect(again.code).toBe(2);
    expect(again.err.trim().split('\n')).toEqual([foreign]);
    expectNoKeyMaterial(again.err, ['ha-a', 'ha-c']);
    expectNoKeyMaterial(fresh.err, ['ha-a', 'ha-c']);
  });
});

describe.skipIf(url === '')('a PostgreSQL database that cannot be used', () => {
  let cluster: PostgresCluster | undefined;
  afterAll(() => cluster?.stop());

  it('names the cause as a code — unreachable, TLS refused, authentication failed — never the password', async () => {
    cluster = await startPostgres(findPostgresBinaries()!);
    // A role that must give a password (scram-sha-256) before the cluster's trust lines.
    psql(cluster.url, "CREATE ROLE sluis_pw LOGIN PASSWORD 'right-password'");
    psql(cluster.url, 'CREATE DATABASE sluis_pw_db OWNER sluis_pw');
    const hba = join(cluster.dataDir, 'pg_hba.conf');
    writeFileSync(hba, `host all sluis_pw 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`);
    psql(cluster.url, 'SELECT pg_reload_conf()');
    expect((await startOnce(['--data-dir', 'pgdiag'])).code).toBe(0);
    const pwFile = join(dir, 'pg-password');
    writeFileSync(pwFile, 'wrong-password\n', { mode: 0o600 });
    const pwUrl = `postgres://sluis_pw@127.0.0.1:${cluster.port}/sluis_pw_db`;
    const common = ['retention', '--data-dir', 'pgdiag', '--database-password-file', pwFile];

    const wrong = await run([...common, '--database-url', pwUrl]);
    expect(wrong.code).toBe(3);
    expect(wrong.err.trim()).toBe(
      'sluis-server: the PostgreSQL database cannot be used: authentication_failed (the server refused the user or the password: check the URL and the password file)',
    );
    // An empty password is refused at start, exit 2 (ops/postgres-store.ts), never replaced
    // by PGPASSWORD: postgres.js did so, here with the right one, and the command ran.
    vi.stubEnv('PGPASSWORD', 'right-password');
    vi.stubEnv('SLUIS_DATABASE_PASSWORD', '');
    const empty = await run(['retention', '--data-dir', 'pgdiag', '--database-url', pwUrl]).finally(() =>
      vi.unstubAllEnvs(),
    );
    expect(empty.err.trim()).toBe(
      'sluis-server: invalid configuration: SLUIS_DATABASE_PASSWORD (from the environment) is set but empty: set the PostgreSQL password (or, where the server asks for none, give no password: no --database-password-file, SLUIS_DATABASE_PASSWORD or PGPASSWORD)',
    );
    expect(empty.code).toBe(2);
    // By name: verify-full refuses an IP address at the configuration (config-validation.ts).
    const tls = await run([
      ...common,
      '--database-url',
      `postgres://sluis_pw@localhost:${cluster.port}/sluis_pw_db`,
      '--database-tls',
      'verify-full',
    ]);
    expect(tls.code).toBe(3);
    expect(tls.err).toContain('cannot be used: tls_refused');
    const closed = await freePort();
    const down = await run([...common, '--database-url', `postgres://sluis_pw@127.0.0.1:${closed}/postgres`]);
    expect(down.code).toBe(3);
    expect(down.err).toContain('cannot be used: unreachable');
    writeFileSync(pwFile, 'right-password\n');
    const missingDb = await run([
      ...common,
      '--database-url',
      `postgres://sluis_pw@127.0.0.1:${cluster.port}/no_such_db`,
    ]);
    expect(missingDb.code).toBe(3);
    expect(missingDb.err).toContain('cannot be used: database_not_found');
    // With the right password it runs.
    const ok = await run([...common, '--database-url', pwUrl, '--json']);
    expect(ok.code).toBe(0);
    for (const r of [wrong, empty, tls, down, missingDb])
      expect(r.err).not.toMatch(/wrong-password|right-password|sluis_pw|127\.0\.0\.1|localhost/);
  });
});

describe.skipIf(url === '')('the PG* environment variables', () => {
  const name = `sluis_pgenv${process.pid}`;
  let db: string;
  beforeAll(async () => {
    db = createDatabase(url, name);
    expect((await startOnce(['--data-dir', 'pgenv'])).code).toBe(0);
  });
  afterEach(() => vi.unstubAllEnvs());
  afterAll(() => psql(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  /** Whether something accepts a TCP connection on 127.0.0.1:`port`. */
  const listening = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = netConnect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });

  /**
   * `start`, given `ms` to end by itself: one that serves instead (it connected where the
   * environment said) is stopped and fails the test, as does one still starting then.
   */
  async function startEnds(argv: string[], ms: number): Promise<{ code: number; err: string }> {
    const c = captureCliIo(dir);
    let ended = false;
    const running = main(['start', '--port', '0', ...argv], {}, c.io).finally(() => {
      ended = true;
    });
    const until = Date.now() + ms;
    while (!ended && !c.err().includes('listening on') && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
    }
    if (!ended) {
      const served = c.err().includes('listening on');
      c.stop();
      await Promise.race([running, new Promise((r) => setTimeout(r, 5000))]);
      throw new Error(served ? 'start served instead of ending' : `start did not end within ${ms} ms`);
    }
    return { code: await running, err: c.err() };
  }

  it('leave a URL with a port as it is: PGTARGETSESSIONATTRS and PGMAX_LIFETIME, which postgres.js read, change nothing', async () => {
    // Each was read by postgres.js before the store passed its own value (pg-connect.ts);
    // PGHOST, PGPORT, PGDATABASE and PGSSLNEGOTIATION could not change this run (the URL names
    // the host, port and database; no TLS on loopback): pg-connect.test.ts covers them all.
    // The cluster is no standby: read, this refused every connection to it (exit 3).
    vi.stubEnv('PGTARGETSESSIONATTRS', 'standby');
    // Read, this closed each connection a millisecond after it opened: alone, retention then
    // never ended (the test's timeout).
    vi.stubEnv('PGMAX_LIFETIME', '0.001');
    const ok = await run(['retention', '--data-dir', 'pgenv', '--database-url', db, '--json']);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
  });

  it('a URL without a port is 5432 whatever PGPORT says (where the diagnosis probes)', async (ctx) => {
    // postgres.js would read PGPORT for a host without a port; sluis passes 5432. Needs 5432
    // free here: a server there would answer the portless URL (skipped, with this reason).
    if (await listening(5432)) ctx.skip('something listens on 127.0.0.1:5432');
    const cluster = new URL(url);
    const portless = db.replace(`:${cluster.port}/`, '/');
    expect(portless).not.toContain(cluster.port);
    vi.stubEnv('PGPORT', cluster.port);
    const unreachable =
      'sluis-server: the PostgreSQL database cannot be used: unreachable (no connection to the host and port of the URL, 5432 where it names none)';
    // Read, PGPORT let the start connect and serve: bounded, so that fails instead of hanging.
    const start = await startEnds(['--data-dir', 'pgenv', '--database-url', portless], 15_000);
    expect(start.err.trim()).toBe(unreachable);
    expect(start.code).toBe(3);
    const retention = await run(['retention', '--data-dir', 'pgenv', '--database-url', portless]);
    expect(retention.err.trim()).toBe(unreachable);
    expect(retention.code).toBe(3);
  });
});
