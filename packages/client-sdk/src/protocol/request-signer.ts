// Who signs a request (docs/protocol.md §5 and §10.4): an organisation's or
// administrator's `SigningKey`, or a signed-in person's session key held by the browser as
// a non-extractable WebCrypto `CryptoKey`. Both produce exactly the same RFC 9421 profile;
// only the key id differs (a key id, or the session id). Browser-safe: WebCrypto and
// @noble only. Also the session binding the browser checks before it uses a passkey:
// the challenge must be SHA-256(lp("sluis/session-binding/v1") ‖ nonce ‖ its own key).

import { sha256 } from '@noble/hashes/sha2.js';
import { SluisError } from '../errors.js';
import { base64url, concat, lengthPrefixed, utf8 } from './encoding.js';
import { SESSION_BINDING_LABEL } from './labels.js';
import type { SigningKey } from './signing-key.js';

/** Signs request signature bases (Ed25519, RFC 8032) under one key id. */
export interface RequestSigner {
  /** The key id the server knows the key by: a registered key's id, or a session id. */
  readonly keyId: string;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A signer for a registered Ed25519 key (organisation or admin). */
export function keySigner(key: SigningKey): RequestSigner {
  return { keyId: key.keyId, sign: async (message) => key.sign(message) };
}

const SESSION_ID_RE = /^[A-Za-z0-9_-]{32}$/;

/**
 * A signer for a signed-in session (§10.4): the session id from POST /v1/sessions and the
 * private half of the key whose public half went to POST /v1/sessions/options. The key
 * stays inside WebCrypto (generate it with `generateSessionKey`, extractable false).
 */
export function sessionSigner(session: {
  readonly sessionId: string;
  readonly privateKey: CryptoKey;
}): RequestSigner {
  if (typeof session?.sessionId !== 'string' || !SESSION_ID_RE.test(session.sessionId)) {
    throw new SluisError('input_invalid', { fields: ['sessionId'] });
  }
  const privateKey = session.privateKey;
  return {
    keyId: session.sessionId,
    sign: async (message) =>
      new Uint8Array(await globalThis.crypto.subtle.sign('Ed25519', privateKey, message as BufferSource)),
  };
}

/** A fresh non-extractable Ed25519 session key and its raw public key (32 bytes, base64url). */
export async function generateSessionKey(): Promise<{ privateKey: CryptoKey; publicKey: string }> {
  const pair = (await globalThis.crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const raw = new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey: base64url.encode(raw) };
}

/** The WebAuthn challenge that binds `sessionPublicKey` (§10.3); challengeId = base64url(nonce). */
export function sessionChallenge(nonce: Uint8Array, sessionPublicKey: Uint8Array): Uint8Array {
  if (nonce.length !== 32 || sessionPublicKey.length !== 32) throw new SluisError('input_invalid');
  return sha256(concat(lengthPrefixed(utf8(SESSION_BINDING_LABEL)), nonce, sessionPublicKey));
}

/**
 * True when the server's sign-in options commit to this session key: the options'
 * challenge (base64url) is the §10.3 hash of the challenge id's nonce and the key.
 */
export function challengeBindsKey(challengeId: string, challenge: string, sessionPublicKey: string): boolean {
  const nonce = base64url.decode(challengeId);
  const key = base64url.decode(sessionPublicKey);
  if (nonce === undefined || key === undefined || nonce.length !== 32 || key.length !== 32) return false;
  return base64url.encode(sessionChallenge(nonce, key)) === challenge;
}
