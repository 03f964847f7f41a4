// Reads a PEM file of the CA certificate(s) a TLS client of the server trusts instead of
// Node.js's default list — a municipality's own CA: the PostgreSQL server's
// (`--database-ca-file`, docs/operations.md "PostgreSQL") and the SMTP server's (the mail
// configuration's `caFile`). Invariants: a file that would only fail at the connection is
// refused at start; a refusal says why by a fixed problem code, never the file's content (a
// misplaced key must not reach a terminal or a log).

import { X509Certificate } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

/** Why a CA file cannot be used. */
export type CaFileProblem =
  | 'unreadable'
  | 'no_certificate'
  | 'malformed_certificate'
  | 'private_key'
  | 'expired'
  | 'no_root';

/**
 * What a refusal says of the file after its path, `server` naming whose certificate it is for
 * (the database's `--database-ca-file`, the mail configuration's `caFile`): fixed text, never
 * the file's content.
 */
export function caFileHint(problem: CaFileProblem, server: 'PostgreSQL' | 'SMTP'): string {
  const signed = `the CA certificate(s) that signed the ${server} server's certificate`;
  switch (problem) {
    case 'unreadable':
      return `cannot be read: give a readable PEM file of ${signed}`;
    case 'no_certificate':
      return `holds no PEM certificate (-----BEGIN CERTIFICATE-----): give ${signed}`;
    case 'malformed_certificate':
      return 'holds a certificate block that is not a valid X.509 certificate';
    case 'private_key':
      return "holds a private key: give the CA's certificate only (and keep the key off this host)";
    case 'no_root':
      return "holds no self-signed (root) certificate, so no connection would verify: give the root CA's certificate (with its intermediates if you like), not the server's own certificate or an intermediate's alone";
    case 'expired':
      return 'holds no root certificate that is valid now (each has expired or is not yet valid), so no connection would verify: give the CA’s current certificate';
  }
}

/** A CA bundle is a few hundred KiB at most (the whole Mozilla list is ≈ 220 KiB). */
const MAX_BYTES = 4 * 1024 * 1024;

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Private keys in the forms an operator may hold one: PEM (`PRIVATE KEY`, `RSA PRIVATE KEY`,
 * `EC PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, `OPENSSH PRIVATE KEY`), OpenPGP (`PGP PRIVATE KEY
 * BLOCK`) and PuTTY's `.ppk`.
 */
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|PuTTY-User-Key-File-/;

/** The file's text, through one descriptor: what is checked is what is read. */
function readRegularFile(path: string): string | undefined {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO does not wait for a writer (fstat below refuses it).
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    // Not a device or a FIFO (a read that never ends), not a directory.
    const s = fstatSync(fd);
    if (!s.isFile() || s.size > MAX_BYTES) return undefined;
    return readFileSync(fd, 'utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether `c` signed itself (its issuer is its subject and its own key verifies it): the only
 * certificate OpenSSL ends a chain at, whatever its basic constraints — a self-signed server
 * certificate works as its own CA file; a server certificate a CA signed, or an intermediate
 * CA's alone, does not (Node.js passes OpenSSL no partial-chain flag). Not `checkIssued(c)`:
 * it also asks for the keyCertSign key usage, which a self-signed server certificate lacks and
 * OpenSSL does not ask of the root it ends a chain at. A predicate: false, never a throw, for a
 * certificate whose key OpenSSL cannot decode (`publicKey` throws ERR_OSSL_EVP_DECODE_ERROR), so
 * such a certificate beside a root does not stop the start.
 */
function selfSigned(c: X509Certificate): boolean {
  if (c.issuer !== c.subject) return false;
  try {
    return c.verify(c.publicKey);
  } catch {
    return false;
  }
}

/**
 * The file's PEM text when it holds at least one certificate, every certificate block parses
 * as X.509, and one of them is a self-signed certificate (a root) valid at `now`; refused when
 * it cannot be read (missing, not a regular file, over 4 MiB), holds no certificate, holds a
 * private key (the wrong file, and one that should not be here), or would fail every
 * connection: no root in it (`no_root`), or every root expired or not yet valid (`expired`:
 * OpenSSL checks the root's dates too). `now` is the system clock's: OpenSSL checks against it,
 * not sluis's test clock.
 */
export function readCaFile(
  path: string,
  now: Date = new Date(),
): { ok: true; pem: string } | { ok: false; problem: CaFileProblem } {
  const pem = readRegularFile(path);
  if (pem === undefined) return { ok: false, problem: 'unreadable' };
  if (PRIVATE_KEY.test(pem)) return { ok: false, problem: 'private_key' };
  const blocks = pem.match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) return { ok: false, problem: 'no_certificate' };
  const certificates: X509Certificate[] = [];
  for (const block of blocks) {
    try {
      certificates.push(new X509Certificate(block));
    } catch {
      return { ok: false, problem: 'malformed_certificate' };
    }
  }
  // A chain ends at a root of this file, and OpenSSL checks that root's dates too.
  const roots = certificates.filter(selfSigned);
  if (roots.length === 0) return { ok: false, problem: 'no_root' };
  const t = now.getTime();
  if (!roots.some((c) => Date.parse(c.validFrom) <= t && t <= Date.parse(c.validTo)))
    return { ok: false, problem: 'expired' };
  return { ok: true, pem };
}
