// Request authentication (docs/protocol.md §5.4), in the order the shared vectors fix:
// parse → Content-Digest → timestamp window → key → [caller's beforeVerify: the failure
// limit] → Ed25519 signature → [caller's beforeNonce: the rate limit] → nonce →
// organisation status → the person acted for (§5.6). A key's role is its stored role; a
// row that contradicts it is database_corrupt. The key's and organisation's status are read
// from the store on every request — before the signature check and again after it — and the
// nonce is claimed in the store, so a revocation, suspension or replay on one instance holds
// on every instance at the next request (docs/engine.md "Storage contract", clause 5). SQLite
// answers these reads from memory until a write changes a key or organisation, which is exact
// with its one writer (docs/engine.md "Key state cache"). The
// person acted for is read from the store on every request too (never cached), so a removal
// takes effect at once on every instance. Only the parsed public key is cached: a key id's
// public key never changes. No refusal says more than its code.

import type { AuthenticationHooks, Principal, SignedRequest } from '../api.js';
import { EngineError } from '../errors.js';
import { isUuid } from '../ids.js';
import {
  PublicKeyVerifier,
  contentDigest,
  parseRequestSignature,
  requestSignatureBase,
} from '../protocol/request-signature.js';
import type { EngineContext } from '../domain/context.js';
import { isSessionKeyId } from '../protocol/session-binding.js';
import { authenticateSession } from './session-auth.js';

/**
 * A key's committed state as authentication needs it. The role comes from the key row's
 * stored role alone (docs/threat-model.md §2): an organisation key whose organisation row
 * is missing is a damaged database, never an admin key.
 */
type KeyState = {
  readonly keyId: string;
  readonly status: 'active' | 'revoked';
  readonly publicKey: Uint8Array;
} & (
  | { readonly role: 'admin' }
  | {
      readonly role: 'organisation';
      readonly organisation: {
        readonly id: string;
        readonly name: string;
        readonly status: 'active' | 'suspended';
      };
    }
);

const MAX_CACHED_VERIFIERS = 10_000;

/** A key row that contradicts its own role: not served (the operator restores a backup). */
const corrupt = (): never => {
  throw new EngineError('database_corrupt', 'a key row does not match its role');
};

const refuse = (code: ConstructorParameters<typeof EngineError>[0]): never => {
  throw new EngineError(code, 'the request is not authenticated');
};

/** An unknown, removed or other organisation's person: one code for all (nothing is confirmed). */
const refuseOnBehalf = (): never => {
  throw new EngineError('on_behalf_invalid', 'the request names no active person of the organisation');
};

export class Authenticator {
  readonly #ctx: EngineContext;
  readonly #verifiers = new Map<string, PublicKeyVerifier>();
  readonly #sessionVerifiers = new Map<string, PublicKeyVerifier>();
  /** Ed25519 verifications run since start (EngineMetrics: what failed requests cost). */
  verifications = 0;

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
  }

  /** The key's and its organisation's committed state: one read, never cached here (the store may, exactly). */
  #state(keyId: string): Promise<KeyState | undefined> {
    return this.#ctx.store.read(async (tx): Promise<KeyState | undefined> => {
      const k = await tx.getKey(keyId);
      if (k === undefined) return undefined;
      const base = { keyId, status: k.status, publicKey: k.publicKey };
      if (k.role === 'admin') {
        if (k.organisationRid !== null) return corrupt();
        return { ...base, role: 'admin' };
      }
      const o = k.organisationRid === null ? undefined : await tx.getOrganisationByRid(k.organisationRid);
      if (o === undefined) return corrupt();
      return { ...base, role: 'organisation', organisation: { id: o.id, name: o.name, status: o.status } };
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

  async authenticate(req: SignedRequest, hooks: AuthenticationHooks = {}): Promise<Principal> {
    const parsed = parseRequestSignature(req.signatureInput, req.signature);
    if (!parsed.ok) return refuse(parsed.code);
    const p = parsed.value;
    // The header and its covered component come together or not at all (§5.6); its value
    // is a person id, so it can hold no line break that would forge a signature-base line.
    const onBehalfOf = req.onBehalfOf;
    if (p.onBehalfOf !== (onBehalfOf !== undefined)) refuse('auth_malformed');
    // A pseudonym-service credential (§9.7) is for that service; here it is not a profile.
    if (p.credential) refuse('auth_malformed');
    if (onBehalfOf !== undefined && !isUuid(onBehalfOf)) refuse('auth_malformed');
    if (req.contentDigest === undefined || req.contentDigest !== contentDigest(req.body))
      refuse('digest_mismatch');
    const skew = this.#ctx.config.clockSkewSeconds;
    if (Math.abs(this.#ctx.clock() / 1000 - p.created) > skew) refuse('timestamp_out_of_window');
    // A session's key id (docs/protocol.md §10.4): its own path, never a registered key.
    if (isSessionKeyId(p.keyId)) {
      if (onBehalfOf !== undefined) return refuseOnBehalf();
      return authenticateSession(
        this.#ctx,
        this.#sessionVerifiers,
        p,
        req,
        hooks,
        () => this.verifications++,
      );
    }
    let key = await this.#state(p.keyId);
    if (key === undefined) return refuse('key_unknown');
    if (key.status !== 'active') refuse('key_revoked');
    // The caller's cheap check of this key's failed authentications comes before the
    // verification it would otherwise pay for (docs/protocol.md §5.4, check 7).
    hooks.beforeVerify?.(key.keyId);
    const base = requestSignatureBase(
      { method: req.method, path: req.path, query: req.query },
      req.contentDigest!,
      p,
      onBehalfOf,
    );
    this.verifications++;
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
    // The caller's request rate limit, keyed by the verified key, before the nonce is
    // consumed: a request refused here can be sent again unchanged (docs/protocol.md §5.4).
    hooks.beforeNonce?.(key.keyId);
    // The timestamp check refuses the request once created + skew has passed, so the
    // nonce needs remembering only until then (+1 s for the fraction we round away).
    const expiresAt = (p.created + skew + 1) * 1000;
    if (!(await this.#ctx.store.claimNonce(p.keyId, p.nonce, expiresAt, nowMs))) refuse('nonce_reused');
    if (key.role === 'admin') {
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
      publicKey: key.publicKey,
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
