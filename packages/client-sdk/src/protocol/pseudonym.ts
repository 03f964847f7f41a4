// Client pseudonyms (docs/protocol.md §3): HMAC-SHA-256 under the covenant
// pseudonymisation key, with a versioned label and the key's epoch as MAC input.
// The key never leaves this object: not through JSON, toString or inspect.

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { SluisError } from '../errors.js';
import { base64url, concat, lengthPrefixed, u32be, utf8 } from './encoding.js';
import type { CanonicalIdentifier } from './identifier.js';
import { PSEUDONYM_LABEL } from './labels.js';
import type { Pseudonymiser } from './pseudonymiser.js';

const LABEL_FIELD = lengthPrefixed(utf8(PSEUDONYM_LABEL));

export const PSEUDONYM_KEY_MIN_BYTES = 32;
export const PSEUDONYM_KEY_MAX_BYTES = 64;
export const PSEUDONYM_BYTES = 32;
export const MAX_EPOCH = 0xffffffff;

/** A pseudonym as it travels: the key epoch and the 32-byte MAC, base64url without padding. */
export interface Pseudonym {
  readonly epoch: number;
  readonly value: string;
}

export function isValidEpoch(epoch: unknown): epoch is number {
  return typeof epoch === 'number' && Number.isInteger(epoch) && epoch >= 1 && epoch <= MAX_EPOCH;
}

/** The covenant key of an HMAC epoch: the Pseudonymiser of docs/protocol.md §3. */
export class PseudonymKey implements Pseudonymiser {
  readonly kind = 'hmac' as const;
  readonly epoch: number;
  readonly #key: Uint8Array;
  // The keyed HMAC state (inner and outer pad absorbed) is computed once and cloned per
  // pseudonym: half the SHA-256 compressions of a plain hmac() call, same output.
  readonly #keyed: ReturnType<typeof hmac.create>;

  private constructor(key: Uint8Array, epoch: number) {
    this.#key = key;
    this.#keyed = hmac.create(sha256, key);
    this.epoch = epoch;
  }

  /** Copies the key bytes (32 to 64 bytes from a CSPRNG). */
  static fromBytes(keyBytes: Uint8Array, epoch: number): PseudonymKey {
    if (!(keyBytes instanceof Uint8Array)) throw new SluisError('key_invalid');
    if (keyBytes.length < PSEUDONYM_KEY_MIN_BYTES || keyBytes.length > PSEUDONYM_KEY_MAX_BYTES) {
      throw new SluisError('key_invalid');
    }
    if (!isValidEpoch(epoch)) throw new SluisError('epoch_invalid');
    return new PseudonymKey(Uint8Array.from(keyBytes), epoch);
  }

  /** The message that is MACed; exposed for test vectors and second implementations. */
  static message(epoch: number, identifier: CanonicalIdentifier): Uint8Array {
    return concat(
      LABEL_FIELD,
      u32be(epoch),
      lengthPrefixed(utf8(identifier.scheme)),
      lengthPrefixed(utf8(identifier.reveal())),
    );
  }

  pseudonymise(identifier: CanonicalIdentifier): Pseudonym {
    // docs/protocol.md §2.2: a low-entropy substitute identifier is never HMACed with a
    // key every organisation holds (it could be enumerated offline).
    if (identifier.scheme !== 'bsn') throw new SluisError('scheme_requires_oprf');
    const mac = this.#keyed.clone().update(PseudonymKey.message(this.epoch, identifier)).digest();
    return { epoch: this.epoch, value: base64url.encode(mac) };
  }

  async pseudonymiseBatch(identifiers: readonly CanonicalIdentifier[]): Promise<Pseudonym[]> {
    return identifiers.map((id) => this.pseudonymise(id));
  }

  /** Overwrites the key bytes; the object is unusable afterwards. */
  destroy(): void {
    this.#key.fill(0);
    this.#keyed.destroy();
  }

  toString(): string {
    return `PseudonymKey(epoch ${this.epoch})`;
  }

  toJSON(): { epoch: number } {
    return { epoch: this.epoch };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** Pseudonymises under every given key (during a key rotation's overlap the SDK sends one per epoch). */
export function pseudonymiseAll(keys: readonly PseudonymKey[], identifier: CanonicalIdentifier): Pseudonym[] {
  return keys.map((k) => k.pseudonymise(identifier));
}

export function isWellFormedPseudonym(p: unknown): p is Pseudonym {
  if (typeof p !== 'object' || p === null) return false;
  const { epoch, value } = p as Record<string, unknown>;
  if (!isValidEpoch(epoch) || typeof value !== 'string') return false;
  return base64url.decode(value)?.length === PSEUDONYM_BYTES;
}
