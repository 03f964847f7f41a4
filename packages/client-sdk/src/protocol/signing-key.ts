// Ed25519 signing keys of organisations and administrators (docs/protocol.md §5).
// The 32-byte seed stays inside this object; JSON, toString and inspect show only
// the key id, which is derived from the public key so nobody has to assign one.

import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { SluisError } from '../errors.js';
import { base64url, concat, lengthPrefixed, utf8 } from './encoding.js';
import { KEY_ID_LABEL } from './labels.js';

export const ED25519_SEED_BYTES = 32;
export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

/** Key id = base64url(first 16 bytes of SHA-256(lp("sluis/key-id/v1") ‖ publicKey)). */
export function keyIdFromPublicKey(publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new SluisError('key_invalid');
  }
  return base64url.encode(sha256(concat(lengthPrefixed(utf8(KEY_ID_LABEL)), publicKey)).subarray(0, 16));
}

/**
 * True for the canonical encoding (RFC 8032 §5.1.3, strict) of a point in the prime-order
 * subgroup: not of small order and with no torsion component. With such keys cofactored
 * and cofactorless verification agree, so every verifier gives the same answer.
 */
export function isValidPublicKey(publicKey: Uint8Array): boolean {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_BYTES) return false;
  try {
    const point = ed25519.Point.fromBytes(publicKey, false);
    return !point.isSmallOrder() && point.isTorsionFree();
  } catch {
    return false;
  }
}

export class SigningKey {
  readonly publicKey: Uint8Array;
  readonly keyId: string;
  readonly #seed: Uint8Array;

  private constructor(seed: Uint8Array) {
    this.#seed = seed;
    this.publicKey = ed25519.getPublicKey(seed);
    this.keyId = keyIdFromPublicKey(this.publicKey);
  }

  /** Copies a 32-byte Ed25519 seed (RFC 8032 private key). */
  static fromSeed(seed: Uint8Array): SigningKey {
    if (!(seed instanceof Uint8Array) || seed.length !== ED25519_SEED_BYTES)
      throw new SluisError('key_invalid');
    return new SigningKey(Uint8Array.from(seed));
  }

  /** A fresh key from the platform CSPRNG (WebCrypto). */
  static generate(): SigningKey {
    return new SigningKey(ed25519.utils.randomSecretKey());
  }

  sign(message: Uint8Array): Uint8Array {
    return ed25519.sign(message, this.#seed);
  }

  /** The seed, for writing a key file. Handle with care. */
  exportSeed(): Uint8Array {
    return Uint8Array.from(this.#seed);
  }

  destroy(): void {
    this.#seed.fill(0);
  }

  toString(): string {
    return `SigningKey(${this.keyId})`;
  }

  toJSON(): { keyId: string } {
    return { keyId: this.keyId };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** Strict RFC 8032 verification (no ZIP-215 leniency). False on any malformed input. */
export function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  // A predicate: malformed input of any type is `false`, never an exception (noble style).
  if (!(signature instanceof Uint8Array && message instanceof Uint8Array && publicKey instanceof Uint8Array))
    return false;
  if (signature.length !== ED25519_SIGNATURE_BYTES || publicKey.length !== ED25519_PUBLIC_KEY_BYTES)
    return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}
