// Request authentication (docs/protocol.md §5.4), in the order the shared vectors fix:
// parse → Content-Digest → timestamp window → key → Ed25519 signature → nonce →
// organisation status. The key's and organisation's status are read from the store on
// every request — before the signature check and again after it — and the nonce is
// claimed in the store, so a revocation, suspension or replay on one instance holds on
// every instance at the next request (docs/engine.md "Storage contract", clause 5). Only
// the parsed public key is cached: a key id's public key never changes. No refusal says
// more than its code.

import type { Principal, SignedRequest } from '../api.js';
import { EngineError } from '../errors.js';
import {
  PublicKeyVerifier,
  contentDigest,
  parseRequestSignature,
  requestSignatureBase,
} from '../protocol/request-signature.js';
import type { EngineContext } from '../domain/context.js';

interface KeyState {
  readonly keyId: string;
  readonly status: 'active' | 'revoked';
  readonly publicKey: Uint8Array;
  readonly organisation: {
    readonly id: string;
    readonly name: string;
    readonly status: 'active' | 'suspended';
  } | null;
}

const MAX_CACHED_VERIFIERS = 10_000;

const refuse = (code: ConstructorParameters<typeof EngineError>[0]): never => {
  throw new EngineError(code, 'the request is not authenticated');
};

export class Authenticator {
  readonly #ctx: EngineContext;
  readonly #verifiers = new Map<string, PublicKeyVerifier>();

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
  }

  /** The key's and its organisation's committed state: one read, never cached. */
  #state(keyId: string): Promise<KeyState | undefined> {
    return this.#ctx.store.read(async (tx) => {
      const k = await tx.getKey(keyId);
      if (k === undefined) return undefined;
      const o = k.organisationRid === null ? undefined : await tx.getOrganisationByRid(k.organisationRid);
      return {
        keyId,
        status: k.status,
        publicKey: k.publicKey,
        organisation: o === undefined ? null : { id: o.id, name: o.name, status: o.status },
      };
    });
  }

  #verifier(key: KeyState): PublicKeyVerifier {
    const hit = this.#verifiers.get(key.keyId);
    if (hit !== undefined) return hit;
    const v = new PublicKeyVerifier(key.publicKey);
    if (this.#verifiers.size >= MAX_CACHED_VERIFIERS) this.#verifiers.clear();
    this.#verifiers.set(key.keyId, v);
    return v;
  }

  async authenticate(req: SignedRequest): Promise<Principal> {
    const parsed = parseRequestSignature(req.signatureInput, req.signature);
    if (!parsed.ok) return refuse(parsed.code);
    const p = parsed.value;
    if (req.contentDigest === undefined || req.contentDigest !== contentDigest(req.body))
      refuse('digest_mismatch');
    const skew = this.#ctx.config.clockSkewSeconds;
    if (Math.abs(this.#ctx.clock() / 1000 - p.created) > skew) refuse('timestamp_out_of_window');
    let key = await this.#state(p.keyId);
    if (key === undefined) return refuse('key_unknown');
    if (key.status !== 'active') refuse('key_revoked');
    const base = requestSignatureBase(
      { method: req.method, path: req.path, query: req.query },
      req.contentDigest!,
      p,
    );
    if (!(await this.#verifier(key).verifyAsync(Buffer.from(base, 'utf8'), p.signature)))
      refuse('signature_invalid');
    // Verification ran on the thread pool, so time passed and a revocation or suspension
    // may have committed meanwhile, on this instance or another: read the state again,
    // then check the window again and claim the nonce with the same clock reading — a
    // replay can neither outlive its nonce nor slip past a revoke.
    key = await this.#state(p.keyId);
    if (key === undefined) return refuse('key_unknown');
    if (key.status !== 'active') refuse('key_revoked');
    const nowMs = this.#ctx.clock();
    if (Math.abs(nowMs / 1000 - p.created) > skew) refuse('timestamp_out_of_window');
    // The timestamp check refuses the request once created + skew has passed, so the
    // nonce needs remembering only until then (+1 s for the fraction we round away).
    const expiresAt = (p.created + skew + 1) * 1000;
    if (!(await this.#ctx.store.claimNonce(p.keyId, p.nonce, expiresAt, nowMs))) refuse('nonce_reused');
    if (key.organisation === null) return { kind: 'admin', keyId: key.keyId };
    if (key.organisation.status !== 'active') {
      throw new EngineError('organisation_suspended', 'the organisation is suspended');
    }
    return {
      kind: 'organisation',
      organisationId: key.organisation.id,
      organisationName: key.organisation.name,
      keyId: key.keyId,
    };
  }
}
