// Byte helpers for the server-side protocol code, on node:crypto and Buffer. Strict
// decoders: only the canonical encoding of a value is accepted.

import { timingSafeEqual } from 'node:crypto';

const B64URL_RE = /^[A-Za-z0-9_-]*$/;
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Canonical unpadded base64url, or undefined. */
export function fromBase64url(text: string): Buffer | undefined {
  if (typeof text !== 'string' || !B64URL_RE.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/** Canonical padded base64, or undefined. */
export function fromBase64(text: string): Buffer | undefined {
  if (typeof text !== 'string' || !B64_RE.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

export function lengthPrefixed(bytes: Uint8Array): Buffer {
  if (bytes.length > 0xffff) throw new RangeError('field too long');
  const out = Buffer.alloc(2 + bytes.length);
  out.writeUInt16BE(bytes.length, 0);
  out.set(bytes, 2);
  return out;
}

export function u32be(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n, 0);
  return out;
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
