// Predicates never throw (S4): verifyEd25519 answers false and verifyWebhook a failure
// code for input of any wrong type or shape, as noble's verify does.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from './encoding.js';
import { signWebhook, verifyWebhook } from './http-signature.js';
import { keyIdFromPublicKey, verifyEd25519 } from './signing-key.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

const key = caseSigningKey(new Uint8Array(32).fill(9));
const body = utf8('{"type":"match.created","matchId":"m","cursor":"1"}');
const uri = 'https://zorg.example.nl/hook';
const headers = {
  ...signWebhook(key, uri, body, { created: 1_800_000_000, nonce: 'AAAAAAAAAAAAAAAAAAAAAA' }),
};
const serverKeys = new Map([[keyIdFromPublicKey(key.publicKey), key.publicKey]]);

describe('verifyEd25519', () => {
  it('is false, never an exception, for non-Uint8Array or wrong-length input', () => {
    const sig = key.sign(body);
    expect(verifyEd25519(sig, body, key.publicKey)).toBe(true);
    const junk: unknown[] = [undefined, null, 'text', 42, {}, [1, 2, 3], new Uint8Array(3), { length: 64 }];
    for (const j of junk) {
      expect(verifyEd25519(j as Uint8Array, body, key.publicKey)).toBe(false);
      expect(verifyEd25519(sig, j as Uint8Array, key.publicKey)).toBe(false);
      expect(verifyEd25519(sig, body, j as Uint8Array)).toBe(false);
    }
  });
});

describe('verifyWebhook', () => {
  it('returns a failure code, never throws, for malformed input', () => {
    expect(verifyWebhook({ targetUri: uri, headers, body, serverKeys, now: 1_800_000_000 }).ok).toBe(true);
    const variants: unknown[] = [
      undefined,
      null,
      'x',
      {},
      { targetUri: uri, headers, body: 'not bytes', serverKeys },
      { targetUri: 42, headers, body, serverKeys },
      { targetUri: uri, headers: null, body, serverKeys },
      { targetUri: uri, headers, body, serverKeys: {} },
      { targetUri: uri, headers: { ...headers, signature: 7 }, body, serverKeys },
      {
        targetUri: uri,
        headers: {
          get: () => {
            throw new Error('boom');
          },
        },
        body,
        serverKeys,
      },
    ];
    for (const v of variants) {
      const r = verifyWebhook(v as never);
      expect(r.ok).toBe(false);
    }
    fc.assert(
      fc.property(fc.anything(), (v) => {
        expect(() => verifyWebhook(v as never)).not.toThrow();
      }),
    );
  });
});
