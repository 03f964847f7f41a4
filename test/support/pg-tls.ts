// The throwaway PKI and TLS-only PostgreSQL cluster of the PostgreSQL-over-TLS tests
// (docs/operations.md "PostgreSQL"; pg-tls.test.ts, pg-tls-configuration.test.ts): a CA and a
// certificate for `localhost` made with the openssl CLI, a second CA that signed nothing of the
// cluster, and a cluster with ssl=on that lets the test's role in over TLS only (hostssl
// scram-sha-256; hostnossl reject). The built `sluis-server` is run through `sluisServer`, whose
// output joins `printed`, which each file's last case scans for the password, the CA files'
// contents and the URL (`leakNeedles`; reported by label, never by value).

import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { type ConnectionOptions, connect as tlsConnect, type TLSSocket } from 'node:tls';
import { inject } from 'vitest';
import { type Haystack, type Needle, bytesNeedles, textNeedle } from './leak-scan.js';
import {
  connectionRefused,
  findPostgresBinaries,
  type PostgresCluster,
  psql,
  reloadConfiguration,
  startPostgres,
} from './postgres.js';
import { type CliResult, runCli, SERVER_CLI, tempDir } from './server-process.js';

/** The openssl CLI makes the throwaway PKI; .ci/run installs it, so under CI=true its absence fails. */
const opensslFound = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
if (!opensslFound) {
  if (process.env.CI === 'true') {
    throw new Error('the PostgreSQL TLS tests need the openssl CLI (apt-get install openssl)');
  }
  console.warn('skipping the PostgreSQL TLS tests: no openssl CLI (apt-get install openssl)');
}
/** PostgreSQL (global-setup) and openssl both there. */
export const pgTlsAvailable = inject('postgresUrl') !== '' && opensslFound;
export const ROLE = 'sluis_tls';

/** One line naming the exit code and the first stderr line, for a failed expectation (no secret). */
export const outcome = (r: CliResult) => `${r.code} ${r.stderr.split('\n')[0]}`;

export const certificateRefused =
  'sluis-server: the PostgreSQL database cannot be used: tls_certificate_refused (the server\'s certificate or host name did not verify — against --database-ca-file when given, else against Node.js\'s default CA list (its bundled Mozilla list and NODE_EXTRA_CA_CERTS, no internal CA): give the CA that signed it in --database-ca-file, and a host name the certificate names (docs/operations.md "PostgreSQL"))\n';

const isRoot = () => process.getuid?.() === 0;

/** One file's PKI and cluster: `start()` in its beforeAll, `stop()` in its afterAll. */
export class TlsCluster {
  pki!: string;
  cluster!: PostgresCluster;
  password!: string;
  passwordFile!: string;
  /** The throwaway CA that signed the cluster's certificate, and one that signed nothing of it. */
  ca!: string;
  otherCa!: string;
  /** Every byte a process of this file printed, for the leak scan. */
  readonly printed: Haystack[] = [];

  async start(): Promise<void> {
    this.pki = tempDir('sluis-pg-tls-pki-');
    this.#makePki();
    this.ca = join(this.pki, 'ca.pem');
    this.otherCa = join(this.pki, 'other.pem');
    this.cluster = await startPostgres(findPostgresBinaries()!, [
      'ssl=on',
      `ssl_cert_file='${join(this.pki, 'server.pem')}'`,
      `ssl_key_file='${join(this.pki, 'server.key')}'`,
      // The name in the certificate: the cluster listens on what localhost resolves to.
      "listen_addresses='localhost'",
    ]);
    this.password = randomBytes(18).toString('base64url');
    psql(this.cluster.url, `CREATE ROLE ${ROLE} LOGIN PASSWORD '${this.password}'`);
    psql(this.cluster.url, `CREATE DATABASE ${ROLE} OWNER ${ROLE}`);
    psql(this.cluster.url, `CREATE DATABASE ${ROLE}_moved OWNER ${ROLE}`);
    // The role gets in over TLS with its password only; without TLS it is refused, so every
    // connection of the role that works is a TLS one (pg_stat_ssl in pg-tls.test.ts says so too).
    const hba = join(this.cluster.dataDir, 'pg_hba.conf');
    // Without a password the role gets in now (trust) and is refused once the new lines are in force.
    const role = this.url('localhost');
    if (connectionRefused(role)) throw new Error(`${ROLE} is refused before its pg_hba.conf lines`);
    writeFileSync(
      hba,
      `hostssl all ${ROLE} all scram-sha-256\nhostnossl all ${ROLE} all reject\n${readFileSync(hba, 'utf8')}`,
    );
    await reloadConfiguration(this.cluster.url, () => connectionRefused(role));
    this.passwordFile = join(this.pki, 'db-password');
    writeFileSync(this.passwordFile, `${this.password}\n`, { mode: 0o600 });
  }

  stop(): void {
    this.cluster?.stop();
    if (this.pki !== undefined) rmSync(this.pki, { recursive: true, force: true });
  }

  url(host: string, database = ROLE): string {
    return `postgres://${ROLE}@${host}:${this.cluster.port}/${database}`;
  }

  /** `sluis-server <args>` as the operator runs it (the built CLI); its output joins the scan. */
  async sluisServer(label: string, args: readonly string[], env: Record<string, string> = {}) {
    const r = await runCli(SERVER_CLI, args, { env });
    this.printed.push({ label, bytes: Buffer.from(r.stdout + r.stderr) });
    return r;
  }

  /** A start that is expected to be refused: exit code and stderr, and whether it made keys/. */
  async refusedStart(label: string, args: readonly string[], env: Record<string, string> = {}) {
    const dataDir = tempDir('sluis-pg-tls-refused-');
    const r = await this.sluisServer(label, ['start', '--data-dir', dataDir, '--port', '0', ...args], env);
    const keysMade = existsSync(join(dataDir, 'keys'));
    rmSync(dataDir, { recursive: true, force: true });
    return { ...r, keysMade };
  }

  /** What no process may print: the password, each CA file's content (PEM and DER), the URL's parts. */
  leakNeedles(): Needle[] {
    const needles: Needle[] = [textNeedle('the database password', this.password)];
    for (const [label, file] of [
      ['the CA', this.ca],
      ['the unrelated CA', this.otherCa],
    ] as const) {
      const pem = readFileSync(file, 'utf8');
      const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
      needles.push(textNeedle(`${label}'s PEM body`, body));
      for (const [i, line] of pem.split('\n').entries())
        if (line.length >= 40) needles.push(textNeedle(`${label}'s PEM line ${i}`, line));
      needles.push(...bytesNeedles(new X509Certificate(pem).raw, `${label}'s DER`));
    }
    needles.push(textNeedle('the URL’s user@host', `${ROLE}@localhost`));
    needles.push(textNeedle('the URL’s host:port', `localhost:${this.cluster.port}`));
    return needles;
  }

  #openssl(args: readonly string[]): void {
    execFileSync('openssl', args, { cwd: this.pki, stdio: ['ignore', 'ignore', 'pipe'] });
  }

  /** A CA (key and self-signed certificate) and, with `server`, a certificate for `localhost` it signs. */
  #makePki(): void {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    this.#openssl([
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
    this.#openssl([
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
      this.#openssl(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${host}`]);
      writeFileSync(
        join(this.pki, `${name}.ext`),
        `subjectAltName=DNS:${host}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`,
      );
      this.#openssl(
        ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'].concat(
          ['-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`],
        ),
      );
    };
    // The cluster's certificate, and one of the same CA for another name (swapped in to test the name check).
    sign('server', 'localhost');
    sign('elsewhere', 'elsewhere.example');
    // The server's key: the server's user's own, 0600, or PostgreSQL refuses to start.
    chmodSync(join(this.pki, 'server.key'), 0o600);
    if (isRoot()) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      for (const f of ['', 'server.key', 'server.pem']) chownSync(join(this.pki, f), uid, gid);
    }
  }

  /** A TLS connection to the cluster after PostgreSQL's SSLRequest (code 80877103; 'S' answers that TLS follows). */
  #clusterTls(options: ConnectionOptions): Promise<TLSSocket> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: 'localhost', port: this.cluster.port });
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
  async servesCertificateFor(host: string): Promise<void> {
    const names = () =>
      this.#clusterTls({ servername: 'localhost', rejectUnauthorized: false }).then((t) => {
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
  chainsTo(caPem: string): Promise<true | string> {
    return this.#clusterTls({ ca: caPem, checkServerIdentity: () => undefined }).then(
      (t) => {
        t.destroy();
        return true as const;
      },
      (e: NodeJS.ErrnoException) => e.code ?? 'error',
    );
  }
}
