// The browser side of passkey sign-in held to the shared vectors (test/vectors/
// session-binding.json): the session-binding challenge a page checks before it uses a
// passkey (§10.3), and a request signed through `sessionSigner` with a real WebCrypto
// Ed25519 key (imported non-extractable from the vector's seed) giving the vector's exact
// headers — so the browser and a `SigningKey` sign identically (§10.4).

import { describe, expect, it } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import { SluisError } from '../errors.js';
import { base64url, hexToBytesStrict } from './encoding.js';
import { SESSION_BINDING_LABEL } from './labels.js';
import {
  challengeBindsKey,
  generateSessionKey,
  isRequestSigner,
  keySigner,
  sessionChallenge,
  sessionSigner,
  signRequestWith,
} from './request-signer.js';
import { signRequest } from './http-signature.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

const v = vectors.sessionBinding();
const PKCS8_ED25519 = hexToBytesStrict('302e020100300506032b657004220420')!;

async function webCryptoKey(seedHex: string): Promise<CryptoKey> {
  const seed = hexToBytesStrict(seedHex)!;
  const pkcs8 = new Uint8Array([...PKCS8_ED25519, ...seed]);
  return globalThis.crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
}

describe('session binding (SDK)', () => {
  it('§10.3: the challenge of each vector, and the check a page runs', () => {
    expect(SESSION_BINDING_LABEL).toBe(v.sessionBindingLabel);
    for (const b of v.bindings) {
      const c = sessionChallenge(hexToBytesStrict(b.nonceHex)!, base64url.decode(b.sessionPublicKey)!);
      expect(base64url.encode(c)).toBe(b.challenge);
      expect(challengeBindsKey(b.challengeId, b.challenge, b.sessionPublicKey)).toBe(true);
    }
    const [a, , other] = v.bindings;
    // A challenge for another key is refused by the page.
    expect(challengeBindsKey(a!.challengeId, other!.challenge, a!.sessionPublicKey)).toBe(false);
    expect(challengeBindsKey('short', a!.challenge, a!.sessionPublicKey)).toBe(false);
  });

  it('§10.4: sessionSigner over a non-extractable WebCrypto key gives the vector’s headers', async () => {
    const r = v.sessionRequest;
    const signer = sessionSigner({
      sessionId: v.session.sessionId,
      privateKey: await webCryptoKey(v.session.seedHex),
    });
    const headers = await signRequestWith(
      signer,
      { method: r.method, path: r.path, query: r.query },
      new Uint8Array(0),
      {
        created: r.created,
        nonce: r.nonce,
      },
    );
    expect(headers).toEqual({
      'content-digest': r.contentDigest,
      'signature-input': r.signatureInput,
      signature: r.signature,
    });
  });

  it('keySigner and signRequest agree byte for byte', async () => {
    const key = caseSigningKey(hexToBytesStrict(v.session.seedHex)!);
    const target = { method: 'POST', path: '/v1/signals', query: 'a=1' };
    const body = new TextEncoder().encode('{"x":1}');
    const o = {
      created: 1767225600,
      nonce: 'AAECAwQFBgcICQoLDA0ODw',
      onBehalfOf: '5d0c6e2a-7b4f-4c1e-9a8d-3f2b1c0d9e8f',
    };
    expect(await signRequestWith(keySigner(key), target, body, o)).toEqual(signRequest(key, target, body, o));
    // A SigningKey is a RequestSigner as it is (its sign is synchronous).
    expect(isRequestSigner(key)).toBe(true);
    expect(await signRequestWith(key, target, body, o)).toEqual(signRequest(key, target, body, o));
  });

  it('refuses what is not a signer, a signature of the wrong length, and onBehalfOf with a credential', async () => {
    const target = { method: 'GET', path: '/v1/me', query: '' };
    const body = new Uint8Array(0);
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: SluisError) => e.code,
      );
    expect(isRequestSigner({ keyId: 'has space', sign: () => new Uint8Array(64) })).toBe(false);
    expect(await code(signRequestWith({ keyId: 'k' } as never, target, body))).toBe('key_invalid');
    expect(await code(signRequestWith({ keyId: 'k', sign: () => new Uint8Array(63) }, target, body))).toBe(
      'key_invalid',
    );
    const key = caseSigningKey();
    const both = {
      onBehalfOf: '5d0c6e2a-7b4f-4c1e-9a8d-3f2b1c0d9e8f',
      credential: `${'A'.repeat(22)}.${'B'.repeat(86)}`,
    };
    expect(await code(signRequestWith(key, target, body, both))).toBe('request_invalid');
  });

  it('a generated session key cannot be exported; a malformed session id is refused', async () => {
    const k = await generateSessionKey();
    expect(k.privateKey.extractable).toBe(false);
    expect(base64url.decode(k.publicKey)?.length).toBe(32);
    await expect(globalThis.crypto.subtle.exportKey('pkcs8', k.privateKey)).rejects.toThrow();
    expect(() => sessionSigner({ sessionId: 'short', privateKey: k.privateKey })).toThrow(SluisError);
  });
});
