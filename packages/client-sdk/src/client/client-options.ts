// The options of createClient and their checks, made once in the SluisClient constructor.
// Invariant: the server URL is https (plain http only for loopback) without query,
// fragment or credentials, and at most two covenant keys with different epochs are held.

import { SluisError } from '../errors.js';
import { type Pseudonymiser, isPseudonymiser } from '../protocol/pseudonymiser.js';
import { isRequestSigner, keySigner, type RequestSigner } from '../protocol/request-signer.js';
import { SigningKey } from '../protocol/signing-key.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import type { FetchLike, TransportConfig } from './transport.js';
import type { RandomSource } from './uuid.js';

export interface ClientOptions {
  /** `https://…` (plain `http://` only for localhost), optionally with a base path. */
  readonly serverUrl: string;
  /** The organisation's (or administrator's) registered key; or give `signer` instead. */
  readonly signingKey?: SigningKey;
  /**
   * Any request signer instead of `signingKey`: `sessionSigner({ sessionId, privateKey })`
   * for a browser's signed-in session (docs/protocol.md §10.4), or `keySigner(key)`.
   */
  readonly signer?: RequestSigner;
  /**
   * Sign every request on behalf of this person of the organisation (a lower-case UUID,
   * docs/protocol.md §5.6); the logbook then names the person and the role they acted in.
   */
  readonly onBehalfOf?: string;
  /**
   * One pseudonymiser per epoch the organisation uses: one, or two with different epochs
   * during a key rotation. Each is a covenant key (`PseudonymKey`, an HMAC epoch) or an
   * `OprfPseudonymiser` (an OPRF epoch, evaluated by the pseudonym service). Empty for a
   * process that only reads the inbox or receives webhooks (it then cannot place signals).
   */
  readonly pseudonymKeys: readonly Pseudonymiser[];
  /** Server webhook public keys (base64url or bytes); one, or two during a server key rotation. */
  readonly serverPublicKeys?: readonly (string | Uint8Array)[];
  readonly fetch?: FetchLike;
  /** Per attempt, in ms. Default 30 000. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  readonly retries?: number;
  /** Finer retry tuning; `retries` wins over `retryPolicy.retries`. */
  readonly retryPolicy?: Partial<RetryPolicy>;
  /** Milliseconds since the epoch. Default Date.now. */
  readonly clock?: () => number;
  /** CSPRNG bytes. Default WebCrypto getRandomValues. */
  readonly random?: RandomSource;
  /** Default setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function parseServerUrl(text: string): { baseUrl: string; basePath: string; origin: string } {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new SluisError('input_invalid', { fields: ['serverUrl'] });
  }
  const secure = u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
  if (!secure || u.search !== '' || u.hash !== '' || u.username !== '' || u.password !== '') {
    throw new SluisError('input_invalid', { fields: ['serverUrl'] });
  }
  const basePath = u.pathname.replace(/\/+$/, '');
  return { baseUrl: u.origin + basePath, basePath, origin: u.origin };
}

export function checkKeys(keys: unknown): Pseudonymiser[] {
  // Zero keys is allowed for processes that never pseudonymise (an inbox reader, a webhook
  // receiver): least privilege. Placement and migration then throw key_invalid.
  if (!Array.isArray(keys) || keys.length > 2) throw new SluisError('key_invalid');
  for (const k of keys) if (!isPseudonymiser(k)) throw new SluisError('key_invalid');
  const sorted = [...(keys as Pseudonymiser[])].sort((a, b) => a.epoch - b.epoch);
  if (sorted.length === 2 && sorted[0]!.epoch === sorted[1]!.epoch) throw new SluisError('epoch_invalid');
  return sorted;
}

export function intOption(
  v: number | undefined,
  fallback: number,
  min: number,
  max: number,
  field: string,
): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw new SluisError('input_invalid', { fields: [field] });
  return v;
}

const PERSON_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Exactly one of `signingKey` and `signer`, and a well-formed `onBehalfOf` when given. */
export function signerOf(
  options: Pick<ClientOptions, 'signingKey' | 'signer' | 'onBehalfOf'>,
): RequestSigner {
  if (options.onBehalfOf !== undefined && !PERSON_ID_RE.test(options.onBehalfOf)) {
    throw new SluisError('input_invalid', { fields: ['onBehalfOf'] });
  }
  if (options.signingKey !== undefined && options.signer !== undefined) throw new SluisError('key_invalid');
  if (options.signingKey instanceof SigningKey) return keySigner(options.signingKey);
  const s = options.signer;
  if (isRequestSigner(s)) return s;
  throw new SluisError('key_invalid');
}

/** The transport's settings from the options: retry policy, timeout, fetch and sleep, each checked. */
export function transportConfigOf(
  options: ClientOptions,
  signer: RequestSigner,
  url: { baseUrl: string; basePath: string },
  clock: () => number,
  random: RandomSource,
): TransportConfig {
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...options.retryPolicy,
    retries: intOption(
      options.retries ?? options.retryPolicy?.retries,
      DEFAULT_RETRY_POLICY.retries,
      0,
      10,
      'retries',
    ),
  };
  return {
    baseUrl: url.baseUrl,
    basePath: url.basePath,
    signer,
    ...(options.onBehalfOf === undefined ? {} : { onBehalfOf: options.onBehalfOf }),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: intOption(options.timeoutMs, 30_000, 1, 600_000, 'timeoutMs'),
    policy,
    clock,
    random,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}
