// The request signer abstraction (docs/sdk.md "Signers"): whatever makes an Ed25519
// signature under a key id — an organisation's SigningKey (seed in memory), or a person's
// session key held by the browser as a non-extractable WebCrypto CryptoKey, whose private
// half this code never sees. Both sign the same bytes (docs/protocol.md §5.3).

import { SluisError } from '../errors.js';

export interface Signer {
  /** The `keyid` of Signature-Input: a §5.1 key id, or the session id of a session key. */
  readonly keyId: string;
  /** Ed25519 (RFC 8032) over `message`: 64 bytes, now or later. */
  sign(message: Uint8Array): Promise<Uint8Array> | Uint8Array;
}

const KEY_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** Structural check for signers coming in from callers. */
export function isSigner(x: unknown): x is Signer {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  return typeof s.keyId === 'string' && KEY_ID_RE.test(s.keyId) && typeof s.sign === 'function';
}

/**
 * A Signer over a WebCrypto Ed25519 private key (for instance one made with
 * `crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])`): the key
 * may be non-extractable, it is only asked to sign.
 */
export function webCryptoSigner(options: { readonly keyId: string; readonly privateKey: CryptoKey }): Signer {
  const { keyId, privateKey } = options ?? ({} as typeof options);
  if (
    typeof keyId !== 'string' ||
    !KEY_ID_RE.test(keyId) ||
    typeof privateKey !== 'object' ||
    privateKey === null ||
    privateKey.type !== 'private' ||
    privateKey.algorithm?.name !== 'Ed25519'
  )
    throw new SluisError('key_invalid');
  return {
    keyId,
    async sign(message: Uint8Array): Promise<Uint8Array> {
      const signature = await globalThis.crypto.subtle.sign(
        { name: 'Ed25519' },
        privateKey,
        message as Uint8Array<ArrayBuffer>,
      );
      return new Uint8Array(signature);
    },
  };
}
