// The Pseudonymiser of an OPRF epoch (docs/protocol.md §9): blind → evaluate at the
// pseudonym service → verify the batch proof against the epoch's pinned public key →
// finalize → derive. Invariants: the raw identifier and the OPRF output never leave this
// process; a proof that does not verify yields no pseudonym at all (oprf_proof_invalid);
// the blinds are overwritten once a batch is done.

import { SluisError } from '../errors.js';
import { base64url } from '../protocol/encoding.js';
import type { CanonicalIdentifier } from '../protocol/identifier.js';
import {
  type BlindedInput,
  MAX_EVALUATE_BATCH,
  type OprfRng,
  blindInput,
  finalizeBatch,
  isValidOprfPublicKey,
  oprfInput,
  pseudonymFromOutput,
} from '../protocol/oprf.js';
import { type Pseudonym, isValidEpoch } from '../protocol/pseudonym.js';
import type { Pseudonymiser } from '../protocol/pseudonymiser.js';
import type { PseudonymService } from './pseudonym-service-client.js';

export interface OprfPseudonymiserOptions {
  readonly epoch: number;
  /** The epoch's public key as pinned from the key ceremony record (base64url or bytes). */
  readonly publicKey: string | Uint8Array;
  readonly service: PseudonymService;
  /** Elements per evaluate request, 1…MAX_EVALUATE_BATCH. Default MAX_EVALUATE_BATCH. */
  readonly batchSize?: number;
  /** Test vectors only: the byte source for blinds. Default the platform CSPRNG. */
  readonly rng?: OprfRng;
}

export class OprfPseudonymiser implements Pseudonymiser {
  readonly kind = 'oprf' as const;
  readonly epoch: number;
  readonly publicKey: Uint8Array;
  readonly #service: PseudonymService;
  readonly #batchSize: number;
  readonly #rng: OprfRng | undefined;
  #destroyed = false;

  private constructor(options: OprfPseudonymiserOptions, publicKey: Uint8Array, batchSize: number) {
    this.epoch = options.epoch;
    this.publicKey = publicKey;
    this.#service = options.service;
    this.#batchSize = batchSize;
    this.#rng = options.rng;
  }

  static create(options: OprfPseudonymiserOptions): OprfPseudonymiser {
    if (typeof options !== 'object' || options === null)
      throw new SluisError('input_invalid', { fields: [''] });
    if (!isValidEpoch(options.epoch)) throw new SluisError('epoch_invalid');
    const pk =
      typeof options.publicKey === 'string' ? base64url.decode(options.publicKey) : options.publicKey;
    if (!isValidOprfPublicKey(pk)) throw new SluisError('key_invalid');
    if (typeof options.service?.evaluate !== 'function')
      throw new SluisError('input_invalid', { fields: ['service'] });
    const size = options.batchSize ?? MAX_EVALUATE_BATCH;
    if (!Number.isInteger(size) || size < 1 || size > MAX_EVALUATE_BATCH)
      throw new SluisError('input_invalid', { fields: ['batchSize'] });
    return new OprfPseudonymiser(options, Uint8Array.from(pk), size);
  }

  async pseudonymiseBatch(identifiers: readonly CanonicalIdentifier[]): Promise<Pseudonym[]> {
    if (this.#destroyed) throw new SluisError('key_invalid');
    const out: Pseudonym[] = [];
    for (let i = 0; i < identifiers.length; i += this.#batchSize) {
      out.push(...(await this.#chunk(identifiers.slice(i, i + this.#batchSize))));
    }
    return out;
  }

  async #chunk(identifiers: readonly CanonicalIdentifier[]): Promise<Pseudonym[]> {
    const items: BlindedInput[] = identifiers.map((id) => blindInput(oprfInput(this.epoch, id), this.#rng));
    try {
      const answer = await this.#service.evaluate(
        this.epoch,
        items.map((it) => it.blinded),
      );
      const outputs = finalizeBatch(items, answer.evaluated, this.publicKey, answer.proof);
      if (outputs === undefined) throw new SluisError('oprf_proof_invalid');
      return outputs.map((o) => {
        const p = pseudonymFromOutput(o, this.epoch);
        o.fill(0);
        return p;
      });
    } finally {
      for (const it of items) {
        it.blind.fill(0);
        it.input.fill(0);
      }
    }
  }

  destroy(): void {
    this.#destroyed = true;
  }

  toString(): string {
    return `OprfPseudonymiser(epoch ${this.epoch})`;
  }

  toJSON(): { kind: 'oprf'; epoch: number } {
    return { kind: 'oprf', epoch: this.epoch };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
