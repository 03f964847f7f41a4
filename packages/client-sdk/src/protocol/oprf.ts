// OPRF epochs (docs/protocol.md §9): RFC 9497 VOPRF over ristretto255-SHA512 with
// @noble/curves. The client blinds a canonical identifier, the pseudonym service
// evaluates it under a key only it holds, the client verifies the batch's DLEQ proof
// against the epoch's pinned public key, unblinds, and derives the 32-byte pseudonym
// with a versioned label. The OPRF output itself never leaves this module.

import { ristretto255, ristretto255_oprf } from '@noble/curves/ed25519.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64url, concat, lengthPrefixed, u32be, utf8 } from './encoding.js';
import type { CanonicalIdentifier } from './identifier.js';
import { OPRF_INPUT_LABEL, OPRF_PSEUDONYM_LABEL } from './labels.js';
import type { Pseudonym } from './pseudonym.js';

/** RFC 9497 suite and mode of every OPRF epoch. */
export const OPRF_SUITE = 'ristretto255-SHA512';
export const OPRF_MODE = 'voprf';
/** Encoded ristretto255 element (RFC 9496 §4.3.2). */
export const OPRF_ELEMENT_BYTES = 32;
/** A batch proof is c ‖ s, two 32-byte little-endian scalars (RFC 9497 §2.2.1). */
export const OPRF_PROOF_BYTES = 64;
/** Largest batch of blinded elements in one evaluate request (docs/protocol.md §9.3). */
export const MAX_EVALUATE_BATCH = 1000;

const voprf = ristretto255_oprf.voprf;
const INPUT_LABEL_FIELD = lengthPrefixed(utf8(OPRF_INPUT_LABEL));
const PSEUDONYM_LABEL_FIELD = lengthPrefixed(utf8(OPRF_PSEUDONYM_LABEL));

/** The RFC 9497 PrivateInput: lp(label) ‖ u32be(epoch) ‖ lp(scheme) ‖ lp(canonical). */
export function oprfInput(epoch: number, identifier: CanonicalIdentifier): Uint8Array {
  return concat(
    INPUT_LABEL_FIELD,
    u32be(epoch),
    lengthPrefixed(utf8(identifier.scheme)),
    lengthPrefixed(utf8(identifier.reveal())),
  );
}

/** pseudonym = HMAC-SHA-256(output, lp(label) ‖ u32be(epoch)); the 64-byte output is the key. */
export function pseudonymFromOutput(output: Uint8Array, epoch: number): Pseudonym {
  return {
    epoch,
    value: base64url.encode(hmac(sha256, output, concat(PSEUDONYM_LABEL_FIELD, u32be(epoch)))),
  };
}

export type ElementCheck = 'ok' | 'element_invalid' | 'element_identity';

/**
 * Checks one received element: the canonical RFC 9496 encoding of a group element
 * (`element_invalid` otherwise) that is not the identity (`element_identity`,
 * RFC 9497 §3.3). A predicate: never throws.
 */
export function checkElement(bytes: unknown): ElementCheck {
  if (!(bytes instanceof Uint8Array) || bytes.length !== OPRF_ELEMENT_BYTES) return 'element_invalid';
  try {
    const point = ristretto255.Point.fromBytes(bytes);
    return point.is0() ? 'element_identity' : 'ok';
  } catch {
    return 'element_invalid';
  }
}

/** A byte source for blinds and proof nonces (noble's RNG shape); tests inject one. */
export type OprfRng = NonNullable<Parameters<typeof voprf.blind>[1]>;

/** A blinded identifier: `blind` stays with the client, `blinded` goes to the service. */
export interface BlindedInput {
  readonly input: Uint8Array;
  readonly blind: Uint8Array;
  readonly blinded: Uint8Array;
}

/** RFC 9497 §3.3.2 Blind. `rng` is for test vectors only; the default is the CSPRNG. */
export function blindInput(input: Uint8Array, rng?: OprfRng): BlindedInput {
  const r = rng === undefined ? voprf.blind(input) : voprf.blind(input, rng);
  return { input, blind: r.blind, blinded: r.blinded };
}

/**
 * Verifies the batch proof against `publicKey` and finalizes every item (RFC 9497
 * §3.3.2 Finalize with the batched VerifyProof of §2.2.2). Returns undefined when the
 * proof does not verify or any element is malformed: the caller then sends nothing.
 */
export function finalizeBatch(
  items: readonly BlindedInput[],
  evaluated: readonly Uint8Array[],
  publicKey: Uint8Array,
  proof: Uint8Array,
): Uint8Array[] | undefined {
  if (evaluated.length !== items.length || proof.length !== OPRF_PROOF_BYTES) return undefined;
  for (const e of evaluated) if (checkElement(e) !== 'ok') return undefined;
  try {
    return voprf.finalizeBatch(
      items.map((it, i) => ({
        input: it.input,
        blind: it.blind,
        blinded: it.blinded,
        evaluated: evaluated[i]!,
      })),
      publicKey,
      proof,
    );
  } catch {
    return undefined;
  }
}

/** True for a public key the client can pin: a canonical, non-identity element. */
export function isValidOprfPublicKey(publicKey: unknown): publicKey is Uint8Array {
  return checkElement(publicKey) === 'ok';
}
