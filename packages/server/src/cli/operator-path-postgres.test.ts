// The operator's path on PostgreSQL (docs/operations.md "Moving to PostgreSQL", "High
// availability", "The database URL"), in-process through main() on a real PostgreSQL
// (test/support/postgres.ts): a data directory whose server runs on PostgreSQL is never worked
// on as SQLite; an instance on a shared store never mints its own credential-issuer key and is
// refused with keys of its own; a database that cannot be used is named by a code, never with
// its password; and the PG* environment variables change nothing. The SQLite part and the
// commands run as other users are in operator-path.test.ts.

import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import {
  connectionRefused,
  createDatabase,
  findPostgresBinaries,
  type PostgresCluster,
  psql,
  reloadConfiguration,
  startPostgres,
} from '../../../../test/support/postgres.js';
import { freshPort } from '../../../../test/support/ports.js';
import { captureCliIo } from '../testing/cli-io.js';
import { main } from './main.js';
import { operatorCommands } from './operator-path.test-util.js';

const url = inject('postgresUrl');

let dir: string;
let dbName: string | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluis-operator-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (dbName !== undefined) psql(url, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
});
const { run, startOnce, expectNoKeyMaterial } = operatorCommands(() => dir);

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
    // Without a password the role gets in now (trust) and is refused once the line is in force.
    const pwRole = `postgres://sluis_pw@127.0.0.1:${cluster.port}/sluis_pw_db`;
    expect(connectionRefused(pwRole)).toBe(false);
    writeFileSync(hba, `host all sluis_pw 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`);
    await reloadConfiguration(cluster.url, () => connectionRefused(pwRole));
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
    const closed = await freshPort(); // nothing listens there (test/support/ports.ts)
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
