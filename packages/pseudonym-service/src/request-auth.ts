// Request authentication at the pseudonym service: the RFC 9421 profile of
// docs/protocol.md §5, verified with the match server's own code (@sluis/engine/protocol)
// in the same order with the same codes — parse → Content-Digest → timestamp window →
// key admitted → Ed25519 signature → nonce → organisation not suspended.

import {
  NonceCache,
  contentDigest,
  parseRequestSignature,
  requestSignatureBase,
} from '@sluis/engine/protocol';
import type { AdmissionList, AdmittedKey } from './admission.js';
import { ServiceError } from './errors.js';

export const CLOCK_SKEW_SECONDS = 300;

export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly contentDigest: string | undefined;
  readonly signatureInput: string | undefined;
  readonly signature: string | undefined;
  readonly body: Uint8Array;
}

export class RequestAuthenticator {
  readonly nonces = new NonceCache();
  readonly #admission: AdmissionList;
  readonly #clock: () => number;

  constructor(admission: AdmissionList, clock: () => number) {
    this.#admission = admission;
    this.#clock = clock;
  }

  async authenticate(req: SignedRequest): Promise<AdmittedKey> {
    const parsed = parseRequestSignature(req.signatureInput, req.signature);
    if (!parsed.ok) throw new ServiceError(parsed.code);
    const p = parsed.value;
    if (req.contentDigest === undefined || req.contentDigest !== contentDigest(req.body))
      throw new ServiceError('digest_mismatch');
    if (Math.abs(this.#clock() / 1000 - p.created) > CLOCK_SKEW_SECONDS)
      throw new ServiceError('timestamp_out_of_window');
    this.#admission.reload();
    const key = this.#admission.get(p.keyId);
    if (key === undefined) throw new ServiceError('key_unknown');
    const base = requestSignatureBase(
      { method: req.method, path: req.path, query: req.query },
      req.contentDigest,
      p,
    );
    if (!(await key.verifier.verifyAsync(Buffer.from(base, 'utf8'), p.signature)))
      throw new ServiceError('signature_invalid');
    const nowMs = this.#clock();
    if (Math.abs(nowMs / 1000 - p.created) > CLOCK_SKEW_SECONDS)
      throw new ServiceError('timestamp_out_of_window');
    const expiresAt = (p.created + CLOCK_SKEW_SECONDS + 1) * 1000;
    if (this.nonces.checkAndAdd(p.keyId, p.nonce, expiresAt, nowMs)) throw new ServiceError('nonce_reused');
    // Re-read after the await: a suspension or removal committed meanwhile wins.
    this.#admission.reload();
    const current = this.#admission.get(p.keyId);
    if (current === undefined) throw new ServiceError('key_unknown');
    if (current.organisation.status !== 'active') throw new ServiceError('organisation_suspended');
    return current;
  }
}
