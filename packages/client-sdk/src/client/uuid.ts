// UUIDs for request ids: random version 4 (RFC 9562 §5.4) from the injected random
// source, and name-based version 5 (§5.5) for deterministic ids (resumable imports).
// A name must never contain or be derived from a citizen identifier: the server sees
// the request id, and an unkeyed hash of a BSN is reversed in seconds.

import { sha1 } from '@noble/hashes/legacy.js';
import { concat, hexToBytesStrict, utf8 } from '../protocol/encoding.js';
import { bytesToHex } from '../protocol/encoding.js';

/** n bytes from a CSPRNG. */
export type RandomSource = (n: number) => Uint8Array;

export const webCryptoRandom: RandomSource = (n) => {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
};

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuid(text: unknown): text is string {
  return typeof text === 'string' && UUID_RE.test(text);
}

function format(b: Uint8Array, version: number): string {
  const bytes = Uint8Array.from(b.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | (version << 4);
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = bytesToHex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function uuidV4(random: RandomSource): string {
  return format(random(16), 4);
}

/** RFC 9562 UUIDv5: SHA-1 over the namespace UUID's bytes and the name. */
export function uuidV5(namespace: string, name: string): string {
  if (!isUuid(namespace)) throw new RangeError('namespace must be a UUID');
  const ns = hexToBytesStrict(namespace.replaceAll('-', ''))!;
  return format(sha1(concat(ns, utf8(name))), 5);
}
