// The leak proof's scanner (docs/leakage.md §1): searches byte buffers — database files,
// WAL/SHM, backups, process output, webhook bodies — for secrets in every encoding they
// could plausibly be written in. Hits are reported by LABEL only ("BSN #3 (8-digit
// form)"), never by value, so a failing test does not itself print a BSN or a key.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { base64url, bytesToHex } from '@sluis/client-sdk';

export interface Needle {
  readonly label: string;
  readonly bytes: Buffer;
}

export interface Haystack {
  readonly label: string;
  readonly bytes: Buffer;
}

export interface Hit {
  readonly haystack: string;
  readonly needle: string;
}

const text = (label: string, s: string): Needle => ({ label, bytes: Buffer.from(s, 'utf8') });

/** A BSN as text, and its 8-digit form when it has a leading zero. */
export function bsnNeedles(bsn: string, label: string): Needle[] {
  const out = [text(`${label} (text)`, bsn)];
  if (bsn.startsWith('0')) out.push(text(`${label} (8-digit form)`, bsn.slice(1)));
  return out;
}

/** Secret bytes as raw bytes, lowercase hex, base64url and standard base64 (unpadded prefix). */
export function bytesNeedles(bytes: Uint8Array, label: string): Needle[] {
  const b64 = Buffer.from(bytes).toString('base64').replace(/=+$/, '');
  return [
    { label: `${label} (raw bytes)`, bytes: Buffer.from(bytes) },
    text(`${label} (hex)`, bytesToHex(bytes)),
    text(`${label} (HEX)`, bytesToHex(bytes).toUpperCase()),
    text(`${label} (base64url)`, base64url.encode(bytes)),
    text(`${label} (base64)`, b64),
  ];
}

/** A client pseudonym given as base64url text: the text itself and its 32 raw bytes. */
export function pseudonymNeedles(value: string, label: string): Needle[] {
  const raw = base64url.decode(value);
  if (raw === undefined) throw new Error(`${label} is not base64url`);
  return bytesNeedles(raw, label);
}

export function textNeedle(label: string, s: string): Needle {
  return text(label, s);
}

/**
 * Every file under `dir`, except the directories named in `exclude` (relative paths).
 * The data directory's `keys/` holds the server's keys BY DESIGN (docs/operations.md) and
 * is excluded by the callers for that reason.
 */
export function filesUnder(dir: string, exclude: readonly string[] = []): Haystack[] {
  const out: Haystack[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (exclude.includes(rel)) continue;
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push({ label: rel, bytes: readFileSync(p) });
    }
  };
  walk(dir);
  return out;
}

export function scan(haystacks: readonly Haystack[], needles: readonly Needle[]): Hit[] {
  const hits: Hit[] = [];
  for (const h of haystacks) {
    for (const n of needles) {
      if (n.bytes.length > 0 && h.bytes.includes(n.bytes)) hits.push({ haystack: h.label, needle: n.label });
    }
  }
  return hits;
}
