// The SDK against the shared known-answer vectors (test/vectors/), including the RFC
// 4231 and RFC 8032 vectors for the primitives it is built on.

import { ed25519 } from '@noble/curves/ed25519.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import { base64, bytesToHex, hexToBytesStrict, utf8 } from './encoding.js';
import { checkBsn } from './identifier.js';
import { PseudonymKey } from './pseudonym.js';
import { requestSignatureBase, signRequest, verifyWebhook, webhookSignatureBase } from './http-signature.js';
import { isValidPublicKey, keyIdFromPublicKey, verifyEd25519 } from './signing-key.js';
import { casePseudonymKey, caseSigningKey } from '../../../../test/support/case-keys.js';

const hex = (h: string) => hexToBytesStrict(h)!;

describe('identifier vectors', () => {
  for (const c of vectors.identifiers().cases) {
    it(`${JSON.stringify(c.input)} → ${c.valid ? 'valid' : c.error}`, () => {
      const r = checkBsn(c.input);
      if (c.valid) {
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.identifier.reveal()).toBe(c.canonical);
      } else {
        expect(r).toEqual({ ok: false, code: c.error });
      }
    });
  }
});

describe('pseudonym vectors', () => {
  const v = vectors.pseudonyms();
  for (const c of v.cases) {
    it(`epoch ${c.epoch}, input ${c.input.length} digits`, () => {
      const r = checkBsn(c.input);
      if (!r.ok) throw new Error('vector input must be valid');
      expect(bytesToHex(PseudonymKey.message(c.epoch, r.identifier))).toBe(c.messageHex);
      const key = casePseudonymKey(hex(c.pseudonymKeyHex), c.epoch);
      expect(key.pseudonymise(r.identifier)).toEqual({ epoch: c.epoch, value: c.pseudonym });
    });
  }
  it('refuses keys of the wrong length and bad epochs', () => {
    for (const k of v.invalidKeys) {
      expect(() => PseudonymKey.fromBytes(new Uint8Array(k.lengthBytes), 1)).toThrowError(
        expect.objectContaining({ code: k.error }),
      );
    }
    for (const e of v.invalidEpochs) {
      expect(() => PseudonymKey.fromBytes(new Uint8Array(32), e.epoch)).toThrowError(
        expect.objectContaining({ code: e.error }),
      );
    }
  });
});

describe('request signature vectors', () => {
  const v = vectors.requestSignatures();
  const key = caseSigningKey(hex(v.organisation.seedHex));
  it('derives the public key and key id', () => {
    expect(base64url(key.publicKey)).toBe(v.organisation.publicKey);
    expect(key.keyId).toBe(v.organisation.keyId);
    expect(keyIdFromPublicKey(key.publicKey)).toBe(v.organisation.keyId);
  });
  for (const c of v.valid) {
    it(`signs ${c.method} ${c.path}?${c.query} exactly`, () => {
      const target = { method: c.method, path: c.path, query: c.query };
      const onBehalf = c.onBehalfOf === null ? {} : { onBehalfOf: c.onBehalfOf };
      const headers = signRequest(key, target, utf8(c.body), {
        created: c.created,
        nonce: c.nonce,
        ...onBehalf,
      });
      expect(headers['content-digest']).toBe(c.contentDigest);
      expect(headers['signature-input']).toBe(c.signatureInput);
      expect(headers.signature).toBe(c.signature); // Ed25519 is deterministic
      expect(headers['sluis-on-behalf-of']).toBe(c.onBehalfOf ?? undefined);
      expect(requestSignatureBase(target, c.contentDigest, c, c.onBehalfOf ?? undefined)).toBe(
        c.signatureBase,
      );
    });
  }
});

it('refuses to sign on behalf of something that is not a person id', () => {
  const key = caseSigningKey();
  expect(() =>
    signRequest(key, { method: 'GET', path: '/v1/whoami', query: '' }, new Uint8Array(0), {
      onBehalfOf: 'x\n"@path": /v1/admin',
    }),
  ).toThrow(expect.objectContaining({ code: 'request_invalid' }));
});

function base64url(b: Uint8Array): string {
  return Buffer.from(b).toString('base64url');
}

describe('webhook signature vectors', () => {
  const v = vectors.webhookSignatures();
  const serverKeys = new Map([[v.server.keyId, Buffer.from(v.server.publicKey, 'base64url')]]);
  const headersOf = (c: (typeof v.valid)[number]) => ({
    'content-digest': c.contentDigest,
    'signature-input': c.signatureInput,
    ...(c.signature === null ? {} : { signature: c.signature }),
  });
  for (const c of v.valid) {
    it('verifies the valid delivery and reproduces its base', () => {
      expect(webhookSignatureBase(c.targetUri, c.contentDigest, c)).toBe(c.signatureBase);
      const r = verifyWebhook({
        targetUri: c.targetUri,
        headers: headersOf(c),
        body: utf8(c.body),
        serverKeys,
        now: v.now,
      });
      expect(r).toEqual({ ok: true, keyId: c.keyId, nonce: c.nonce, created: c.created });
    });
  }
  for (const c of v.invalid) {
    it(`refuses: ${c.name} → ${c.error}`, () => {
      const r = verifyWebhook({
        targetUri: c.targetUri,
        headers: headersOf(c),
        body: utf8(c.body),
        serverKeys,
        now: v.now,
      });
      expect(r).toEqual({ ok: false, code: c.error });
    });
  }
  it('refuses a replayed nonce and a stale delivery', () => {
    const c = v.valid[0]!;
    const seen = new Set<string>();
    const rememberNonce = (k: string, n: string) => !seen.has(`${k}:${n}`) && Boolean(seen.add(`${k}:${n}`));
    const input = {
      targetUri: c.targetUri,
      headers: headersOf(c),
      body: utf8(c.body),
      serverKeys,
      now: v.now,
      rememberNonce,
    };
    expect(verifyWebhook(input).ok).toBe(true);
    expect(verifyWebhook(input)).toEqual({ ok: false, code: 'nonce_reused' });
    expect(verifyWebhook({ ...input, now: v.now + 301 })).toEqual({
      ok: false,
      code: 'timestamp_out_of_window',
    });
  });
});

describe('RFC 4231 HMAC-SHA-256 (the primitive under pseudonyms)', () => {
  for (const c of vectors.rfc4231().cases) {
    it(`case ${c.case}`, () => {
      const mac = hmac(sha256, hex(c.keyHex), hex(c.dataHex));
      expect(bytesToHex(mac).slice(0, (c.truncatedTo ?? 32) * 2)).toBe(c.hmacSha256Hex);
    });
  }
});

describe('RFC 8032 Ed25519 (the primitive under signatures)', () => {
  const v = vectors.rfc8032();
  for (const c of v.cases) {
    it(c.name, () => {
      const key = caseSigningKey(hex(c.secretKeyHex));
      expect(bytesToHex(key.publicKey)).toBe(c.publicKeyHex);
      expect(bytesToHex(key.sign(hex(c.messageHex)))).toBe(c.signatureHex);
      expect(verifyEd25519(hex(c.signatureHex), hex(c.messageHex), key.publicKey)).toBe(true);
    });
  }
  for (const c of v.mustRefuseSignatures) {
    it(`refuses ${c.name}`, () => {
      expect(verifyEd25519(hex(c.signatureHex), hex(c.messageHex), hex(c.publicKeyHex))).toBe(false);
      // noble's lenient ZIP-215 mode is not what we use: show the strict flag matters or not, but never accept here.
      expect(
        ed25519.verify(hex(c.signatureHex), hex(c.messageHex), hex(c.publicKeyHex), { zip215: false }),
      ).toBe(false);
    });
  }
  for (const c of v.mustRefusePublicKeys) {
    it(`refuses public key: ${c.name}`, () => {
      expect(isValidPublicKey(hex(c.publicKeyHex))).toBe(false);
    });
  }
  it('standard base64 inside byte sequences is canonical', () => {
    expect(base64.decode('YQ==')).toEqual(utf8('a'));
    expect(base64.decode('YR==')).toBeUndefined();
  });
});
