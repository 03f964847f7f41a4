// One interface for both kinds of key epoch (docs/protocol.md §3 and §9), so that the
// client, the CLI and bulk import never care which kind an epoch is: an HMAC epoch
// (PseudonymKey, a covenant key held locally) or an OPRF epoch (OprfPseudonymiser, a key
// held by the pseudonym service only). Either gives 32-byte pseudonyms of the same form.

import type { CanonicalIdentifier } from './identifier.js';
import { type Pseudonym, isValidEpoch } from './pseudonym.js';

export type EpochKind = 'hmac' | 'oprf';
export const EPOCH_KINDS: readonly EpochKind[] = ['hmac', 'oprf'];

export interface Pseudonymiser {
  readonly kind: EpochKind;
  readonly epoch: number;
  /**
   * The pseudonym of each identifier under this epoch, in order. All or nothing: a failure
   * (a refused evaluation, a proof that does not verify) throws a SluisError.
   */
  pseudonymiseBatch(identifiers: readonly CanonicalIdentifier[]): Promise<Pseudonym[]>;
  /** Forgets the secrets this object holds (a key, blinds); unusable afterwards. */
  destroy(): void;
}

/** Structural check used where options come in from callers. */
export function isPseudonymiser(x: unknown): x is Pseudonymiser {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Record<string, unknown>;
  return (
    (p.kind === 'hmac' || p.kind === 'oprf') &&
    isValidEpoch(p.epoch) &&
    typeof p.pseudonymiseBatch === 'function' &&
    typeof p.destroy === 'function'
  );
}

/**
 * Pseudonymises every identifier under every pseudonymiser: result[i] holds identifier i's
 * pseudonyms, one per pseudonymiser in the given order. One batch per epoch, so an OPRF
 * epoch costs one round trip per MAX_EVALUATE_BATCH identifiers, not one per identifier.
 */
export async function pseudonymiseEach(
  pseudonymisers: readonly Pseudonymiser[],
  identifiers: readonly CanonicalIdentifier[],
): Promise<Pseudonym[][]> {
  const perEpoch = await Promise.all(pseudonymisers.map((p) => p.pseudonymiseBatch(identifiers)));
  return identifiers.map((_, i) => perEpoch.map((list) => list[i]!));
}
