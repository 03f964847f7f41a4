// Request authentication at the pseudonym service: the RFC 9421 profile of
// docs/protocol.md §5, verified with the match server's own code (@sluis/engine/protocol)
// in the same order with the same codes — parse → Content-Digest → timestamp window →
// key admitted → Ed25519 signature → nonce → organisation not suspended. A request that
// presents a match-server credential (§9.7) is checked in the order of §9.7 instead:
// the credential's form, issuer, issuer signature, lifetime and binding come before the
// request signature, which is verified under the credential's bound key; the organisation
// is the credential's, looked up on the admission list by its match-server id. Nothing of
// the match server's session state is needed: the credential carries what is checked.

import {
  NonceCache,
  PublicKeyVerifier,
  contentDigest,
  credentialRequestSignatureBase,
  decodeCredential,
  isValidPublicKey,
  parseRequestSignature,
  requestSignatureBase,
} from '@sluis/engine/protocol';
import type { AdmissionList, AdmittedOrganisation } from './admission.js';
import { ServiceError } from './errors.js';

export const CLOCK_SKEW_SECONDS = 300;

export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly contentDigest: string | undefined;
  readonly signatureInput: string | undefined;
  readonly signature: string | undefined;
  /** The `Sluis-Credential` header (§9.7), when sent. */
  readonly credential?: string | undefined;
  readonly body: Uint8Array;
}

/** Who asks: the signing key's id and organisation, and with a credential the person. */
export interface Caller {
  readonly keyId: string;
  readonly organisation: AdmittedOrganisation;
  readonly person?: {
    readonly personId: string;
    readonly credentialId: string;
    readonly issuerKeyId: string;
    /** ms */
    readonly expiresAt: number;
  };
}

export interface AuthHooks {
  readonly beforeVerify?: (keyId: string) => void;
  /**
   * Awaited once the nonce is claimed and before the organisation is read again (the service
   * makes the nonce durable here, nonce-file.ts): a suspension committed while it runs wins.
   */
  readonly afterNonce?: () => Promise<void>;
}

export interface CredentialPolicy {
  /** The longest lifetime (expiresAt − issuedAt) accepted, in seconds. */
  readonly maxLifetimeSeconds: number;
}

export class RequestAuthenticator {
  readonly nonces = new NonceCache();
  readonly #admission: AdmissionList;
  readonly #clock: () => number;
  readonly #policy: CredentialPolicy;

  constructor(admission: AdmissionList, clock: () => number, policy: CredentialPolicy) {
    this.#admission = admission;
    this.#clock = clock;
    this.#policy = policy;
  }

  /**
   * `beforeVerify` runs with the request's key id right before the request signature's
   * Ed25519 verification (the failed-authentication limit per key, abuse/auth-failure-limit.ts).
   */
  async authenticate(req: SignedRequest, hooks: AuthHooks = {}): Promise<Caller> {
    const parsed = parseRequestSignature(req.signatureInput, req.signature);
    if (!parsed.ok) throw new ServiceError(parsed.code);
    const p = parsed.value;
    // The service names no person on behalf of (it has no people); a credential header and
    // its covered component come together or not at all (§9.7).
    if (p.onBehalfOf || p.credential !== (req.credential !== undefined))
      throw new ServiceError('auth_malformed');
    if (req.contentDigest === undefined || req.contentDigest !== contentDigest(req.body))
      throw new ServiceError('digest_mismatch');
    if (Math.abs(this.#clock() / 1000 - p.created) > CLOCK_SKEW_SECONDS)
      throw new ServiceError('timestamp_out_of_window');
    this.#admission.reload();
    return req.credential === undefined
      ? this.#byKey(req, p, hooks)
      : this.#byCredential(req, p, req.credential, hooks);
  }

  async #byKey(req: SignedRequest, p: Parsed, hooks: AuthHooks): Promise<Caller> {
    const key = this.#admission.get(p.keyId);
    if (key === undefined) throw new ServiceError('key_unknown');
    hooks.beforeVerify?.(p.keyId);
    const base = requestSignatureBase(target(req), req.contentDigest!, p);
    if (!(await key.verifier.verifyAsync(Buffer.from(base, 'utf8'), p.signature)))
      throw new ServiceError('signature_invalid');
    this.#claimNonce(p);
    await hooks.afterNonce?.();
    // Re-read after the awaits: a suspension or removal committed meanwhile wins.
    this.#admission.reload();
    const current = this.#admission.get(p.keyId);
    if (current === undefined) throw new ServiceError('key_unknown');
    if (current.organisation.status !== 'active') throw new ServiceError('organisation_suspended');
    return { keyId: current.keyId, organisation: current.organisation };
  }

  async #byCredential(req: SignedRequest, p: Parsed, header: string, hooks: AuthHooks): Promise<Caller> {
    const decoded = decodeCredential(header);
    if (decoded === undefined) throw new ServiceError('credential_malformed');
    const c = decoded.claims;
    const issuer = this.#admission.issuer(c.issuerKeyId);
    if (issuer === undefined) throw new ServiceError('credential_issuer_unknown');
    if (
      !(await issuer.verifier.verifyAsync(decoded.signed, decoded.signature)) ||
      !isValidPublicKey(c.publicKey) ||
      c.expiresAt - c.issuedAt > this.#policy.maxLifetimeSeconds
    )
      throw new ServiceError('credential_invalid');
    this.#checkLifetime(c.issuedAt, c.expiresAt);
    if (p.keyId !== c.keyId) throw new ServiceError('credential_key_mismatch');
    hooks.beforeVerify?.(p.keyId);
    const base = credentialRequestSignatureBase(target(req), req.contentDigest!, p, header);
    if (!(await new PublicKeyVerifier(c.publicKey).verifyAsync(Buffer.from(base, 'utf8'), p.signature)))
      throw new ServiceError('signature_invalid');
    this.#checkLifetime(c.issuedAt, c.expiresAt);
    this.#claimNonce(p);
    await hooks.afterNonce?.();
    this.#admission.reload();
    if (this.#admission.issuer(c.issuerKeyId) === undefined)
      throw new ServiceError('credential_issuer_unknown');
    const organisation = this.#admission.byOrganisationId(c.organisationId);
    if (organisation === undefined) throw new ServiceError('organisation_unknown');
    if (organisation.status !== 'active') throw new ServiceError('organisation_suspended');
    return {
      keyId: p.keyId,
      organisation,
      person: {
        personId: c.personId,
        credentialId: c.credentialId,
        issuerKeyId: c.issuerKeyId,
        expiresAt: c.expiresAt * 1000,
      },
    };
  }

  /** Valid from issuedAt (with the clock skew allowed) until before expiresAt. */
  #checkLifetime(issuedAt: number, expiresAt: number): void {
    const now = this.#clock() / 1000;
    if (now >= expiresAt || issuedAt > now + CLOCK_SKEW_SECONDS) throw new ServiceError('credential_expired');
  }

  #claimNonce(p: Parsed): void {
    const nowMs = this.#clock();
    if (Math.abs(nowMs / 1000 - p.created) > CLOCK_SKEW_SECONDS)
      throw new ServiceError('timestamp_out_of_window');
    const expiresAt = (p.created + CLOCK_SKEW_SECONDS + 1) * 1000;
    if (this.nonces.checkAndAdd(p.keyId, p.nonce, expiresAt, nowMs)) throw new ServiceError('nonce_reused');
  }
}

type Parsed = Extract<ReturnType<typeof parseRequestSignature>, { ok: true }>['value'];

const target = (req: SignedRequest) => ({ method: req.method, path: req.path, query: req.query });
