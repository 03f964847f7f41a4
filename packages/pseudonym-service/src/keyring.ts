// The OPRF keys, one per epoch (docs/protocol.md §9.1), and the RFC 9497 VOPRF batch
// evaluation with one DLEQ proof per batch. Invariants: a secret key is read only from a
// 0600 file in the 0700 keys directory and never leaves this object (no JSON, no inspect);
// evaluation uses @noble/curves' constant-time scalar multiplication (`multiply`, not
// `multiplyUnsafe`) for everything involving the key. The key directory is re-read when
// the operator adds or retires an epoch, so a running service follows without a restart.
// Every copy of a key's bytes this file makes is zeroed when it is no longer used: a key
// file refused, the keys of a re-read that failed, the previous keys after a re-read, and
// all of them on destroy() (docs/operations.md "Pseudonym service", Keys in memory).

import { join } from 'node:path';
import { ristretto255, ristretto255_oprf } from '@noble/curves/ed25519.js';
import { base64url } from '@sluis/client-sdk';
import {
  KEYS_DIR,
  keyFileEpochs,
  keyFileName,
  mtimeOf,
  readPrivateText,
  writeSecretFile,
} from './data-dir.js';
import { ServiceError } from './errors.js';

const voprf = ristretto255_oprf.voprf;
const SCALAR_BYTES = 32;

interface EpochKey {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export interface Evaluated {
  readonly evaluated: Uint8Array[];
  readonly proof: Uint8Array;
}

/** A key file's key; a refused one's decoded bytes are zeroed before the refusal. */
function parseKeyFile(path: string): EpochKey {
  const text = readPrivateText(path, 256).trim();
  const secretKey = base64url.decode(text);
  if (secretKey === undefined || secretKey.length !== SCALAR_BYTES) {
    secretKey?.fill(0);
    throw new ServiceError('key_file_invalid', { hint: path, file: path });
  }
  // The public key is derived, never stored: a key file cannot carry a mismatched pair.
  // sk · G with noble's constant-time multiply, which refuses 0 and scalars ≥ L.
  try {
    const publicKey = ristretto255.Point.BASE.multiply(ristretto255.Point.Fn.fromBytes(secretKey)).toBytes();
    return { secretKey, publicKey };
  } catch {
    secretKey.fill(0);
    throw new ServiceError('key_file_invalid', { hint: path, file: path });
  }
}

const zeroAll = (keys: Iterable<EpochKey>) => {
  for (const k of keys) k.secretKey.fill(0);
};

export class OprfKeyring {
  readonly #dir: string;
  #keys = new Map<number, EpochKey>();
  #mtime = -1;
  #destroyed = false;

  /** Reads every key file; a refused one throws, with the keys read before it zeroed. */
  constructor(dataDir: string) {
    this.#dir = join(dataDir, KEYS_DIR);
    this.reload();
  }

  /**
   * Re-reads the key directory if it changed (an epoch added or retired). A re-read that fails
   * (a key file broken by hand) zeroes what it read and throws; the keys of the last good read
   * stay, and the next call reads again.
   */
  reload(): void {
    this.#assertLive();
    const m = mtimeOf(this.#dir);
    if (m === this.#mtime) return;
    const next = new Map<number, EpochKey>();
    try {
      for (const epoch of keyFileEpochs(join(this.#dir, '..'))) {
        next.set(epoch, parseKeyFile(join(this.#dir, keyFileName(epoch))));
      }
    } catch (e) {
      zeroAll(next.values());
      throw e;
    }
    zeroAll(this.#keys.values());
    this.#keys = next;
    this.#mtime = m;
  }

  has(epoch: number): boolean {
    this.#assertLive();
    return this.#keys.has(epoch);
  }

  publicKeys(): { epoch: number; publicKey: Uint8Array }[] {
    this.#assertLive();
    return [...this.#keys.entries()]
      .sort(([a], [b]) => a - b)
      .map(([epoch, k]) => ({ epoch, publicKey: k.publicKey }));
  }

  /** RFC 9497 BlindEvaluate of a batch with one proof. Elements must be checked by the caller. */
  evaluate(epoch: number, blinded: readonly Uint8Array[]): Evaluated {
    this.#assertLive();
    const k = this.#keys.get(epoch);
    if (k === undefined) throw new ServiceError('epoch_unknown');
    const r = voprf.blindEvaluateBatch(k.secretKey, k.publicKey, [...blinded]);
    return { evaluated: r.evaluated, proof: r.proof };
  }

  /**
   * Zeroes every epoch's key and forgets them; idempotent. From then on every use — a re-read
   * of the directory too — is refused (`internal`), never an evaluation under a zeroed key.
   * Called by the service's stop and a failed start, and by `public-keys` when done.
   */
  destroy(): void {
    zeroAll(this.#keys.values());
    this.#keys.clear();
    this.#destroyed = true;
  }

  #assertLive(): void {
    if (this.#destroyed) throw new ServiceError('internal', { hint: 'the OPRF keys are destroyed' });
  }

  toString(): string {
    return `OprfKeyring(epochs ${[...this.#keys.keys()].join(',')})`;
  }

  toJSON(): { epochs: number[] } {
    return { epochs: [...this.#keys.keys()] };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * Creates the key of a new epoch (RFC 9497 GenerateKeyPair) and returns its public key; the
 * directory's fsync is the caller's (createEpochKey, command-change.ts, with its logbook line).
 */
export function writeEpochKey(dataDir: string, epoch: number): Uint8Array {
  const keys = voprf.generateKeyPair();
  try {
    writeSecretFile(join(dataDir, KEYS_DIR, keyFileName(epoch)), `${base64url.encode(keys.secretKey)}\n`);
    return keys.publicKey;
  } finally {
    keys.secretKey.fill(0);
  }
}

/** The path of epoch's key file; `key_file_exists` (`absent`) or `epoch_unknown` when it is not as expected. */
export function epochKeyFile(dataDir: string, epoch: number, expect: 'absent' | 'present'): string {
  const path = join(dataDir, KEYS_DIR, keyFileName(epoch));
  const exists = mtimeOf(path) !== 0;
  if (expect === 'absent' && exists) throw new ServiceError('key_file_exists', { hint: path, file: path });
  if (expect === 'present' && !exists) throw new ServiceError('epoch_unknown');
  return path;
}
