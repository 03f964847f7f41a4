// Reads a PEM file of the CA certificate(s) a TLS client of the server trusts instead of
// Node.js's default list — a municipality's own CA: the PostgreSQL server's
// (`--database-ca-file`, docs/operations.md "PostgreSQL") and the SMTP server's (the mail
// configuration's `caFile`). Invariant: a refusal says why by a fixed problem code, never the
// file's content (a misplaced key must not reach a terminal or a log).

import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/** Why a CA file cannot be used. */
export type CaFileProblem = 'unreadable' | 'no_certificate' | 'malformed_certificate' | 'private_key';

/** A CA bundle is a few hundred KiB at most (the whole Mozilla list is ≈ 220 KiB). */
const MAX_BYTES = 4 * 1024 * 1024;

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * The file's PEM text when it holds at least one certificate and every certificate block
 * parses as X.509; refused when it cannot be read (missing, not a regular file, over 4 MiB),
 * holds no certificate, or holds a private key (the wrong file, and one that should not be here).
 */
export function readCaFile(path: string): { ok: true; pem: string } | { ok: false; problem: CaFileProblem } {
  let pem: string;
  try {
    // Not a device or a FIFO (a read that never ends), not a directory.
    const s = statSync(path);
    if (!s.isFile() || s.size > MAX_BYTES) return { ok: false, problem: 'unreadable' };
    pem = readFileSync(path, 'utf8');
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem)) return { ok: false, problem: 'private_key' };
  const blocks = pem.match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) return { ok: false, problem: 'no_certificate' };
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      return { ok: false, problem: 'malformed_certificate' };
    }
  }
  return { ok: true, pem };
}
