// Verification of signed requests (docs/protocol.md §5): the server-side half of the
// RFC 9421 profile, on node:crypto (about 13× faster than a pure-JS verifier here,
// see docs/performance.md). Public keys are checked strictly when they are
// registered (canonical, not of small order), and OpenSSL's verifier refuses
// non-canonical S and R, so results equal strict RFC 8032 verification on every vector.

import { createHash, createPublicKey, hash, type KeyObject, verify } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { KEY_ID_LABEL, REQUEST_TAG } from './labels.js';
import { lengthPrefixed } from './bytes.js';

export const REQUEST_COMPONENTS = '("@method" "@path" "@query" "content-digest")';
/** The components when the request acts on behalf of a person (docs/protocol.md §5.6). */
export const ON_BEHALF_COMPONENTS = '("@method" "@path" "@query" "content-digest" "sluis-on-behalf-of")';
export const ON_BEHALF_HEADER = 'sluis-on-behalf-of';
/** At the pseudonym service only: the covered credential header (docs/protocol.md §9.7). */
export const CREDENTIAL_COMPONENTS = '("@method" "@path" "@query" "content-digest" "sluis-credential")';
export const CREDENTIAL_HEADER = 'sluis-credential';

// The two headers of the fixed sluis profile, read by hand (docs/performance.md "Ninth pass"):
// exactly what these anchored patterns accept, no more (request-signature.test.ts holds the
// parser to them on generated and mutated headers):
//   Signature-Input  ^sluis=\("@method" "@path" "@query" "content-digest"( "sluis-on-behalf-of"| "sluis-credential")?\);created=([0-9]{1,15});keyid="([A-Za-z0-9_-]{1,64})";nonce="([A-Za-z0-9_-]{16,64})";tag="sluis-request-v1"$
//   Signature        ^sluis=:([A-Za-z0-9+/=]{1,200}):$  whose value is the canonical padded base64 of 64 bytes
const INPUT_HEAD = 'sluis=("@method" "@path" "@query" "content-digest"';
const ON_BEHALF_ITEM = ' "sluis-on-behalf-of"';
const CREDENTIAL_ITEM = ' "sluis-credential"';
const CREATED = ');created=';
const KEYID = ';keyid="';
const NONCE = '";nonce="';
const INPUT_TAIL = '";tag="sluis-request-v1"';
const SIGNATURE_HEAD = 'sluis=:';
/** Canonical padded base64 of 64 bytes: 84 + 2 characters, `==`, and the last character's 4 low bits zero. */
const SIGNATURE_B64_LENGTH = 88;

/** Character classes, by code unit below 128: 1 base64 alphabet, 2 token ([A-Za-z0-9_-]). */
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9+/]/.test(ch)) CLASS[c]! |= 1;
  if (/[A-Za-z0-9_-]/.test(ch)) CLASS[c]! |= 2;
}
const isClass = (code: number, bit: number) => code < 128 && (CLASS[code]! & bit) !== 0;

/** The end of a run of `bit`-class characters of `min`–`max` at `from` followed by `next`, or -1. */
function runThen(text: string, from: number, bit: number, min: number, max: number, next: string): number {
  let i = from;
  while (i < text.length && i - from <= max && isClass(text.charCodeAt(i), bit)) i++;
  const n = i - from;
  return n >= min && n <= max && text.startsWith(next, i) ? i : -1;
}

/** The 64 signature bytes of a Signature header, or undefined. */
function signatureBytes(header: string): Buffer | undefined {
  const end = SIGNATURE_HEAD.length + SIGNATURE_B64_LENGTH;
  if (header.length !== end + 1 || !header.startsWith(SIGNATURE_HEAD) || header.charCodeAt(end) !== 0x3a) {
    return undefined;
  }
  for (let i = SIGNATURE_HEAD.length; i < end - 2; i++)
    if (!isClass(header.charCodeAt(i), 1)) return undefined;
  // The 86th character carries the last 2 bits of byte 64 and 4 zero bits: A, Q, g or w.
  const last = header.charCodeAt(end - 3);
  if (last !== 0x41 && last !== 0x51 && last !== 0x67 && last !== 0x77) return undefined;
  if (header.charCodeAt(end - 2) !== 0x3d || header.charCodeAt(end - 1) !== 0x3d) return undefined;
  return Buffer.from(header.slice(SIGNATURE_HEAD.length, end), 'base64');
}

export interface ParsedSignature {
  readonly created: number;
  readonly keyId: string;
  readonly nonce: string;
  readonly signature: Buffer;
  /** True when `sluis-on-behalf-of` is a covered component. */
  readonly onBehalfOf: boolean;
  /** True when `sluis-credential` is a covered component (the pseudonym service's profile, §9.7). */
  readonly credential: boolean;
}

export type SignatureParseCode = 'auth_missing' | 'auth_malformed';

/** Parses Signature-Input and Signature. Only the fixed sluis profile is accepted. */
export function parseRequestSignature(
  signatureInput: string | undefined,
  signature: string | undefined,
): { ok: true; value: ParsedSignature } | { ok: false; code: SignatureParseCode } {
  if (signatureInput === undefined || signature === undefined) return { ok: false, code: 'auth_missing' };
  const malformed = { ok: false, code: 'auth_malformed' } as const;
  // A JavaScript caller may hand anything: refused, not thrown on.
  if (typeof signatureInput !== 'string' || typeof signature !== 'string') return malformed;
  if (!signatureInput.startsWith(INPUT_HEAD)) return malformed;
  let i = INPUT_HEAD.length;
  let onBehalfOf = false;
  let credential = false;
  if (signatureInput.startsWith(ON_BEHALF_ITEM, i)) {
    onBehalfOf = true;
    i += ON_BEHALF_ITEM.length;
  } else if (signatureInput.startsWith(CREDENTIAL_ITEM, i)) {
    credential = true;
    i += CREDENTIAL_ITEM.length;
  }
  if (!signatureInput.startsWith(CREATED, i)) return malformed;
  const createdAt = i + CREATED.length;
  i = createdAt;
  while (i < signatureInput.length && i - createdAt <= 15) {
    const c = signatureInput.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    i++;
  }
  if (i === createdAt || i - createdAt > 15 || !signatureInput.startsWith(KEYID, i)) return malformed;
  const created = Number(signatureInput.slice(createdAt, i));
  const keyAt = i + KEYID.length;
  const keyEnd = runThen(signatureInput, keyAt, 2, 1, 64, NONCE);
  if (keyEnd < 0) return malformed;
  const nonceAt = keyEnd + NONCE.length;
  const nonceEnd = runThen(signatureInput, nonceAt, 2, 16, 64, INPUT_TAIL);
  if (nonceEnd < 0 || nonceEnd + INPUT_TAIL.length !== signatureInput.length) return malformed;
  const sig = signatureBytes(signature);
  if (sig === undefined || !Number.isSafeInteger(created)) return malformed;
  return {
    ok: true,
    value: {
      created,
      keyId: signatureInput.slice(keyAt, keyEnd),
      nonce: signatureInput.slice(nonceAt, nonceEnd),
      signature: sig,
      onBehalfOf,
      credential,
    },
  };
}

export function contentDigest(body: Uint8Array): string {
  // One-shot: no Hash object per request (docs/performance.md "Thirty-sixth pass").
  return `sha-256=:${hash('sha256', body, 'base64')}:`;
}

export interface RequestTarget {
  readonly method: string;
  readonly path: string;
  /** Without the leading `?`; empty when absent. */
  readonly query: string;
}

/**
 * The signature base (docs/protocol.md §5.3). With `onBehalfOf` (the header's value, a
 * person id) the header is a covered component too (§5.6), so it cannot be added, removed
 * or changed under a valid signature.
 */
export function requestSignatureBase(
  target: RequestTarget,
  digest: string,
  p: { created: number; keyId: string; nonce: string },
  onBehalfOf?: string,
): string {
  return baseWith(target, digest, p, onBehalfOf === undefined ? undefined : [ON_BEHALF_HEADER, onBehalfOf]);
}

/** The signature base of a request to the pseudonym service presenting a credential (§9.7). */
export function credentialRequestSignatureBase(
  target: RequestTarget,
  digest: string,
  p: { created: number; keyId: string; nonce: string },
  credential: string,
): string {
  return baseWith(target, digest, p, [CREDENTIAL_HEADER, credential]);
}

function baseWith(
  target: RequestTarget,
  digest: string,
  p: { created: number; keyId: string; nonce: string },
  covered: readonly [string, string] | undefined,
): string {
  const components =
    covered === undefined
      ? REQUEST_COMPONENTS
      : covered[0] === ON_BEHALF_HEADER
        ? ON_BEHALF_COMPONENTS
        : CREDENTIAL_COMPONENTS;
  const params = `${components};created=${p.created};keyid="${p.keyId}";nonce="${p.nonce}";tag="${REQUEST_TAG}"`;
  const line = covered === undefined ? '' : `"${covered[0]}": ${covered[1]}\n`;
  return `"@method": ${target.method}\n"@path": ${target.path}\n"@query": ?${target.query}\n"content-digest": ${digest}\n${line}"@signature-params": ${params}`;
}

/**
 * Strict public-key check for registration: 32 bytes, canonical, in the prime-order
 * subgroup (not of small order, no torsion component). Only for such keys do OpenSSL's
 * cofactorless verification and cofactored verifiers agree on every signature.
 */
export function isValidPublicKey(publicKey: Uint8Array): boolean {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
  try {
    const point = ed25519.Point.fromBytes(publicKey, false);
    return !point.isSmallOrder() && point.isTorsionFree();
  } catch {
    return false;
  }
}

export function keyIdFromPublicKey(publicKey: Uint8Array): string {
  return createHash('sha256')
    .update(lengthPrefixed(Buffer.from(KEY_ID_LABEL, 'utf8')))
    .update(publicKey)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** A verifier for one registered public key; the KeyObject is built once. */
export class PublicKeyVerifier {
  readonly #key: KeyObject;

  constructor(publicKey: Uint8Array) {
    this.#key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
      format: 'jwk',
    });
  }

  /** False on any malformed input; never throws. */
  verify(message: Uint8Array, signature: Uint8Array): boolean {
    if (signature.length !== 64) return false;
    try {
      return verify(null, message, this.#key, signature);
    } catch {
      return false;
    }
  }

  /**
   * The same check on libuv's thread pool, so the event loop goes on parsing and
   * answering other requests meanwhile (verification is the largest single CPU cost of
   * a placement, docs/performance.md). Resolves false on any malformed input.
   */
  verifyAsync(message: Uint8Array, signature: Uint8Array): Promise<boolean> {
    if (signature.length !== 64) return Promise.resolve(false);
    return new Promise((resolve) => {
      try {
        verify(null, message, this.#key, signature, (err, ok) => resolve(err === null && ok));
      } catch {
        resolve(false);
      }
    });
  }
}
