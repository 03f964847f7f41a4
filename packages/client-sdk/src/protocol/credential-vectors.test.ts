// docs/protocol.md §9.7 vectors on the SDK side: a request to the pseudonym service that
// presents a credential is signed byte for byte as oprf-credentials.json gives it — through
// the RequestSigner abstraction, with a session key whose key id is a session id — and the
// covered credential header may carry only the §9.7 alphabet.

import { describe, expect, it } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import { isSluisError } from '../errors.js';
import { hexToBytesStrict, utf8 } from './encoding.js';
import { requestSignatureBase, signRequest } from './http-signature.js';
import { type RequestSigner, signRequestWith } from './request-signer.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

const v = vectors.oprfCredentials();

describe('pseudonym-service credential requests (oprf-credentials.json)', () => {
  it('signs the valid request exactly, through a RequestSigner whose key id is a session id', async () => {
    const key = caseSigningKey(hexToBytesStrict(v.session.seedHex)!);
    const signer: RequestSigner = { keyId: v.session.keyId, sign: async (m) => key.sign(m) };
    const r = v.valid;
    const target = { method: r.method, path: r.path, query: r.query };
    const headers = await signRequestWith(signer, target, utf8(r.body), {
      created: r.created,
      nonce: r.nonce,
      credential: r.credential,
    });
    expect(headers).toEqual({
      'content-digest': r.contentDigest,
      'signature-input': r.signatureInput,
      signature: r.signature,
      'sluis-credential': r.credential,
    });
    expect(
      requestSignatureBase(target, r.contentDigest, r, { name: 'sluis-credential', value: r.credential }),
    ).toBe(r.signatureBase);
  });

  it('refuses a credential that could forge a base line, and one with on-behalf-of', () => {
    const key = caseSigningKey();
    const target = { method: 'POST', path: '/v1/evaluate', query: '' };
    for (const options of [
      { credential: `${v.credential}\n"@method": GET` },
      { credential: 'no-dot' },
      { credential: v.credential, onBehalfOf: v.claims.personId },
    ]) {
      let code: string | undefined;
      try {
        signRequest(key, target, new Uint8Array(0), options);
      } catch (e) {
        if (isSluisError(e)) code = e.code;
      }
      expect(code).toBe('request_invalid');
    }
  });
});
