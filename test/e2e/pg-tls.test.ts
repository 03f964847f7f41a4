// PostgreSQL over verified TLS with the municipality's own CA (docs/operations.md "PostgreSQL",
// "High availability" (a managed database)): a throwaway CA and a certificate for `localhost`
// made with the openssl CLI, a second CA that signed nothing of this cluster, and a PostgreSQL
// cluster with ssl=on that lets the test's role in over TLS only (hostssl scram-sha-256;
// hostnossl reject). The built `sluis-server` in real processes, no mocks:
//   - start with --database-tls verify-full --database-ca-file ca.pem on localhost: it starts,
//     an organisation places a signal, and PostgreSQL reports every connection of that instance
//     as TLS (pg_stat_ssl);
//   - the unrelated CA, no CA option at all (Node.js's bundled CA list, not the system store
//     named by SSL_CERT_FILE), and the right CA's certificate for another host name (swapped in
//     and reloaded): each refused, exit 3, tls_certificate_refused;
//   - verify-full on the address 127.0.0.1: refused as configuration, exit 2 (postgres.js would
//     have Node.js check the certificate against the name localhost: it let this one in);
//   - a missing or non-PEM CA file: the configuration refusal, exit 2, before keys/ is made;
//   - the cluster's own certificate as the CA file: a TLS connection to the cluster with it alone
//     fails (no root), and the start refuses it as configuration, exit 2;
//   - retention with `auto` and the CA file on localhost (a CA asks for verification), and
//     migrate-store --to over the same TLS;
//   - the documented backup line, pg_dump -Fc with sslmode=verify-full and sslrootcert.
// Every byte the processes printed is scanned for the password, the CA files' contents and the
// URL (reported by label, never by value). Skipped with the reason printed when the PostgreSQL
// binaries or the openssl CLI are missing (a failure under CI=true: global-setup, and below).

import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { type ConnectionOptions, connect as tlsConnect, type TLSSocket } from 'node:tls';
import { createEngine, openSqliteStore, ServerSecrets } from '@sluis/engine';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Org, World } from '../support/e2e-world.js';
import { type Haystack, type Needle, bytesNeedles, scan, textNeedle } from '../support/leak-scan.js';
import {
  findPostgresBinaries,
  type PostgresCluster,
  psql,
  psqlValue,
  startPostgres,
} from '../support/postgres.js';
import { type CliResult, runCli, SERVER_CLI, tempDir } from '../support/server-process.js';

/** The openssl CLI makes the throwaway PKI; .ci/run installs it, so under CI=true its absence fails. */
const opensslFound = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
if (!opensslFound) {
  if (process.env.CI === 'true') {
    throw new Error('the PostgreSQL TLS tests need the openssl CLI (apt-get install openssl)');
  }
  console.warn('skipping the PostgreSQL TLS tests: no openssl CLI (apt-get install openssl)');
}
/** PostgreSQL (global-setup) and openssl both there. */
const available = inject('postgresUrl') !== '' && opensslFound;
const ROLE = 'sluis_tls';

let pki: string;
let cluster: PostgresCluster;
let password: string;
let passwordFile: string;
/** The throwaway CA that signed the cluster's certificate, and one that signed nothing of it. */
let ca: string;
let otherCa: string;
const world = new World();
/** Every byte a process of this suite printed, for the leak scan. */
const printed: Haystack[] = [];

const isRoot = () => process.getuid?.() === 0;

function openssl(args: readonly string[]): void {
  execFileSync('openssl', args, { cwd: pki, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA (key and self-signed certificate) and, with `server`, a certificate for `localhost` it signs. */
function makePki(): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=sluis test CA',
  ]);
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'other.key',
    '-out',
    'other.pem',
    '-days',
    '2',
    '-subj',
    '/CN=unrelated CA',
  ]);
  const sign = (name: string, host: string) => {
    openssl(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${host}`]);
    writeFileSync(
      join(pki, `${name}.ext`),
      `subjectAltName=DNS:${host}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`,
    );
    openssl(
      ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'].concat([
        '-out',
        `${name}.pem`,
        '-days',
        '2',
        '-extfile',
        `${name}.ext`,
      ]),
    );
  };
  // The cluster's certificate, and one of the same CA for another name (swapped in to test the name check).
  sign('server', 'localhost');
  sign('elsewhere', 'elsewhere.example');
  // The server's key: the server's user's own, 0600, or PostgreSQL refuses to start.
  chmodSync(join(pki, 'server.key'), 0o600);
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    for (const f of ['', 'server.key', 'server.pem']) chownSync(join(pki, f), uid, gid);
  }
}

const url = (host: string, database = ROLE) => `postgres://${ROLE}@${host}:${cluster.port}/${database}`;

/** `sluis-server <args>` as the operator runs it (the built CLI); its output joins the scan. */
async function sluisServer(label: string, args: readonly string[], env: Record<string, string> = {}) {
  const r = await runCli(SERVER_CLI, args, { env });
  printed.push({ label, bytes: Buffer.from(r.stdout + r.stderr) });
  return r;
}

/** `sluis-server retention` on the started server's data directory and the role's database on localhost. */
function retention(label: string, more: readonly string[]) {
  return sluisServer(label, [
    'retention',
    '--data-dir',
    world.server.dataDir,
    '--database-url',
    url('localhost'),
    '--database-password-file',
    passwordFile,
    ...more,
  ]);
}

/** A start that is expected to be refused: exit code and stderr, and whether it made keys/. */
async function refusedStart(label: string, args: readonly string[], env: Record<string, string> = {}) {
  const dataDir = tempDir('sluis-pg-tls-refused-');
  const r = await sluisServer(label, ['start', '--data-dir', dataDir, '--port', '0', ...args], env);
  const keysMade = existsSync(join(dataDir, 'keys'));
  rmSync(dataDir, { recursive: true, force: true });
  return { ...r, keysMade };
}

/** A TLS connection to the cluster after PostgreSQL's SSLRequest (code 80877103; 'S' answers that TLS follows). */
function clusterTls(options: ConnectionOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: 'localhost', port: cluster.port });
    socket.once('error', reject);
    socket.once('connect', () => {
      const request = Buffer.alloc(8);
      request.writeInt32BE(8, 0);
      request.writeInt32BE(80877103, 4);
      socket.write(request);
    });
    socket.once('data', (b) => {
      if (b[0] !== 0x53) return reject(new Error('no TLS offered'));
      const t = tlsConnect({ socket, ...options }, () => resolve(t));
      t.once('error', reject);
    });
  });
}

/** The names (subjectAltName) of the certificate the cluster serves, once it is `host`'s (reloads take a moment). */
async function servesCertificateFor(host: string): Promise<void> {
  const names = () =>
    clusterTls({ servername: 'localhost', rejectUnauthorized: false }).then((t) => {
      const alt = t.getPeerCertificate().subjectaltname ?? '';
      t.destroy();
      return alt;
    });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const alt = await names().catch(() => '');
    if (alt === `DNS:${host}`) return;
    if (Date.now() > deadline) throw new Error(`the cluster still serves ${alt}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether the cluster's certificate chains to `caPem` alone (the name not checked): true, or the TLS error code. */
function chainsTo(caPem: string): Promise<true | string> {
  return clusterTls({ ca: caPem, checkServerIdentity: () => undefined }).then(
    (t) => {
      t.destroy();
      return true as const;
    },
    (e: NodeJS.ErrnoException) => e.code ?? 'error',
  );
}

/** One line naming the exit code and the first stderr line, for a failed expectation (no secret). */
const outcome = (r: CliResult) => `${r.code} ${r.stderr.split('\n')[0]}`;

const certificateRefused =
  'sluis-server: the PostgreSQL database cannot be used: tls_certificate_refused (the server\'s certificate or host name did not verify — against --database-ca-file when given, else against Node.js\'s default CA list (its bundled Mozilla list and NODE_EXTRA_CA_CERTS, no internal CA): give the CA that signed it in --database-ca-file, and a host name the certificate names (docs/operations.md "PostgreSQL"))\n';

describe.skipIf(!available)('PostgreSQL over verified TLS with the municipality’s own CA', () => {
  beforeAll(async () => {
    pki = tempDir('sluis-pg-tls-pki-');
    makePki();
    ca = join(pki, 'ca.pem');
    otherCa = join(pki, 'other.pem');
    cluster = await startPostgres(findPostgresBinaries()!, [
      'ssl=on',
      `ssl_cert_file='${join(pki, 'server.pem')}'`,
      `ssl_key_file='${join(pki, 'server.key')}'`,
      // The name in the certificate: the cluster listens on what localhost resolves to.
      "listen_addresses='localhost'",
    ]);
    password = randomBytes(18).toString('base64url');
    psql(cluster.url, `CREATE ROLE ${ROLE} LOGIN PASSWORD '${password}'`);
    psql(cluster.url, `CREATE DATABASE ${ROLE} OWNER ${ROLE}`);
    psql(cluster.url, `CREATE DATABASE ${ROLE}_moved OWNER ${ROLE}`);
    // The role gets in over TLS with its password only; without TLS it is refused, so every
    // connection of the role that works is a TLS one (pg_stat_ssl below says so too).
    const hba = join(cluster.dataDir, 'pg_hba.conf');
    writeFileSync(
      hba,
      `hostssl all ${ROLE} all scram-sha-256\nhostnossl all ${ROLE} all reject\n${readFileSync(hba, 'utf8')}`,
    );
    psql(cluster.url, 'SELECT pg_reload_conf()');
    passwordFile = join(pki, 'db-password');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  }, 120_000);

  afterAll(async () => {
    await world.close();
    cluster?.stop();
    if (pki !== undefined) rmSync(pki, { recursive: true, force: true });
  });

  it('starts with verify-full and the CA file, places a signal, and every connection is TLS', async () => {
    const server = await world.start({
      args: [
        '--database-url',
        url('localhost'),
        '--database-password-file',
        passwordFile,
        '--database-tls',
        'verify-full',
        '--database-ca-file',
        ca,
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
      cluster.url,
      `SELECT count(*) || ' ' || count(*) FILTER (WHERE s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name LIKE 'sluis/%/${pid}'`,
    );
    const [all, tls] = connections.split(' ').map(Number);
    expect(all).toBeGreaterThan(0);
    expect(tls).toBe(all);
    expect(psqlValue(cluster.url.replace(/\/postgres$/, `/${ROLE}`), 'SELECT count(*) FROM signals')).toBe(
      '1',
    );
  }, 120_000);

  it('the cluster refuses the role without TLS (so a connection that works is a TLS one)', async () => {
    const r = await retention('retention without TLS', ['--database-tls', 'off']);
    expect(r.code, outcome(r)).toBe(3);
    expect(r.stderr).toContain('cannot be used: authentication_failed');
  }, 60_000);

  it('refuses the certificate (exit 3): an unrelated CA, and no CA option (not the system store either)', async () => {
    const common = ['--database-password-file', passwordFile, '--database-tls', 'verify-full'];
    const unrelated = await refusedStart('start with the unrelated CA', [
      '--database-url',
      url('localhost'),
      ...common,
      '--database-ca-file',
      otherCa,
    ]);
    expect(unrelated.code, outcome(unrelated)).toBe(3);
    expect(unrelated.stderr).toBe(certificateRefused);
    // No CA option: Node.js's bundled list, which does not know the test CA — and not the
    // system's store either, even where SSL_CERT_FILE (OpenSSL's system CA file) names it.
    const noCa = await refusedStart(
      'start without a CA option',
      ['--database-url', url('localhost'), ...common],
      { SSL_CERT_FILE: ca, SSL_CERT_DIR: pki },
    );
    expect(noCa.code, outcome(noCa)).toBe(3);
    expect(noCa.stderr).toBe(certificateRefused);
  }, 120_000);

  it('refuses a certificate of the right CA that names another host (exit 3)', async () => {
    // The cluster's certificate and key replaced by the same CA's certificate for
    // elsewhere.example (PostgreSQL reloads them on SIGHUP), put back afterwards.
    const swap = (from: string) => {
      for (const ext of ['pem', 'key'])
        writeFileSync(join(pki, `server.${ext}`), readFileSync(join(pki, `${from}.${ext}`)));
      psql(cluster.url, 'SELECT pg_reload_conf()');
    };
    const original = {
      pem: readFileSync(join(pki, 'server.pem')),
      key: readFileSync(join(pki, 'server.key')),
    };
    writeFileSync(join(pki, 'localhost.pem'), original.pem);
    writeFileSync(join(pki, 'localhost.key'), original.key);
    swap('elsewhere');
    try {
      await servesCertificateFor('elsewhere.example');
      const elsewhere = await refusedStart('start against a certificate for another host', [
        '--database-url',
        url('localhost'),
        '--database-password-file',
        passwordFile,
        '--database-ca-file',
        ca,
      ]);
      expect(elsewhere.code, outcome(elsewhere)).toBe(3);
      expect(elsewhere.stderr).toBe(certificateRefused);
    } finally {
      swap('localhost');
    }
    await servesCertificateFor('localhost');
  }, 60_000);

  it('refuses verify-full on an IP address as configuration (exit 2): the client would check the name localhost', async () => {
    // Measured in this suite's first run: postgres.js 3.4.9 names no server for an address, so
    // Node.js checked this cluster's localhost certificate against "localhost" and let
    // 127.0.0.1 in; sluis refuses the combination instead (config-validation.ts).
    const byAddress = await refusedStart('start on 127.0.0.1 with verify-full', [
      '--database-url',
      url('127.0.0.1'),
      '--database-password-file',
      passwordFile,
      '--database-ca-file',
      ca,
    ]);
    expect(byAddress.code, outcome(byAddress)).toBe(2);
    expect(byAddress.stderr).toBe(
      "sluis-server: invalid configuration: databaseUrl (from --database-url) names a host by its IP address, which verify-full cannot check (the client would check the certificate against the name localhost instead): give the host name the server's certificate names\n",
    );
    expect(byAddress.keysMade).toBe(false);
  }, 60_000);

  it('refuses a missing or non-PEM CA file as configuration (exit 2) before it writes anything', async () => {
    const notPem = join(pki, 'not-a-certificate.txt');
    writeFileSync(notPem, `${password}\n`);
    const missing = join(pki, 'no-such-ca.pem');
    const common = ['--database-url', url('localhost'), '--database-password-file', passwordFile];
    const gone = await refusedStart('start with a missing CA file', [
      ...common,
      '--database-ca-file',
      missing,
    ]);
    expect(gone.code, outcome(gone)).toBe(2);
    expect(gone.stderr).toBe(
      `sluis-server: invalid configuration: databaseCaFile (from --database-ca-file) ${missing} cannot be read: give a readable PEM file of the CA certificate(s) that signed the PostgreSQL server's certificate\n`,
    );
    expect(gone.keysMade).toBe(false);
    const text = await refusedStart('start with a non-PEM CA file', [], {
      SLUIS_DATABASE_URL: url('localhost'),
      SLUIS_DATABASE_PASSWORD_FILE: passwordFile,
      SLUIS_DATABASE_CA_FILE: notPem,
    });
    expect(text.code, outcome(text)).toBe(2);
    expect(text.stderr).toBe(
      `sluis-server: invalid configuration: databaseCaFile (from SLUIS_DATABASE_CA_FILE) ${notPem} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA certificate(s) that signed the PostgreSQL server's certificate\n`,
    );
    expect(text.keysMade).toBe(false);
    // Given with a mode that verifies nothing, it would be ignored: refused too.
    const ignored = await refusedStart('start with require and a CA file', [
      ...common,
      '--database-tls',
      'require',
      '--database-ca-file',
      ca,
    ]);
    expect(ignored.code, outcome(ignored)).toBe(2);
    expect(ignored.stderr).toContain(
      'databaseCaFile (from --database-ca-file) is given with databaseTls require',
    );
  }, 120_000);

  it("refuses the cluster's own certificate as the CA file (exit 2): no connection verifies through it", async () => {
    // The real check first: the CA verifies the cluster's chain, the server's own certificate does not.
    expect(await chainsTo(readFileSync(ca, 'utf8'))).toBe(true);
    expect(await chainsTo(readFileSync(join(pki, 'server.pem'), 'utf8'))).toBe(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
    const leaf = await refusedStart('start with the server certificate as the CA file', [
      '--database-url',
      url('localhost'),
      '--database-password-file',
      passwordFile,
      '--database-ca-file',
      join(pki, 'server.pem'),
    ]);
    expect(leaf.code, outcome(leaf)).toBe(2);
    expect(leaf.stderr).toBe(
      `sluis-server: invalid configuration: databaseCaFile (from --database-ca-file) ${join(pki, 'server.pem')} holds no self-signed (root) certificate, so no connection would verify: give the root CA's certificate (with its intermediates if you like), not the server's own certificate or an intermediate's alone\n`,
    );
    expect(leaf.keysMade).toBe(false);
  }, 120_000);

  it('retention with auto and the CA file verifies on localhost too; migrate-store --to copies over TLS', async () => {
    const ran = await retention('retention with auto and the CA file', ['--database-ca-file', ca, '--json']);
    expect(ran.code, outcome(ran)).toBe(0);
    expect(JSON.parse(ran.stdout)).toHaveProperty('ranAt');

    // A small SQLite installation, written through the engine, moved into the second database.
    const dir = tempDir('sluis-pg-tls-move-');
    try {
      const file = join(dir, 'sluis.db');
      const serverSecrets = new ServerSecrets(new Map([[1, Buffer.alloc(32, 9)]]));
      const engine = await createEngine({ store: openSqliteStore({ path: file }), serverSecrets });
      const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string };
      await engine.admitOrganisation(
        { kind: 'admin', keyId: 'admin-key' },
        { name: 'Wijkteam Noord', type: 'youth_care', publicKeys: [jwk.x] },
      );
      await engine.close();
      serverSecrets.destroy();
      const move = (caFile: string) =>
        sluisServer(`migrate-store with ${caFile === ca ? 'the CA' : 'the unrelated CA'}`, [
          'migrate-store',
          '--from',
          file,
          '--to',
          url('localhost', `${ROLE}_moved`),
          '--database-password-file',
          passwordFile,
          '--database-ca-file',
          caFile,
        ]);
      const refused = await move(otherCa);
      expect(refused.code, outcome(refused)).toBe(3);
      expect(refused.stderr).toBe(certificateRefused);
      const moved = await move(ca);
      expect(moved.code, outcome(moved)).toBe(0);
      expect(moved.stdout).toContain('migrate-store: done');
      expect(
        psqlValue(cluster.url.replace(/\/postgres$/, `/${ROLE}_moved`), 'SELECT count(*) FROM organisations'),
      ).toBe('1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('the documented backup line: pg_dump -Fc with sslmode=verify-full and sslrootcert', () => {
    // As docs/operations.md "High availability" (a managed database) writes it, the password in a PGPASSFILE.
    const home = join(pki, 'home');
    mkdirSync(home, { mode: 0o700 });
    const pgpass = join(home, 'pgpass');
    writeFileSync(pgpass, `localhost:${cluster.port}:${ROLE}:${ROLE}:${password}\n`, { mode: 0o600 });
    const dump = join(home, 'sluis.dump');
    const pgDump = (rootCert: string) =>
      spawnSync(
        join(cluster.binDir, 'pg_dump'),
        [
          '-Fc',
          '-f',
          dump,
          '-d',
          `host=localhost port=${cluster.port} dbname=${ROLE} user=${ROLE} sslmode=verify-full sslrootcert=${rootCert}`,
        ],
        // HOME: no ~/.postgresql of the machine's user; PGPASSFILE: the password, never an argument.
        { env: { PATH: process.env.PATH ?? '', HOME: home, PGPASSFILE: pgpass }, encoding: 'utf8' },
      );
    const wrong = pgDump(otherCa);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/certificate verify failed/);
    expect(existsSync(dump) && readFileSync(dump).length > 0).toBe(false);
    const right = pgDump(ca);
    expect(right.status, right.stderr.split('\n')[0]).toBe(0);
    expect(readFileSync(dump).subarray(0, 5).toString('latin1')).toBe('PGDMP');
    // The dump is whole: pg_restore lists the signals table's data in it.
    const list = execFileSync(join(cluster.binDir, 'pg_restore'), ['-l', dump], { encoding: 'utf8' });
    expect(list).toMatch(/TABLE DATA public signals /);
  }, 60_000);

  it('no process printed the password, a CA file’s content or the database URL', () => {
    const needles: Needle[] = [textNeedle('the database password', password)];
    for (const [label, file] of [
      ['the CA', ca],
      ['the unrelated CA', otherCa],
    ] as const) {
      const pem = readFileSync(file, 'utf8');
      const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
      needles.push(textNeedle(`${label}'s PEM body`, body));
      for (const [i, line] of pem.split('\n').entries())
        if (line.length >= 40) needles.push(textNeedle(`${label}'s PEM line ${i}`, line));
      needles.push(...bytesNeedles(new X509Certificate(pem).raw, `${label}'s DER`));
    }
    needles.push(textNeedle('the URL’s user@host', `${ROLE}@localhost`));
    needles.push(textNeedle('the URL’s host:port', `localhost:${cluster.port}`));
    const haystacks: Haystack[] = [
      ...printed,
      { label: 'the server process', bytes: Buffer.from(world.serverOutput.join('')) },
      { label: 'the admin CLI', bytes: Buffer.from(world.adminOutput.join('')) },
    ];
    // Positive control: the scan sees the password where it is.
    expect(scan([{ label: 'control', bytes: Buffer.from(`x${password}x`) }], needles)).toHaveLength(1);
    expect(printed.length).toBeGreaterThanOrEqual(11);
    expect(scan(haystacks, needles)).toEqual([]);
  });
});
