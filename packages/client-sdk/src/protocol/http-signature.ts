// Request and webhook signatures (docs/protocol.md §5–6): a fixed profile of RFC 9421
// HTTP Message Signatures with an RFC 9530 Content-Digest of the body. The signer
// here and the verifier in @sluis/engine are separate implementations held to the
// same vectors in test/vectors/.

import { sha256 } from '@noble/hashes/sha2.js';
import { SluisError } from '../errors.js';
import { base64, base64url, utf8 } from './encoding.js';
import { MAX_CLOCK_SKEW_SECONDS, REQUEST_TAG, SIGNATURE_NAME, WEBHOOK_TAG } from './labels.js';
import { type Signer, isSigner } from './signer.js';
import { type SigningKey, verifyEd25519 } from './signing-key.js';

export const REQUEST_COMPONENTS = '("@method" "@path" "@query" "content-digest")';
/** With a person named on behalf of (docs/protocol.md §5.6): the header is covered too. */
export const ON_BEHALF_COMPONENTS = '("@method" "@path" "@query" "content-digest" "sluis-on-behalf-of")';
export const ON_BEHALF_HEADER = 'sluis-on-behalf-of';
/**
 * At the pseudonym service only (docs/protocol.md §9.7): the request presents a credential
 * of the match server in the `Sluis-Credential` header, which the signature covers.
 */
export const CREDENTIAL_COMPONENTS = '("@method" "@path" "@query" "content-digest" "sluis-credential")';
export const CREDENTIAL_HEADER = 'sluis-credential';
export const WEBHOOK_COMPONENTS = '("@method" "@target-uri" "content-digest")';

export interface SignatureParams {
  readonly created: number;
  readonly keyId: string;
  readonly nonce: string;
}

export interface SignatureHeaders {
  readonly 'content-digest': string;
  readonly 'signature-input': string;
  readonly signature: string;
  /** Present when the request acts on behalf of a person (docs/protocol.md §5.6). */
  readonly 'sluis-on-behalf-of'?: string;
  /** Present when the request presents a pseudonym-service credential (docs/protocol.md §9.7). */
  readonly 'sluis-credential'?: string;
}

/** RFC 9530 Content-Digest with the single member sha-256. */
export function contentDigest(body: Uint8Array): string {
  return `sha-256=:${base64.encode(sha256(body))}:`;
}

function signatureParams(components: string, tag: string, p: SignatureParams): string {
  return `${components};created=${p.created};keyid="${p.keyId}";nonce="${p.nonce}";tag="${tag}"`;
}

export interface RequestTarget {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Absolute path exactly as on the request line, e.g. `/v1/signals`. */
  readonly path: string;
  /** Query string without the leading `?`; empty when there is none. */
  readonly query: string;
}

/** A header covered besides the fixed four: on behalf of (§5.6) or a credential (§9.7). */
export interface CoveredHeader {
  readonly name: typeof ON_BEHALF_HEADER | typeof CREDENTIAL_HEADER;
  readonly value: string;
}

const COMPONENTS_WITH: Record<CoveredHeader['name'], string> = {
  [ON_BEHALF_HEADER]: ON_BEHALF_COMPONENTS,
  [CREDENTIAL_HEADER]: CREDENTIAL_COMPONENTS,
};

/**
 * The RFC 9421 signature base of a request. With `covered` as a string (a person id) the
 * `sluis-on-behalf-of` header is a covered component (docs/protocol.md §5.6); as a
 * CoveredHeader, that header (§5.6 or the credential of §9.7).
 */
export function requestSignatureBase(
  target: RequestTarget,
  digest: string,
  p: SignatureParams,
  covered?: string | CoveredHeader,
): string {
  const extra: CoveredHeader | undefined =
    typeof covered === 'string' ? { name: ON_BEHALF_HEADER, value: covered } : covered;
  const components = extra === undefined ? REQUEST_COMPONENTS : COMPONENTS_WITH[extra.name];
  return [
    `"@method": ${target.method}`,
    `"@path": ${target.path}`,
    `"@query": ?${target.query}`,
    `"content-digest": ${digest}`,
    ...(extra === undefined ? [] : [`"${extra.name}": ${extra.value}`]),
    `"@signature-params": ${signatureParams(components, REQUEST_TAG, p)}`,
  ].join('\n');
}

/** The RFC 9421 signature base of a webhook delivery (server → organisation). */
export function webhookSignatureBase(targetUri: string, digest: string, p: SignatureParams): string {
  return [
    `"@method": POST`,
    `"@target-uri": ${targetUri}`,
    `"content-digest": ${digest}`,
    `"@signature-params": ${signatureParams(WEBHOOK_COMPONENTS, WEBHOOK_TAG, p)}`,
  ].join('\n');
}

const NONCE_BYTES = 16;

export function randomNonce(): string {
  const bytes = new Uint8Array(NONCE_BYTES);
  globalThis.crypto.getRandomValues(bytes);
  return base64url.encode(bytes);
}

export interface SignOptions {
  /** Unix time in seconds; defaults to now. */
  readonly created?: number;
  /** Defaults to 16 fresh random bytes, base64url. */
  readonly nonce?: string;
  /**
   * The id of a person of the signing organisation on whose behalf the request acts
   * (docs/protocol.md §5.6); adds the signed `Sluis-On-Behalf-Of` header.
   */
  readonly onBehalfOf?: string;
  /**
   * A pseudonym-service credential issued by the match server for this signing key
   * (docs/protocol.md §9.7); adds the signed `Sluis-Credential` header. Not with onBehalfOf.
   */
  readonly credential?: string;
}

const PERSON_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Two base64url parts joined by a dot (docs/protocol.md §9.7): no byte that could forge a base line. */
const CREDENTIAL_RE = /^[A-Za-z0-9_-]{1,1024}\.[A-Za-z0-9_-]{86}$/;

function coveredHeader(options: SignOptions): CoveredHeader | undefined {
  const { onBehalfOf, credential } = options;
  if (onBehalfOf !== undefined && credential !== undefined)
    throw new SluisError('request_invalid', { fields: ['credential'] });
  if (onBehalfOf !== undefined) {
    if (!PERSON_ID_RE.test(onBehalfOf)) throw new SluisError('request_invalid', { fields: ['onBehalfOf'] });
    return { name: ON_BEHALF_HEADER, value: onBehalfOf };
  }
  if (credential !== undefined) {
    if (typeof credential !== 'string' || !CREDENTIAL_RE.test(credential))
      throw new SluisError('request_invalid', { fields: ['credential'] });
    return { name: CREDENTIAL_HEADER, value: credential };
  }
  return undefined;
}

/** What is signed and sent, before the signature: shared by the sync and async signers. */
function prepare(keyId: string, target: RequestTarget, body: Uint8Array, options: SignOptions) {
  const p: SignatureParams = {
    created: options.created ?? Math.floor(Date.now() / 1000),
    keyId,
    nonce: options.nonce ?? randomNonce(),
  };
  const digest = contentDigest(body);
  const extra = coveredHeader(options);
  const components = extra === undefined ? REQUEST_COMPONENTS : COMPONENTS_WITH[extra.name];
  return {
    base: utf8(requestSignatureBase(target, digest, p, extra)),
    headers: (signature: Uint8Array): SignatureHeaders => ({
      'content-digest': digest,
      'signature-input': `${SIGNATURE_NAME}=${signatureParams(components, REQUEST_TAG, p)}`,
      signature: `${SIGNATURE_NAME}=:${base64.encode(signature)}:`,
      ...(extra === undefined ? {} : { [extra.name]: extra.value }),
    }),
  };
}

/**
 * A request's signature base and the headers around a signature of it, under `keyId`: the
 * one place that builds them, for a `SigningKey` (signRequest) and for any signer
 * (request-signer.ts, e.g. a WebCrypto session key).
 */
export function prepareRequestSignature(
  keyId: string,
  target: RequestTarget,
  body: Uint8Array,
  options: SignOptions = {},
): { readonly base: Uint8Array; readonly headers: (signature: Uint8Array) => SignatureHeaders } {
  return prepare(keyId, target, body, options);
}

/**
 * signRequest with any Signer — a SigningKey, or a non-extractable WebCrypto key
 * (webCryptoSigner, sessionSigner) whose signature arrives asynchronously. Same bytes, same headers.
 */
export async function signRequestWith(
  signer: Signer,
  target: RequestTarget,
  body: Uint8Array,
  options: SignOptions = {},
): Promise<SignatureHeaders> {
  if (!isSigner(signer)) throw new SluisError('key_invalid');
  const { base, headers } = prepare(signer.keyId, target, body, options);
  const signature = await signer.sign(base);
  if (!(signature instanceof Uint8Array) || signature.length !== 64) throw new SluisError('key_invalid');
  return headers(signature);
}

export function signRequest(
  key: SigningKey,
  target: RequestTarget,
  body: Uint8Array,
  options: SignOptions = {},
): SignatureHeaders {
  const prepared = prepareRequestSignature(key.keyId, target, body, options);
  return prepared.headers(key.sign(prepared.base));
}

export function signWebhook(
  key: SigningKey,
  targetUri: string,
  body: Uint8Array,
  options: SignOptions = {},
): SignatureHeaders {
  const p: SignatureParams = {
    created: options.created ?? Math.floor(Date.now() / 1000),
    keyId: key.keyId,
    nonce: options.nonce ?? randomNonce(),
  };
  const digest = contentDigest(body);
  return {
    'content-digest': digest,
    'signature-input': `${SIGNATURE_NAME}=${signatureParams(WEBHOOK_COMPONENTS, WEBHOOK_TAG, p)}`,
    signature: `${SIGNATURE_NAME}=:${base64.encode(key.sign(utf8(webhookSignatureBase(targetUri, digest, p))))}:`,
  };
}

export type WebhookVerifyCode =
  | 'signature_missing'
  | 'signature_malformed'
  | 'digest_mismatch'
  | 'key_unknown'
  | 'timestamp_out_of_window'
  | 'nonce_reused'
  | 'signature_invalid';

export type WebhookVerification =
  | { readonly ok: true; readonly keyId: string; readonly nonce: string; readonly created: number }
  | { readonly ok: false; readonly code: WebhookVerifyCode };

const WEBHOOK_INPUT_RE =
  /^sluis=\("@method" "@target-uri" "content-digest"\);created=([0-9]{1,15});keyid="([A-Za-z0-9_-]{1,64})";nonce="([A-Za-z0-9_-]{16,64})";tag="sluis-webhook-v1"$/;
const SIGNATURE_RE = /^sluis=:([A-Za-z0-9+/]+={0,2}):$/;

export interface WebhookVerifyInput {
  /** The URL this receiver registered with the municipality (not taken from the request). */
  readonly targetUri: string;
  readonly headers: { readonly get: (name: string) => string | null } | Record<string, string | undefined>;
  readonly body: Uint8Array;
  /** Trusted server public keys by key id; during a server key rotation both are present. */
  readonly serverKeys: ReadonlyMap<string, Uint8Array>;
  /** Unix seconds; defaults to now. */
  readonly now?: number;
  /** Returns false when the nonce was seen before (replay); omit to skip replay checks. */
  readonly rememberNonce?: (keyId: string, nonce: string) => boolean;
}

function header(h: WebhookVerifyInput['headers'], name: string): string | undefined {
  if (typeof (h as { get?: unknown }).get === 'function') {
    return (h as { get: (n: string) => string | null }).get(name) ?? undefined;
  }
  const rec = h as Record<string, string | undefined>;
  return rec[name] ?? rec[name.toLowerCase()];
}

/** Verifies a webhook delivery. Never throws; every failure has a code. */
export function verifyWebhook(input: WebhookVerifyInput): WebhookVerification {
  // The input comes from an HTTP framework: anything of the wrong type is a refusal.
  if (
    typeof input !== 'object' ||
    input === null ||
    typeof input.targetUri !== 'string' ||
    !(input.body instanceof Uint8Array) ||
    typeof input.headers !== 'object' ||
    input.headers === null ||
    !(input.serverKeys instanceof Map)
  ) {
    return { ok: false, code: 'signature_malformed' };
  }
  try {
    return verifyWebhookInput(input);
  } catch {
    return { ok: false, code: 'signature_malformed' };
  }
}

function verifyWebhookInput(input: WebhookVerifyInput): WebhookVerification {
  const sigInput = header(input.headers, 'signature-input');
  const sig = header(input.headers, 'signature');
  const digest = header(input.headers, 'content-digest');
  if (sigInput === undefined || sig === undefined || digest === undefined) {
    return { ok: false, code: 'signature_missing' };
  }
  if (typeof sigInput !== 'string' || typeof sig !== 'string' || typeof digest !== 'string') {
    return { ok: false, code: 'signature_malformed' };
  }
  const m = WEBHOOK_INPUT_RE.exec(sigInput);
  const s = SIGNATURE_RE.exec(sig);
  if (m === null || s === null) return { ok: false, code: 'signature_malformed' };
  const signature = base64.decode(s[1]!);
  if (signature === undefined) return { ok: false, code: 'signature_malformed' };
  if (digest !== contentDigest(input.body)) return { ok: false, code: 'digest_mismatch' };
  const p: SignatureParams = { created: Number(m[1]), keyId: m[2]!, nonce: m[3]! };
  const publicKey = input.serverKeys.get(p.keyId);
  if (publicKey === undefined) return { ok: false, code: 'key_unknown' };
  const now = input.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - p.created) > MAX_CLOCK_SKEW_SECONDS)
    return { ok: false, code: 'timestamp_out_of_window' };
  const base = webhookSignatureBase(input.targetUri, digest, p);
  if (!verifyEd25519(signature, utf8(base), publicKey)) return { ok: false, code: 'signature_invalid' };
  if (input.rememberNonce !== undefined && !input.rememberNonce(p.keyId, p.nonce)) {
    return { ok: false, code: 'nonce_reused' };
  }
  return { ok: true, keyId: p.keyId, nonce: p.nonce, created: p.created };
}
