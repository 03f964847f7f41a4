// The signed HTTP client of the pseudonym service (docs/protocol.md §9.3, §9.5): the same
// RFC 9421 profile, keys, retries and problem+json mapping as the match server's client
// (transport.ts). Invariant: an answer is shape-checked here (counts, encodings) before
// any element reaches the OPRF code; a malformed answer is `response_invalid`.

import { SluisError } from '../errors.js';
import { base64url } from '../protocol/encoding.js';
import { MAX_EVALUATE_BATCH, OPRF_ELEMENT_BYTES, OPRF_PROOF_BYTES } from '../protocol/oprf.js';
import { isValidEpoch } from '../protocol/pseudonym.js';
import { isRequestSigner, type RequestSigner } from '../protocol/request-signer.js';
import { intOption, parseServerUrl } from './client-options.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import { type FetchLike, Transport } from './transport.js';
import { type RandomSource, webCryptoRandom } from './uuid.js';

export interface PseudonymServiceOptions {
  /** `https://…` (plain `http://` only for localhost), optionally with a base path. */
  readonly serviceUrl: string;
  /**
   * The organisation's signing key, its public key on the service's admission list
   * (docs/protocol.md §9.3). Or, with `credential`, any key the credential binds: a
   * person's session key (sessionSigner, docs/protocol.md §10.4) or the organisation key acting for a person.
   */
  readonly signingKey: RequestSigner;
  /**
   * A credential the match server issued for `signingKey` (docs/protocol.md §9.7), or a
   * function giving one before every request (cachedCredential renews it in time).
   */
  readonly credential?: string | (() => Promise<string>);
  readonly fetch?: FetchLike;
  /**
   * Per attempt, in ms, for every request. Default: `evaluateTimeoutMs(n)` for an evaluation
   * of n elements (30 000 + 100 per element) and 30 000 for the others (docs/sdk.md
   * "Retries and timeouts"). Given, it is used as is for every request.
   */
  readonly timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  readonly retries?: number;
  readonly clock?: () => number;
  readonly random?: RandomSource;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface Evaluation {
  readonly evaluated: Uint8Array[];
  readonly proof: Uint8Array;
}

export interface PublishedOprfKey {
  readonly epoch: number;
  readonly publicKey: Uint8Array;
}

/** What an OprfPseudonymiser needs from the service; the HTTP client below, or a test double. */
export interface PseudonymService {
  evaluate(epoch: number, blinded: readonly Uint8Array[]): Promise<Evaluation>;
}

/**
 * The default timeout per attempt of an evaluation of `elements` elements (docs/sdk.md
 * "Retries and timeouts"): a base for the round trip and signatures, plus a budget per
 * element for the service's group operations, which grow with the batch (about 6 ms per
 * element measured on a loaded 2-core machine, docs/performance.md "OPRF epochs"; the
 * budget leaves a factor of about 16 for a service that is busier still).
 */
export const EVALUATE_TIMEOUT_BASE_MS = 30_000;
export const EVALUATE_TIMEOUT_PER_ELEMENT_MS = 100;
export function evaluateTimeoutMs(elements: number): number {
  return EVALUATE_TIMEOUT_BASE_MS + EVALUATE_TIMEOUT_PER_ELEMENT_MS * elements;
}

function decodeBytes(v: unknown, length: number): Uint8Array {
  const b = typeof v === 'string' ? base64url.decode(v) : undefined;
  if (b === undefined || b.length !== length) throw new SluisError('response_invalid');
  return b;
}

export class PseudonymServiceClient implements PseudonymService {
  readonly #transport: Transport;
  readonly #origin: string;
  readonly #credential: (() => Promise<string>) | undefined;
  /** The caller's fixed timeout, or undefined for the per-batch rule. */
  readonly #timeoutMs: number | undefined;

  constructor(options: PseudonymServiceOptions) {
    if (typeof options !== 'object' || options === null)
      throw new SluisError('input_invalid', { fields: [''] });
    if (!isRequestSigner(options.signingKey)) throw new SluisError('key_invalid');
    const credential = options.credential;
    if (credential !== undefined && typeof credential !== 'string' && typeof credential !== 'function')
      throw new SluisError('input_invalid', { fields: ['credential'] });
    this.#credential =
      credential === undefined
        ? undefined
        : typeof credential === 'string'
          ? () => Promise.resolve(credential)
          : credential;
    let url: ReturnType<typeof parseServerUrl>;
    try {
      url = parseServerUrl(options.serviceUrl);
    } catch {
      throw new SluisError('input_invalid', { fields: ['serviceUrl'] });
    }
    this.#origin = url.baseUrl;
    const timeoutMs = intOption(options.timeoutMs, EVALUATE_TIMEOUT_BASE_MS, 1, 600_000, 'timeoutMs');
    this.#timeoutMs = options.timeoutMs === undefined ? undefined : timeoutMs;
    const retries = intOption(options.retries, DEFAULT_RETRY_POLICY.retries, 0, 10, 'retries');
    const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, retries };
    this.#transport = new Transport({
      baseUrl: url.baseUrl,
      basePath: url.basePath,
      signer: options.signingKey,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      timeoutMs,
      policy,
      clock: options.clock ?? Date.now,
      random: options.random ?? webCryptoRandom,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      unreachable: 'pseudonym_service_unavailable',
    });
  }

  /** POST /v1/evaluate: one proof for the whole batch (1…MAX_EVALUATE_BATCH elements). */
  async evaluate(epoch: number, blinded: readonly Uint8Array[]): Promise<Evaluation> {
    if (!isValidEpoch(epoch)) throw new SluisError('epoch_invalid');
    if (blinded.length === 0 || blinded.length > MAX_EVALUATE_BATCH)
      throw new SluisError('input_invalid', { fields: ['blindedElements'] });
    const { body } = await this.#transport.send({
      method: 'POST',
      path: '/v1/evaluate',
      // Repeating an evaluation returns the same elements with a fresh proof: harmless.
      idempotent: true,
      timeoutMs: this.#timeoutMs ?? evaluateTimeoutMs(blinded.length),
      body: { epoch, blindedElements: blinded.map((b) => base64url.encode(b)) },
      ...(this.#credential === undefined ? {} : { credential: this.#credential }),
    });
    const a = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    if (
      a.epoch !== epoch ||
      !Array.isArray(a.evaluatedElements) ||
      a.evaluatedElements.length !== blinded.length
    )
      throw new SluisError('response_invalid');
    return {
      evaluated: a.evaluatedElements.map((e) => decodeBytes(e, OPRF_ELEMENT_BYTES)),
      proof: decodeBytes(a.proof, OPRF_PROOF_BYTES),
    };
  }

  /** GET /v1/keys: the published public keys, for comparing with the pinned ones. */
  async publishedKeys(): Promise<PublishedOprfKey[]> {
    const { body } = await this.#transport.send({ method: 'GET', path: '/v1/keys', idempotent: true });
    const a = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    if (!Array.isArray(a.keys)) throw new SluisError('response_invalid');
    return a.keys.map((k: unknown) => {
      const r = typeof k === 'object' && k !== null ? (k as Record<string, unknown>) : {};
      if (!isValidEpoch(r.epoch)) throw new SluisError('response_invalid');
      return { epoch: r.epoch, publicKey: decodeBytes(r.publicKey, OPRF_ELEMENT_BYTES) };
    });
  }

  toString(): string {
    return `PseudonymServiceClient(${this.#origin})`;
  }

  toJSON(): { serviceUrl: string } {
    return { serviceUrl: this.#origin };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** What the match server answers to POST /v1/pseudonym-credentials (docs/api.md). */
export interface PseudonymCredential {
  /** The opaque `Sluis-Credential` value (docs/protocol.md §9.7). */
  readonly credential: string;
  /** ISO 8601; the service refuses it from then on (`credential_expired`). */
  readonly expiresAt: string;
}

/**
 * A credential provider for PseudonymServiceOptions.credential: asks `issue` (for example
 * `() => client.pseudonymCredential()`) for a credential and hands it out until
 * `marginSeconds` (default 30) before it expires, then asks again. Concurrent callers
 * share one pending request.
 */
export function cachedCredential(
  issue: () => Promise<PseudonymCredential>,
  options: { readonly clock?: () => number; readonly marginSeconds?: number } = {},
): () => Promise<string> {
  const clock = options.clock ?? Date.now;
  const margin = (options.marginSeconds ?? 30) * 1000;
  let current: { credential: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  return () => {
    if (current !== undefined && current.expiresAt - margin > clock())
      return Promise.resolve(current.credential);
    pending ??= issue()
      .then((c) => {
        const expiresAt = Date.parse(c?.expiresAt);
        if (typeof c?.credential !== 'string' || Number.isNaN(expiresAt))
          throw new SluisError('response_invalid');
        current = { credential: c.credential, expiresAt };
        return c.credential;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

export function createPseudonymServiceClient(options: PseudonymServiceOptions): PseudonymServiceClient {
  return new PseudonymServiceClient(options);
}
