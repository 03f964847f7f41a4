// Pseudonym-service credentials (docs/protocol.md §9.7): the match server states, under
// its own issuer key, "organisation O's person P signs with key K (key id k) until t", so
// that a person's browser session — which holds no organisation key — can ask the
// pseudonym service for evaluations charged to O. The claims are a fixed binary layout
// of length-prefixed fields (no JSON: one value has one encoding); the issuer signs the
// claims bytes exactly. This module encodes (match server) and decodes strictly (service);
// a decoder that accepts anything else would let two texts mean one credential.

import { fromBase64url, lengthPrefixed, u32be } from './bytes.js';

export const CREDENTIAL_LABEL = 'sluis/oprf-credential/v1';
/** The longest header value a verifier reads (the claims are about 220 bytes). */
export const MAX_CREDENTIAL_CHARS = 1024;

export interface CredentialClaims {
  /** §5.1 key id of the issuer (the match server's credential-issuer key). */
  readonly issuerKeyId: string;
  /** 16 random bytes, base64url: names the credential in the service's logbook and caps. */
  readonly credentialId: string;
  readonly organisationId: string;
  readonly personId: string;
  /** The `keyid` the bound key signs with (a §5.1 key id, or a session id). */
  readonly keyId: string;
  /** The bound Ed25519 public key, 32 bytes. */
  readonly publicKey: Uint8Array;
  /** Unix seconds. */
  readonly issuedAt: number;
  readonly expiresAt: number;
}

const KEY_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const CREDENTIAL_ID_RE = /^[A-Za-z0-9_-]{22}$/;
const U32_MAX = 0xffffffff;
/** Lower-case only: one id, one text. */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isUuid = (s: string) => UUID_RE.test(s);

const text = (s: string) => lengthPrefixed(Buffer.from(s, 'utf8'));

/** The claims bytes the issuer signs (§9.7). Throws RangeError on a claim out of its range. */
export function encodeCredentialClaims(c: CredentialClaims): Buffer {
  if (
    !KEY_ID_RE.test(c.issuerKeyId) ||
    !CREDENTIAL_ID_RE.test(c.credentialId) ||
    !isUuid(c.organisationId) ||
    !isUuid(c.personId) ||
    !KEY_ID_RE.test(c.keyId) ||
    c.publicKey.length !== 32 ||
    !Number.isInteger(c.issuedAt) ||
    !Number.isInteger(c.expiresAt) ||
    c.issuedAt < 0 ||
    c.expiresAt <= c.issuedAt ||
    c.expiresAt > U32_MAX
  )
    throw new RangeError('credential claims out of range');
  return Buffer.concat([
    text(CREDENTIAL_LABEL),
    text(c.issuerKeyId),
    text(c.credentialId),
    text(c.organisationId),
    text(c.personId),
    text(c.keyId),
    lengthPrefixed(c.publicKey),
    u32be(c.issuedAt),
    u32be(c.expiresAt),
  ]);
}

/**
 * `b64url(claims) "." b64url(signature)`: the claims signed by the issuer key (any
 * Ed25519 signer, e.g. the server's SigningKey).
 */
export function issueCredential(claims: CredentialClaims, sign: (message: Uint8Array) => Uint8Array): string {
  const bytes = encodeCredentialClaims(claims);
  return `${bytes.toString('base64url')}.${Buffer.from(sign(bytes)).toString('base64url')}`;
}

export interface DecodedCredential {
  readonly claims: CredentialClaims;
  /** The exact bytes the issuer signed. */
  readonly signed: Buffer;
  readonly signature: Buffer;
}

/** Reads lp fields in order; undefined at the first that does not fit. */
class Reader {
  #o = 0;
  constructor(readonly b: Buffer) {}
  field(): Buffer | undefined {
    if (this.#o + 2 > this.b.length) return undefined;
    const n = this.b.readUInt16BE(this.#o);
    if (this.#o + 2 + n > this.b.length) return undefined;
    const f = this.b.subarray(this.#o + 2, this.#o + 2 + n);
    this.#o += 2 + n;
    return f;
  }
  textField(re: (s: string) => boolean): string | undefined {
    const f = this.field();
    if (f === undefined) return undefined;
    const s = f.toString('latin1');
    // ASCII only: every claim text is ASCII, so a byte ≥ 0x80 is refused here.
    return /^[\x21-\x7e]*$/.test(s) && re(s) ? s : undefined;
  }
  u32(): number | undefined {
    if (this.#o + 4 > this.b.length) return undefined;
    const v = this.b.readUInt32BE(this.#o);
    this.#o += 4;
    return v;
  }
  get done(): boolean {
    return this.#o === this.b.length;
  }
}

/**
 * Parses a `Sluis-Credential` value strictly: canonical base64url parts, the label, every
 * field in its form, no trailing byte. Undefined on anything else. Verifies nothing:
 * the caller checks the issuer's signature over `signed` before trusting a claim.
 */
export function decodeCredential(value: unknown): DecodedCredential | undefined {
  if (typeof value !== 'string' || value.length > MAX_CREDENTIAL_CHARS) return undefined;
  const dot = value.indexOf('.');
  if (dot < 0) return undefined;
  const signed = fromBase64url(value.slice(0, dot));
  const signature = fromBase64url(value.slice(dot + 1));
  if (signed === undefined || signature === undefined || signature.length !== 64) return undefined;
  const r = new Reader(signed);
  const keyIdOk = (s: string) => KEY_ID_RE.test(s);
  if (r.textField((s) => s === CREDENTIAL_LABEL) === undefined) return undefined;
  const issuerKeyId = r.textField(keyIdOk);
  const credentialId = r.textField((s) => CREDENTIAL_ID_RE.test(s));
  const organisationId = r.textField(isUuid);
  const personId = r.textField(isUuid);
  const keyId = r.textField(keyIdOk);
  const publicKey = r.field();
  const issuedAt = r.u32();
  const expiresAt = r.u32();
  if (
    issuerKeyId === undefined ||
    credentialId === undefined ||
    organisationId === undefined ||
    personId === undefined ||
    keyId === undefined ||
    publicKey === undefined ||
    publicKey.length !== 32 ||
    issuedAt === undefined ||
    expiresAt === undefined ||
    expiresAt <= issuedAt ||
    !r.done
  )
    return undefined;
  return {
    claims: { issuerKeyId, credentialId, organisationId, personId, keyId, publicKey, issuedAt, expiresAt },
    signed,
    signature,
  };
}
