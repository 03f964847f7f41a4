// PostgreSQL over verified TLS with the municipality's own CA (docs/operations.md "PostgreSQL",
// "High availability" (a managed database)), on the throwaway PKI and TLS-only cluster of
// test/support/pg-tls.ts. The built `sluis-server` in real processes, no mocks:
//   - start with --database-tls verify-full --database-ca-file ca.pem on localhost: it starts,
//     an organisation places a signal, and PostgreSQL reports every connection of that instance
//     as TLS (pg_stat_ssl);
//   - the unrelated CA, no CA option at all (Node.js's bundled CA list, not the system store
//     named by SSL_CERT_FILE), and the right CA's certificate for another host name (swapped in
//     and reloaded): each refused, exit 3, tls_certificate_refused;
//   - retention with `auto` and the CA file on localhost (a CA asks for verification), and
//     migrate-store --to over the same TLS;
//   - the documented backup line, pg_dump -Fc with sslmode=verify-full and sslrootcert.
// The options refused as configuration (exit 2) are in pg-tls-configuration.test.ts. Every byte
// the processes printed is scanned for the password, the CA files' contents and the URL
// (reported by label, never by value). Skipped with the reason printed when the PostgreSQL
// binaries or the openssl CLI are missing (a failure under CI=true: global-setup, and
// test/support/pg-tls.ts).

import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, type Engine, openSqliteStore, ServerSecrets } from '@sluis/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World } from '../support/e2e-world.js';
import { type Haystack, scan } from '../support/leak-scan.js';
import { certificateRefused, outcome, pgTlsAvailable, ROLE, TlsCluster } from '../support/pg-tls.js';
import { psql, psqlValue } from '../support/postgres.js';
import { tempDir } from '../support/server-process.js';

const tls = new TlsCluster();
const world = new World();

/** `sluis-server retention` on the started server's data directory and the role's database on localhost. */
function retention(label: string, more: readonly string[]) {
  return tls.sluisServer(label, [
    'retention',
    '--data-dir',
    world.server.dataDir,
    '--database-url',
    tls.url('localhost'),
    '--database-password-file',
    tls.passwordFile,
    ...more,
  ]);
}

describe.skipIf(!pgTlsAvailable)('PostgreSQL over verified TLS with the municipality’s own CA', () => {
  beforeAll(() => tls.start(), 120_000);

  afterAll(async () => {
    await world.close();
    tls.stop();
  });

  it('starts with verify-full and the CA file, places a signal, and every connection is TLS', async () => {
    const server = await world.start({
      args: [
        '--database-url',
        tls.url('localhost'),
        '--database-password-file',
        tls.passwordFile,
        '--database-tls',
        'verify-full',
        '--database-ca-file',
        tls.ca,
      ],
    });
    const A: Org = await world.organisation('Jeugdzorg Rijnmond', 'youth_care');
    const informed = { status: 'citizen' as const, date: new Date(world.clock()).toISOString().slice(0, 10) };
    const placed = await A.client.placeSignal({ bsn: world.bsn(), contact: world.contact(), informed });
    expect(placed.signal.id).toMatch(/^[0-9a-f-]{36}$/);
    // Asked of PostgreSQL, as the superuser (the cluster's own trust line): this instance's
    // connections (application_name sluis/<host>/<pid>) and whether each is TLS.
    const pid = server.process.pid!;
    const connections = psqlValue(
      tls.cluster.url,
      `SELECT count(*) || ' ' || count(*) FILTER (WHERE s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name LIKE 'sluis/%/${pid}'`,
    );
    const [all, overTls] = connections.split(' ').map(Number);
    expect(all).toBeGreaterThan(0);
    expect(overTls).toBe(all);
    expect(
      psqlValue(tls.cluster.url.replace(/\/postgres$/, `/${ROLE}`), 'SELECT count(*) FROM signals'),
    ).toBe('1');
  }, 120_000);

  it('the cluster refuses the role without TLS (so a connection that works is a TLS one)', async () => {
    const r = await retention('retention without TLS', ['--database-tls', 'off']);
    expect(r.code, outcome(r)).toBe(3);
    expect(r.stderr).toContain('cannot be used: authentication_failed');
  }, 60_000);

  it('refuses the certificate (exit 3): an unrelated CA, and no CA option (not the system store either)', async () => {
    const common = ['--database-password-file', tls.passwordFile, '--database-tls', 'verify-full'];
    const unrelated = await tls.refusedStart('start with the unrelated CA', [
      '--database-url',
      tls.url('localhost'),
      ...common,
      '--database-ca-file',
      tls.otherCa,
    ]);
    expect(unrelated.code, outcome(unrelated)).toBe(3);
    expect(unrelated.stderr).toBe(certificateRefused);
    // No CA option: Node.js's bundled list, which does not know the test CA — and not the
    // system's store either, even where SSL_CERT_FILE (OpenSSL's system CA file) names it.
    const noCa = await tls.refusedStart(
      'start without a CA option',
      ['--database-url', tls.url('localhost'), ...common],
      { SSL_CERT_FILE: tls.ca, SSL_CERT_DIR: tls.pki },
    );
    expect(noCa.code, outcome(noCa)).toBe(3);
    expect(noCa.stderr).toBe(certificateRefused);
  }, 120_000);

  it('refuses a certificate of the right CA that names another host (exit 3)', async () => {
    // The cluster's certificate and key replaced by the same CA's certificate for
    // elsewhere.example (PostgreSQL reloads them on SIGHUP), put back afterwards.
    const swap = (from: string) => {
      for (const ext of ['pem', 'key'])
        writeFileSync(join(tls.pki, `server.${ext}`), readFileSync(join(tls.pki, `${from}.${ext}`)));
      psql(tls.cluster.url, 'SELECT pg_reload_conf()');
    };
    const original = {
      pem: readFileSync(join(tls.pki, 'server.pem')),
      key: readFileSync(join(tls.pki, 'server.key')),
    };
    writeFileSync(join(tls.pki, 'localhost.pem'), original.pem);
    writeFileSync(join(tls.pki, 'localhost.key'), original.key);
    swap('elsewhere');
    try {
      await tls.servesCertificateFor('elsewhere.example');
      const elsewhere = await tls.refusedStart('start against a certificate for another host', [
        '--database-url',
        tls.url('localhost'),
        '--database-password-file',
        tls.passwordFile,
        '--database-ca-file',
        tls.ca,
      ]);
      expect(elsewhere.code, outcome(elsewhere)).toBe(3);
      expect(elsewhere.stderr).toBe(certificateRefused);
    } finally {
      swap('localhost');
    }
    await tls.servesCertificateFor('localhost');
  }, 60_000);

  it('retention with auto and the CA file verifies on localhost too; migrate-store --to copies over TLS', async () => {
    const ran = await retention('retention with auto and the CA file', [
      '--database-ca-file',
      tls.ca,
      '--json',
    ]);
    expect(ran.code, outcome(ran)).toBe(0);
    expect(JSON.parse(ran.stdout)).toHaveProperty('ranAt');

    // A small SQLite installation, written through the engine, moved into the second database.
    const dir = tempDir('sluis-pg-tls-move-');
    try {
      const file = join(dir, 'sluis.db');
      const serverSecrets = new ServerSecrets(new Map([[1, Buffer.alloc(32, 9)]]));
      const store = openSqliteStore({ path: file });
      let engine: Engine | undefined;
      try {
        engine = await createEngine({ store, serverSecrets });
        const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string };
        await engine.admitOrganisation(
          { kind: 'admin', keyId: 'admin-key' },
          { name: 'Wijkteam Noord', type: 'youth_care', publicKeys: [jwk.x] },
        );
      } finally {
        // Zeroed after the engine that derives with them is closed, on every path (as the harnesses do:
        // the store alone when the engine did not open).
        await (engine === undefined ? store.close() : engine.close());
        serverSecrets.destroy();
      }
      const move = (caFile: string) =>
        tls.sluisServer(`migrate-store with ${caFile === tls.ca ? 'the CA' : 'the unrelated CA'}`, [
          'migrate-store',
          '--from',
          file,
          '--to',
          tls.url('localhost', `${ROLE}_moved`),
          '--database-password-file',
          tls.passwordFile,
          '--database-ca-file',
          caFile,
        ]);
      const refused = await move(tls.otherCa);
      expect(refused.code, outcome(refused)).toBe(3);
      expect(refused.stderr).toBe(certificateRefused);
      const moved = await move(tls.ca);
      expect(moved.code, outcome(moved)).toBe(0);
      expect(moved.stdout).toContain('migrate-store: done');
      expect(
        psqlValue(
          tls.cluster.url.replace(/\/postgres$/, `/${ROLE}_moved`),
          'SELECT count(*) FROM organisations',
        ),
      ).toBe('1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('the documented backup line: pg_dump -Fc with sslmode=verify-full and sslrootcert', () => {
    // As docs/operations.md "High availability" (a managed database) writes it, the password in a PGPASSFILE.
    const home = join(tls.pki, 'home');
    mkdirSync(home, { mode: 0o700 });
    const pgpass = join(home, 'pgpass');
    writeFileSync(pgpass, `localhost:${tls.cluster.port}:${ROLE}:${ROLE}:${tls.password}\n`, { mode: 0o600 });
    const dump = join(home, 'sluis.dump');
    const pgDump = (rootCert: string) =>
      spawnSync(
        join(tls.cluster.binDir, 'pg_dump'),
        [
          '-Fc',
          '-f',
          dump,
          '-d',
          `host=localhost port=${tls.cluster.port} dbname=${ROLE} user=${ROLE} sslmode=verify-full sslrootcert=${rootCert}`,
        ],
        // HOME: no ~/.postgresql of the machine's user; PGPASSFILE: the password, never an argument.
        { env: { PATH: process.env.PATH ?? '', HOME: home, PGPASSFILE: pgpass }, encoding: 'utf8' },
      );
    const wrong = pgDump(tls.otherCa);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/certificate verify failed/);
    expect(existsSync(dump) && readFileSync(dump).length > 0).toBe(false);
    const right = pgDump(tls.ca);
    expect(right.status, right.stderr.split('\n')[0]).toBe(0);
    expect(readFileSync(dump).subarray(0, 5).toString('latin1')).toBe('PGDMP');
    // The dump is whole: pg_restore lists the signals table's data in it.
    const list = execFileSync(join(tls.cluster.binDir, 'pg_restore'), ['-l', dump], { encoding: 'utf8' });
    expect(list).toMatch(/TABLE DATA public signals /);
  }, 60_000);

  it('no process printed the password, a CA file’s content or the database URL', () => {
    const needles = tls.leakNeedles();
    const haystacks: Haystack[] = [
      ...tls.printed,
      { label: 'the server process', bytes: Buffer.from(world.serverOutput.join('')) },
      { label: 'the admin CLI', bytes: Buffer.from(world.adminOutput.join('')) },
    ];
    // Positive control: the scan sees the password where it is.
    expect(scan([{ label: 'control', bytes: Buffer.from(`x${tls.password}x`) }], needles)).toHaveLength(1);
    expect(tls.printed.length).toBeGreaterThanOrEqual(7);
    expect(scan(haystacks, needles)).toEqual([]);
  });
});
