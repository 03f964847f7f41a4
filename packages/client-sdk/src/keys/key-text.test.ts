// Key text parsing: strict lengths and alphabets; PKCS#8 PEM interoperable with OpenSSL /
// Node's crypto (RFC 8410).

import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64url, bytesToHex } from '../protocol/encoding.js';
import { parsePseudonymKey, parseSigningKey, signingKeyToPem } from './key-text.js';
import { caseKey, caseSigningKey } from '../../../../test/support/case-keys.js';

const seed = new Uint8Array(32).map((_, i) => i + 1);

describe('parsePseudonymKey', () => {
  it('accepts 32–64 bytes as hex or base64url', () => {
    const k32 = new Uint8Array(32).fill(0xab);
    const k64 = new Uint8Array(64).fill(0xcd);
    expect(caseKey(parsePseudonymKey(bytesToHex(k32), 1)).epoch).toBe(1);
    expect(caseKey(parsePseudonymKey(`${bytesToHex(k64).toUpperCase()}\n`, 7)).epoch).toBe(7);
    expect(caseKey(parsePseudonymKey(base64url.encode(k32), 2)).epoch).toBe(2);
  });
  it.each([
    ['too short', bytesToHex(new Uint8Array(31))],
    ['too long', bytesToHex(new Uint8Array(65))],
    ['odd hex', 'abc'],
    ['padded base64', `${base64url.encode(new Uint8Array(32))}=`],
    ['garbage', 'not a key at all!'],
    ['empty', ''],
  ])('refuses %s', (_, text) => {
    expect(() => parsePseudonymKey(text, 1)).toThrowError(expect.objectContaining({ code: 'key_invalid' }));
  });
  it('refuses a bad epoch', () => {
    expect(() => parsePseudonymKey(bytesToHex(new Uint8Array(32)), 0)).toThrowError(
      expect.objectContaining({ code: 'epoch_invalid' }),
    );
  });
});

describe('parseSigningKey', () => {
  const expected = caseSigningKey(seed).keyId;
  it('accepts hex, base64url and PKCS#8 PEM', () => {
    expect(caseKey(parseSigningKey(bytesToHex(seed))).keyId).toBe(expected);
    expect(caseKey(parseSigningKey(base64url.encode(seed))).keyId).toBe(expected);
    expect(caseKey(parseSigningKey(signingKeyToPem(caseSigningKey(seed)))).keyId).toBe(expected);
  });
  it('writes PEM that Node/OpenSSL read, and reads theirs', () => {
    const key = caseSigningKey(seed);
    const theirs = createPrivateKey(signingKeyToPem(key));
    const pub = createPublicKey(theirs).export({ format: 'der', type: 'spki' });
    expect(bytesToHex(new Uint8Array(pub.subarray(pub.length - 32)))).toBe(bytesToHex(key.publicKey));
    const generated = generateKeyPairSync('ed25519');
    const pem = generated.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const spki = generated.publicKey.export({ format: 'der', type: 'spki' });
    expect(bytesToHex(caseKey(parseSigningKey(pem)).publicKey)).toBe(
      bytesToHex(new Uint8Array(spki.subarray(spki.length - 32))),
    );
  });
  it.each([
    ['short seed', bytesToHex(new Uint8Array(31))],
    ['public key PEM', '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----'],
    ['wrong algorithm', `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\n-----END PRIVATE KEY-----`],
    ['garbage', '!!'],
  ])('refuses %s', (_, text) => {
    expect(() => parseSigningKey(text)).toThrowError(expect.objectContaining({ code: 'key_invalid' }));
  });
});
