// docs/protocol.md §9.7 vectors on the server side: the claims encode to the vector's
// bytes, the issuer's signature over them (node:crypto, deterministic Ed25519) gives the
// vector's credential, and the strict decoder reads it back — and refuses every variant
// that is not exactly that form.

import { createPrivateKey, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import { decodeCredential, encodeCredentialClaims, issueCredential } from './oprf-credential.js';

const v = vectors.oprfCredentials();
const claims = { ...v.claims, publicKey: Buffer.from(v.claims.publicKey, 'base64url') };
const issuer = createPrivateKey({
  key: Buffer.concat([
    Buffer.from('302e020100300506032b657004220420', 'hex'),
    Buffer.from(v.issuer.seedHex, 'hex'),
  ]),
  format: 'der',
  type: 'pkcs8',
});

describe('credentials (oprf-credentials.json)', () => {
  it('encodes the claims and issues the credential byte for byte', () => {
    expect(encodeCredentialClaims(claims).toString('hex')).toBe(v.claimsHex);
    expect(issueCredential(claims, (b) => sign(null, b, issuer))).toBe(v.credential);
  });

  it('decodes the credential back to its claims', () => {
    const d = decodeCredential(v.credential)!;
    expect({ ...d.claims, publicKey: Buffer.from(d.claims.publicKey).toString('base64url') }).toEqual(
      v.claims,
    );
    expect(d.signed.toString('hex')).toBe(v.claimsHex);
  });

  it('refuses every other form', () => {
    const [c, s] = v.credential.split('.') as [string, string];
    const bytes = Buffer.from(v.claimsHex, 'hex');
    const upper = Buffer.from(
      bytes.toString('latin1').replace(v.claims.personId, v.claims.personId.toUpperCase()),
      'latin1',
    );
    for (const bad of [
      `${c}=.${s}`, // padding
      `${c}.${s}.x`,
      `${c}${s}`,
      `${Buffer.concat([bytes, Buffer.from([0])]).toString('base64url')}.${s}`, // trailing byte
      `${bytes.subarray(0, bytes.length - 1).toString('base64url')}.${s}`, // short
      `${upper.toString('base64url')}.${s}`, // upper-case UUID
      `${c}.${s.slice(0, 85)}`, // signature not 64 bytes
      'x'.repeat(2000),
      42,
    ]) {
      expect(decodeCredential(bad)).toBeUndefined();
    }
  });
});
