// The leak proof's scanner (docs/leakage.md §1): searches byte buffers — database files,
// WAL/SHM, backups, process output, webhook bodies — for secrets in every encoding they
// could plausibly be written in. Hits are reported by LABEL only ("BSN #3 (8-digit
// form)"), never by value, so a failing test does not itself print a BSN or a key.
//
// A BSN's forms are 8 or 9 digits, which other values hold by chance: a UUID's digit runs
// (request and correlation ids in every log line, ids in the database), a hash's or trace id's.
// Such a match is no leak (estimated: about one CI run in 17,000 failed by it when counted
// anywhere, docs/leakage.md §3.7). A number needle is therefore skipped in two places only:
// inside a UUID v4 (every id sluis makes, engine/src/ids.ts: a `4` opens its third group, one
// of 8, 9, a, b its fourth), anywhere; and, in text a process printed or sent (`text` haystacks:
// logs, CLI output, webhooks), inside a run of at least 16 hex digits (0-9, A-F, a-f: a trace
// id, a 16-hex correlation id, a hash), where a percent-escape (`%22`, `%2F`) ends a run rather
// than adding to it. Anywhere else it counts: `%22123456789`, `id=abc123456789`, a BSN inside a
// longer number. In the database's bytes, where a leaked value would sit right beside the next
// column's bytes, only the UUID v4 is skipped.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { base64url, bytesToHex } from '@sluis/client-sdk';

export interface Needle {
  readonly label: string;
  readonly bytes: Buffer;
  /** Digits only (a BSN's forms): counted only where they stand as a number (above). */
  readonly number?: boolean;
}

export interface Haystack {
  readonly label: string;
  readonly bytes: Buffer;
  /** Text a process printed or sent (logs, CLI output, webhook bodies), not a file's bytes. */
  readonly text?: boolean;
}

export interface Hit {
  readonly haystack: string;
  readonly needle: string;
}

const text = (label: string, s: string): Needle => ({ label, bytes: Buffer.from(s, 'utf8') });

/**
 * A BSN as text, and its 8-digit form when it has a leading zero: number needles; and each form
 * in base64 and base64url (bsnBase64Needles).
 */
export function bsnNeedles(bsn: string, label: string): Needle[] {
  const out: Needle[] = [{ ...text(`${label} (text)`, bsn), number: true }];
  if (bsn.startsWith('0')) out.push({ ...text(`${label} (8-digit form)`, bsn.slice(1)), number: true });
  out.push(...bsnBase64Needles(bsn, label));
  return out;
}

/**
 * A BSN's digits (its 9-digit form, and its 8-digit form when it has a leading zero) inside
 * base64 or base64url text: of the digits alone, or of any bytes that hold them — the SDK's MAC
 * and OPRF input holds the canonical 9 digits as UTF-8 after a length prefix, at an offset of
 * its own (docs/protocol.md §3 and §9.2). Bytes put the digits at one of three offsets (mod 3) to a
 * base64 group; for each, the needle is the characters that the digits alone decide (12, 11
 * and 11 for 9 digits; 10 for 8), so it is found whatever stands before and after. Counted
 * anywhere: 10 or more fixed characters occur by chance far too rarely to matter
 * (docs/leakage.md §3.7). ASCII digits never make a 6-bit group 62 or 63, so each needle
 * reads the same in both alphabets; a form that did not would get a base64url needle too.
 */
export function bsnBase64Needles(bsn: string, label: string): Needle[] {
  const forms: [string, string][] = [['9-digit form', bsn]];
  if (bsn.startsWith('0')) forms.push(['8-digit form', bsn.slice(1)]);
  const out: Needle[] = [];
  for (const [form, digits] of forms) {
    const bytes = Buffer.from(digits, 'utf8');
    for (let offset = 0; offset < 3; offset++) {
      const b64 = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
      // Character k holds bits 6k…6k+5 of the bytes: decided by the digits alone when those
      // bits lie within them (not in the offset's bytes, nor in what follows).
      const first = Math.ceil((8 * offset) / 6);
      const end = Math.floor((8 * (offset + bytes.length)) / 6);
      const std = b64.slice(first, end);
      const url = std.replaceAll('+', '-').replaceAll('/', '_');
      const name = `${label} (${form}, base64 at offset ${offset} mod 3)`;
      out.push(text(name, std));
      if (url !== std) out.push(text(`${label} (${form}, base64url at offset ${offset} mod 3)`, url));
    }
  }
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

/** A UUID v4: version 4, variant 10 (RFC 9562 §5.4). */
const UUID_V4 = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-4[0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}/g;
/** In text, a hex run at least this long holds digits by chance (a trace id, a hash). */
const LONG_HEX_RUN = 16;
/** 0-9, A-F, a-f. */
const isHex = (b: number | undefined) =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));

/** `bytes` with each percent-escape (`%` and two hex digits) blanked: it separates runs. */
function escapesBlanked(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  for (let i = out.indexOf(0x25); i !== -1 && i + 2 < out.length; i = out.indexOf(0x25, i + 1)) {
    if (isHex(out[i + 1]) && isHex(out[i + 2])) out.fill(0x20, i, i + 3);
  }
  return out;
}

/** Whether number needle `n` stands in `h` other than by chance (see the top). */
function numberIn(h: Haystack, n: Buffer): boolean {
  let uuids: [number, number][] | undefined;
  const bytes = h.text === true ? escapesBlanked(h.bytes) : h.bytes;
  for (let at = bytes.indexOf(n); at !== -1; at = bytes.indexOf(n, at + 1)) {
    const end = at + n.length;
    if (h.text === true) {
      let from = at;
      let to = end;
      while (isHex(bytes[from - 1])) from--;
      while (isHex(bytes[to])) to++;
      if (to - from >= LONG_HEX_RUN) continue;
    }
    uuids ??= [...h.bytes.toString('latin1').matchAll(UUID_V4)].map((m) => [m.index, m.index + m[0].length]);
    if (uuids.some(([from, to]) => from <= at && end <= to)) continue;
    return true;
  }
  return false;
}

export function scan(haystacks: readonly Haystack[], needles: readonly Needle[]): Hit[] {
  const hits: Hit[] = [];
  for (const h of haystacks) {
    for (const n of needles) {
      if (n.bytes.length === 0) continue;
      if (n.number === true ? numberIn(h, n.bytes) : h.bytes.includes(n.bytes)) {
        hits.push({ haystack: h.label, needle: n.label });
      }
    }
  }
  return hits;
}
