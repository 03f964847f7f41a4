// Server re-keying (docs/protocol.md §4, docs/keys.md). The server never stores a client
// pseudonym: it stores a MAC of it under the server secret, so a database dump alone
// links nothing and the covenant key alone cannot test a guess against a dump.
// Rotating the server secret adds a generation: storedₙ is a MAC of storedₙ₋₁, so the
// server re-keys every stored row by itself, without any organisation's help.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { EngineError } from '../errors.js';
import { fromBase64url, lengthPrefixed, u32be } from './bytes.js';
import {
  REKEY_LABEL,
  REQUEST_HASH_LABEL,
  REQUEST_HASH_REKEY_LABEL,
  SERVER_SECRET_CHECK_LABEL,
  STORED_PSEUDONYM_LABEL,
} from './labels.js';

export const SERVER_SECRET_BYTES = 32;
export const PSEUDONYM_BYTES = 32;
/**
 * Length of a placement's idempotency hash (schema step 6; 16 before). It only tells a
 * retry from a different placement under the same request id of the same organisation:
 * a keyed 64-bit value mistakes one for the other with probability 2⁻⁶⁴.
 */
export const REQUEST_HASH_BYTES = 8;

const storedLabel = lengthPrefixed(Buffer.from(STORED_PSEUDONYM_LABEL, 'utf8'));
const rekeyLabel = lengthPrefixed(Buffer.from(REKEY_LABEL, 'utf8'));
const requestHashLabel = lengthPrefixed(Buffer.from(REQUEST_HASH_REKEY_LABEL, 'utf8'));
const requestHashGen1Label = lengthPrefixed(Buffer.from(REQUEST_HASH_LABEL, 'utf8'));
const checkLabel = lengthPrefixed(Buffer.from(SERVER_SECRET_CHECK_LABEL, 'utf8'));

/** Generation 1: stored₁ = HMAC-SHA-256(serverSecret₁, lp(label) ‖ u32be(epoch) ‖ lp(pseudonym)). */
export function storedPseudonymGen1(serverSecret: Uint8Array, epoch: number, pseudonym: Uint8Array): Buffer {
  return createHmac('sha256', serverSecret)
    .update(storedLabel)
    .update(u32be(epoch))
    .update(lengthPrefixed(pseudonym))
    .digest();
}

/** Generation n ≥ 2: storedₙ = HMAC-SHA-256(serverSecretₙ, lp(label) ‖ u32be(n) ‖ lp(storedₙ₋₁)). */
export function rekeyStep(serverSecret: Uint8Array, generation: number, previous: Uint8Array): Buffer {
  return createHmac('sha256', serverSecret)
    .update(rekeyLabel)
    .update(u32be(generation))
    .update(lengthPrefixed(previous))
    .digest();
}

/**
 * The check value of server-secret generation g: HMAC-SHA-256(serverSecret_g, lp(label) ‖
 * u32be(g)), recorded in the store so that every instance proves it holds the same secret
 * (docs/keys.md §2.2 "Check values"). A MAC of a fixed public input: it reveals nothing of
 * the key, and its input begins with a label no other construction uses, so it equals no
 * stored value or idempotency hash.
 */
export function secretCheckValue(serverSecret: Uint8Array, generation: number): Buffer {
  return createHmac('sha256', serverSecret).update(checkLabel).update(u32be(generation)).digest();
}

/**
 * The server secrets by generation, 1…current. Every generation is needed to derive the current one.
 * Holds its own copies; `destroy()` zeroes them, and from then on every use is refused
 * (`store_closed`), so a destroyed holder never derives a value under a zeroed key.
 */
export class ServerSecrets {
  readonly #secrets: Map<number, Buffer>;
  #current: number;
  #destroyed = false;

  constructor(secrets: ReadonlyMap<number, Uint8Array>) {
    const gens = [...secrets.keys()].sort((a, b) => a - b);
    if (gens.length === 0 || gens[0] !== 1 || gens.some((g, i) => g !== i + 1)) {
      throw new EngineError('config_invalid', 'server secrets must be generations 1..n without gaps');
    }
    for (const s of secrets.values()) {
      if (s.length !== SERVER_SECRET_BYTES)
        throw new EngineError('config_invalid', 'server secret must be 32 bytes');
    }
    this.#secrets = new Map([...secrets].map(([g, s]) => [g, Buffer.from(s)]));
    this.#current = gens[gens.length - 1]!;
  }

  /** The generation new rows are written at. */
  get current(): number {
    return this.#current;
  }

  /**
   * Adds generation current+1 (a server-secret rotation, docs/keys.md). From now on new
   * rows are written at it; the caller persists the secret before calling this.
   */
  addGeneration(secret: Uint8Array): number {
    this.#assertLive();
    if (secret.length !== SERVER_SECRET_BYTES)
      throw new EngineError('config_invalid', 'server secret must be 32 bytes');
    const g = this.#current + 1;
    this.#secrets.set(g, Buffer.from(secret));
    this.#current = g;
    return g;
  }

  /**
   * Makes generation `g` known with `secret`: added when it is current+1 (another instance
   * began the rotation, or this one's own rotation committed), accepted when it is already
   * known with the same bytes; anything else is `config_invalid` (a different key file for a
   * generation already in use would make stored values unreachable).
   */
  ensureGeneration(g: number, secret: Uint8Array): void {
    const known = this.#secret(g);
    if (known !== undefined) {
      if (secret.length !== known.length || !timingSafeEqual(known, secret)) {
        throw new EngineError('config_invalid', 'a server secret generation differs from the one in use');
      }
      return;
    }
    if (g !== this.#current + 1)
      throw new EngineError('config_invalid', 'server secrets must be generations 1..n without gaps');
    this.addGeneration(secret);
  }

  /** The check value of generation `g` (secretCheckValue); `config_invalid` when unknown. */
  checkValue(generation: number): Buffer {
    const secret = this.#secret(generation);
    if (secret === undefined) throw new EngineError('config_invalid', 'unknown server secret generation');
    return secretCheckValue(secret, generation);
  }

  /**
   * A placement's idempotency hash at generation 1, `bytes` long: keyed, so a database
   * dump cannot be used to confirm guessed contact details or end dates against it.
   */
  requestHashGen1(canonicalInput: string, bytes: number = REQUEST_HASH_BYTES): Buffer {
    return createHmac('sha256', this.#secret(1)!)
      .update(requestHashGen1Label)
      .update(canonicalInput, 'utf8')
      .digest()
      .subarray(0, bytes);
  }

  /**
   * A placement's idempotency hash re-keyed from generation g−1 to g (labels.ts); it keeps
   * its length (16 bytes for signals written before schema step 6, 8 since).
   */
  rekeyRequestHash(generation: number, previous: Uint8Array): Buffer {
    const secret = this.#secret(generation);
    if (secret === undefined) throw new EngineError('config_invalid', 'unknown server secret generation');
    return createHmac('sha256', secret)
      .update(requestHashLabel)
      .update(u32be(generation))
      .update(lengthPrefixed(previous))
      .digest()
      .subarray(0, previous.length);
  }

  /**
   * The stored form of a client pseudonym at every generation up to `upTo`
   * (index 0 = generation 1). During a rotation lookups use the last two.
   */
  derive(epoch: number, pseudonym: Uint8Array, upTo: number = this.current): Buffer[] {
    const out: Buffer[] = [];
    let value = storedPseudonymGen1(this.#secret(1)!, epoch, pseudonym);
    out.push(value);
    for (let g = 2; g <= upTo; g++) {
      value = rekeyStep(this.#secret(g)!, g, value);
      out.push(value);
    }
    return out;
  }

  /** Re-keys one stored value from generation g−1 to g. */
  rekey(generation: number, previous: Uint8Array): Buffer {
    const secret = this.#secret(generation);
    if (secret === undefined) throw new EngineError('config_invalid', 'unknown server secret generation');
    return rekeyStep(secret, generation, previous);
  }

  /**
   * Zeroes every generation's copy and forgets them; idempotent. Called once nothing derives
   * any more (the server: after the database is closed, docs/operations.md "Shutdown").
   */
  destroy(): void {
    for (const s of this.#secrets.values()) s.fill(0);
    this.#secrets.clear();
    this.#destroyed = true;
  }

  #assertLive(): void {
    if (this.#destroyed) throw new EngineError('store_closed', 'the server secrets are destroyed');
  }

  /** Generation `g`'s secret; refused once destroyed (never a zeroed key). */
  #secret(g: number): Buffer | undefined {
    this.#assertLive();
    return this.#secrets.get(g);
  }

  /** Decodes a wire pseudonym; undefined when it is not 32 bytes of canonical base64url. */
  static decodePseudonym(value: string): Buffer | undefined {
    const bytes = fromBase64url(value);
    return bytes?.length === PSEUDONYM_BYTES ? bytes : undefined;
  }

  toJSON(): string {
    return '[server secrets]';
  }

  toString(): string {
    return '[server secrets]';
  }
}
