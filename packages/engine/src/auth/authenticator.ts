// Request authentication (docs/protocol.md §5.4), in the order the shared vectors fix:
// parse → Content-Digest → timestamp window → key → Ed25519 signature → nonce →
// organisation status → the person acted for (§5.6). Key records and their node:crypto
// verifiers are cached so a request costs one verify and no store read; revocation,
// suspension and reinstatement invalidate the cache, so they take effect on the next
// request. A person named on behalf of is read from the store on every request (never
// cached), so a removal takes effect at once on every instance. No refusal says more than
// its code.

import type { Principal, SignedRequest } from '../api.js';
import { EngineError } from '../errors.js';
import { isUuid } from '../ids.js';
import {
  PublicKeyVerifier,
  contentDigest,
  parseRequestSignature,
  requestSignatureBase,
} from '../protocol/request-signature.js';
import type { EngineContext } from '../domain/context.js';
import { NonceCache } from './nonce-cache.js';

interface CachedKey {
  readonly keyId: string;
  readonly status: 'active' | 'revoked';
  readonly verifier: PublicKeyVerifier;
  readonly organisation: {
    readonly id: string;
    readonly name: string;
    readonly status: 'active' | 'suspended';
  } | null;
}

const MAX_CACHED_KEYS = 10_000;

const refuse = (code: ConstructorParameters<typeof EngineError>[0]): never => {
  throw new EngineError(code, 'the request is not authenticated');
};

/** An unknown, removed or other organisation's person: one code for all (nothing is confirmed). */
const refuseOnBehalf = (): never => {
  throw new EngineError('on_behalf_invalid', 'the request names no active person of the organisation');
};

export class Authenticator {
  readonly #ctx: EngineContext;
  readonly #keys = new Map<string, CachedKey>();
  #generation = 0;
  readonly nonces = new NonceCache();

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
  }

  /** Forget every cached key (after revoke, add, suspend, reinstate). */
  invalidate(): void {
    this.#generation++;
    this.#keys.clear();
  }

  async #lookup(keyId: string): Promise<CachedKey | undefined> {
    const hit = this.#keys.get(keyId);
    if (hit !== undefined) return hit;
    const generation = this.#generation;
    const found = await this.#ctx.store.read(async (tx) => {
      const k = await tx.getKey(keyId);
      if (k === undefined) return undefined;
      const o = k.organisationRid === null ? undefined : await tx.getOrganisationByRid(k.organisationRid);
      return { k, o };
    });
    if (found === undefined) return undefined;
    const entry: CachedKey = {
      keyId,
      status: found.k.status,
      verifier: new PublicKeyVerifier(found.k.publicKey),
      organisation:
        found.o === undefined ? null : { id: found.o.id, name: found.o.name, status: found.o.status },
    };
    // A change committed while we were reading must not be overwritten by stale data.
    if (generation === this.#generation) {
      if (this.#keys.size >= MAX_CACHED_KEYS) this.#keys.clear();
      this.#keys.set(keyId, entry);
    }
    return entry;
  }

  async authenticate(req: SignedRequest): Promise<Principal> {
    const parsed = parseRequestSignature(req.signatureInput, req.signature);
    if (!parsed.ok) return refuse(parsed.code);
    const p = parsed.value;
    // The header and its covered component come together or not at all (§5.6); its value
    // is a person id, so it can hold no line break that would forge a signature-base line.
    const onBehalfOf = req.onBehalfOf;
    if (p.onBehalfOf !== (onBehalfOf !== undefined)) refuse('auth_malformed');
    if (onBehalfOf !== undefined && !isUuid(onBehalfOf)) refuse('auth_malformed');
    if (req.contentDigest === undefined || req.contentDigest !== contentDigest(req.body))
      refuse('digest_mismatch');
    const skew = this.#ctx.config.clockSkewSeconds;
    if (Math.abs(this.#ctx.clock() / 1000 - p.created) > skew) refuse('timestamp_out_of_window');
    let generation = this.#generation;
    let key = await this.#lookup(p.keyId);
    if (key === undefined) return refuse('key_unknown');
    if (key.status !== 'active') refuse('key_revoked');
    const base = requestSignatureBase(
      { method: req.method, path: req.path, query: req.query },
      req.contentDigest!,
      p,
      onBehalfOf,
    );
    if (!(await key.verifier.verifyAsync(Buffer.from(base, 'utf8'), p.signature)))
      refuse('signature_invalid');
    // Verification ran on the thread pool, so time passed and a revocation or suspension
    // may have committed meanwhile: look the key up again if the cache was invalidated,
    // then check the window again and the nonce with the same clock reading, with no
    // await between them — a replay can neither outlive its nonce nor slip past a revoke.
    while (generation !== this.#generation) {
      generation = this.#generation;
      key = await this.#lookup(p.keyId);
      if (key === undefined) return refuse('key_unknown');
      if (key.status !== 'active') refuse('key_revoked');
    }
    const nowMs = this.#ctx.clock();
    if (Math.abs(nowMs / 1000 - p.created) > skew) refuse('timestamp_out_of_window');
    // The timestamp check refuses the request once created + skew has passed, so the
    // nonce needs remembering only until then (+1 s for the fraction we round away).
    const expiresAt = (p.created + skew + 1) * 1000;
    if (this.nonces.checkAndAdd(p.keyId, p.nonce, expiresAt, nowMs)) refuse('nonce_reused');
    if (key.organisation === null) {
      if (onBehalfOf !== undefined) return refuseOnBehalf();
      return { kind: 'admin', keyId: key.keyId };
    }
    if (key.organisation.status !== 'active') {
      throw new EngineError('organisation_suspended', 'the organisation is suspended');
    }
    const principal = {
      kind: 'organisation' as const,
      organisationId: key.organisation.id,
      organisationName: key.organisation.name,
      keyId: key.keyId,
    };
    if (onBehalfOf === undefined) return principal;
    const person = await this.#ctx.store.read((tx) => tx.getPerson(onBehalfOf));
    if (
      person === undefined ||
      person.status !== 'active' ||
      person.organisationId !== principal.organisationId
    ) {
      return refuseOnBehalf();
    }
    return { ...principal, onBehalfOf: { personId: person.id, roles: person.roles } };
  }
}
