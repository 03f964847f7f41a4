// PostgreSQL TLS options refused as configuration (docs/operations.md "PostgreSQL"), exit 2
// before the start writes anything, on the throwaway PKI and TLS-only cluster of
// test/support/pg-tls.ts, with the built `sluis-server` in real processes:
//   - verify-full on the address 127.0.0.1 (postgres.js would have Node.js check the
//     certificate against the name localhost: it let this one in);
//   - a missing or non-PEM CA file, and a CA file with a mode that verifies nothing;
//   - the cluster's own certificate as the CA file: a TLS connection to the cluster with it
//     alone fails (no root), and the start refuses it.
// Every byte the processes printed is scanned for the password, the CA files' contents and the
// URL. The connections that verify, or are refused at the certificate, are in pg-tls.test.ts.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../support/leak-scan.js';
import { outcome, pgTlsAvailable, TlsCluster } from '../support/pg-tls.js';

const tls = new TlsCluster();

describe.skipIf(!pgTlsAvailable)('PostgreSQL TLS options refused as configuration', () => {
  beforeAll(() => tls.start(), 120_000);
  afterAll(() => tls.stop());

  it('refuses verify-full on an IP address as configuration (exit 2): the client would check the name localhost', async () => {
    // Measured in this suite's first run: postgres.js 3.4.9 names no server for an address, so
    // Node.js checked this cluster's localhost certificate against "localhost" and let
    // 127.0.0.1 in; sluis refuses the combination instead (config-validation.ts).
    const byAddress = await tls.refusedStart('start on 127.0.0.1 with verify-full', [
      '--database-url',
      tls.url('127.0.0.1'),
      '--database-password-file',
      tls.passwordFile,
      '--database-ca-file',
      tls.ca,
    ]);
    expect(byAddress.code, outcome(byAddress)).toBe(2);
    expect(byAddress.stderr).toBe(
      "sluis-server: invalid configuration: databaseUrl (from --database-url) names a host by its IP address, which verify-full cannot check (the client would check the certificate against the name localhost instead): give the host name the server's certificate names\n",
    );
    expect(byAddress.keysMade).toBe(false);
  }, 60_000);

  it('refuses a missing or non-PEM CA file as configuration (exit 2) before it writes anything', async () => {
    const notPem = join(tls.pki, 'not-a-certificate.txt');
    writeFileSync(notPem, `${tls.password}\n`);
    const missing = join(tls.pki, 'no-such-ca.pem');
    const common = ['--database-url', tls.url('localhost'), '--database-password-file', tls.passwordFile];
    const gone = await tls.refusedStart('start with a missing CA file', [
      ...common,
      '--database-ca-file',
      missing,
    ]);
    expect(gone.code, outcome(gone)).toBe(2);
    expect(gone.stderr).toBe(
      `sluis-server: invalid configuration: databaseCaFile (from --database-ca-file) ${missing} cannot be read: give a readable PEM file of the CA certificate(s) that signed the PostgreSQL server's certificate\n`,
    );
    expect(gone.keysMade).toBe(false);
    const text = await tls.refusedStart('start with a non-PEM CA file', [], {
      SLUIS_DATABASE_URL: tls.url('localhost'),
      SLUIS_DATABASE_PASSWORD_FILE: tls.passwordFile,
      SLUIS_DATABASE_CA_FILE: notPem,
    });
    expect(text.code, outcome(text)).toBe(2);
    expect(text.stderr).toBe(
      `sluis-server: invalid configuration: databaseCaFile (from SLUIS_DATABASE_CA_FILE) ${notPem} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA certificate(s) that signed the PostgreSQL server's certificate\n`,
    );
    expect(text.keysMade).toBe(false);
    // Given with a mode that verifies nothing, it would be ignored: refused too.
    const ignored = await tls.refusedStart('start with require and a CA file', [
      ...common,
      '--database-tls',
      'require',
      '--database-ca-file',
      tls.ca,
    ]);
    expect(ignored.code, outcome(ignored)).toBe(2);
    expect(ignored.stderr).toContain(
      'databaseCaFile (from --database-ca-file) is given with databaseTls require',
    );
  }, 120_000);

  it("refuses the cluster's own certificate as the CA file (exit 2): no connection verifies through it", async () => {
    // The real check first: the CA verifies the cluster's chain, the server's own certificate does not.
    expect(await tls.chainsTo(readFileSync(tls.ca, 'utf8'))).toBe(true);
    expect(await tls.chainsTo(readFileSync(join(tls.pki, 'server.pem'), 'utf8'))).toBe(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
    const leaf = await tls.refusedStart('start with the server certificate as the CA file', [
      '--database-url',
      tls.url('localhost'),
      '--database-password-file',
      tls.passwordFile,
      '--database-ca-file',
      join(tls.pki, 'server.pem'),
    ]);
    expect(leaf.code, outcome(leaf)).toBe(2);
    expect(leaf.stderr).toBe(
      `sluis-server: invalid configuration: databaseCaFile (from --database-ca-file) ${join(tls.pki, 'server.pem')} holds no self-signed (root) certificate, so no connection would verify: give the root CA's certificate (with its intermediates if you like), not the server's own certificate or an intermediate's alone\n`,
    );
    expect(leaf.keysMade).toBe(false);
  }, 120_000);

  it('no process printed the password, a CA file’s content or the database URL', () => {
    const needles = tls.leakNeedles();
    // Positive control: the scan sees the password where it is.
    expect(scan([{ label: 'control', bytes: Buffer.from(`x${tls.password}x`) }], needles)).toHaveLength(1);
    expect(tls.printed.length).toBeGreaterThanOrEqual(5);
    expect(scan(tls.printed, needles)).toEqual([]);
  });
});
