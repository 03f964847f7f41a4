// The engine's server-side protocol half (node:crypto) against the shared vectors.

import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import { ServerSecrets } from './stored-pseudonym.js';
import {
  PublicKeyVerifier,
  contentDigest,
  isValidPublicKey,
  keyIdFromPublicKey,
  parseRequestSignature,
  requestSignatureBase,
} from './request-signature.js';

const hex = (h: string) => Buffer.from(h, 'hex');

describe('stored pseudonym vectors', () => {
  const v = vectors.storedPseudonyms();
  const secrets = new ServerSecrets(
    new Map(Object.entries(v.serverSecretsHex).map(([g, s]) => [Number(g), hex(s)])),
  );
  afterAll(() => secrets.destroy());
  for (const c of v.cases) {
    it(`epoch ${c.epoch}: generations 1–3`, () => {
      const p = ServerSecrets.decodePseudonym(c.pseudonym)!;
      const chain = secrets.derive(c.epoch, p).map((b) => b.toString('base64url'));
      expect(chain).toEqual([
        c.storedByGeneration['1'],
        c.storedByGeneration['2'],
        c.storedByGeneration['3'],
      ]);
      const g2 = secrets.rekey(2, Buffer.from(c.storedByGeneration['1']!, 'base64url'));
      expect(g2.toString('base64url')).toBe(c.storedByGeneration['2']);
    });
  }
  it('refuses gaps and wrong lengths in the secret set, and hides secrets', () => {
    expect(() => new ServerSecrets(new Map([[2, Buffer.alloc(32)]]))).toThrowError(/generations/);
    expect(() => new ServerSecrets(new Map([[1, Buffer.alloc(16)]]))).toThrowError(/32 bytes/);
    const s = new ServerSecrets(new Map([[1, Buffer.alloc(32, 7)]]));
    onTestFinished(() => s.destroy());
    expect(JSON.stringify({ s })).not.toContain('0707');
    expect(String(s)).toBe('[server secrets]');
  });
  it('decodes only canonical 32-byte pseudonyms', () => {
    const good = v.cases[0]!.pseudonym;
    expect(ServerSecrets.decodePseudonym(good)).toHaveLength(32);
    expect(ServerSecrets.decodePseudonym(`${good}A`)).toBeUndefined();
    expect(ServerSecrets.decodePseudonym(good.slice(0, -1))).toBeUndefined();
    expect(ServerSecrets.decodePseudonym(`${good.slice(0, -1)}=`)).toBeUndefined();
  });
});

describe('request signature vectors (server-side verifier)', () => {
  const v = vectors.requestSignatures();
  const keys = new Map(
    [v.organisation, v.otherOrganisation].map((k) => [k.keyId, Buffer.from(k.publicKey, 'base64url')]),
  );

  // The same decision procedure the server's auth middleware runs (docs/protocol.md §5.4).
  function verifyVector(c: (typeof v.valid)[number]): string {
    const parsed = parseRequestSignature(c.signatureInput ?? undefined, c.signature ?? undefined);
    if (!parsed.ok) return parsed.code;
    // §5.6: the header and its covered component together, the value a person id.
    if (parsed.value.onBehalfOf !== (c.onBehalfOf !== null)) return 'auth_malformed';
    if (c.onBehalfOf !== null && !/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(c.onBehalfOf)) {
      return 'auth_malformed';
    }
    if (c.contentDigest !== contentDigest(Buffer.from(c.body, 'utf8'))) return 'digest_mismatch';
    if (Math.abs(v.now - parsed.value.created) > v.maxClockSkewSeconds) return 'timestamp_out_of_window';
    const pub = keys.get(parsed.value.keyId);
    if (pub === undefined) return 'key_unknown';
    const base = requestSignatureBase(c, c.contentDigest, parsed.value, c.onBehalfOf ?? undefined);
    return new PublicKeyVerifier(pub).verify(Buffer.from(base, 'utf8'), parsed.value.signature)
      ? 'ok'
      : 'signature_invalid';
  }

  it('derives key ids from public keys', () => {
    for (const k of [v.organisation, v.otherOrganisation]) {
      expect(keyIdFromPublicKey(Buffer.from(k.publicKey, 'base64url'))).toBe(k.keyId);
    }
  });
  for (const c of v.valid) {
    it(`accepts ${c.method} ${c.path} and rebuilds its base`, () => {
      const parsed = parseRequestSignature(c.signatureInput!, c.signature!);
      expect(
        parsed.ok && requestSignatureBase(c, c.contentDigest, parsed.value, c.onBehalfOf ?? undefined),
      ).toBe(c.signatureBase);
      expect(verifyVector(c)).toBe('ok');
    });
  }
  for (const c of v.invalid) {
    it(`refuses: ${c.name} → ${c.error}`, () => {
      expect(verifyVector(c)).toBe(c.error);
    });
  }
});

describe('RFC vectors on node:crypto', () => {
  for (const c of vectors.rfc4231().cases) {
    it(`RFC 4231 case ${c.case}`, () => {
      const mac = createHmac('sha256', hex(c.keyHex)).update(hex(c.dataHex)).digest('hex');
      expect(mac.slice(0, (c.truncatedTo ?? 32) * 2)).toBe(c.hmacSha256Hex);
    });
  }
  const ed = vectors.rfc8032();
  for (const c of ed.cases) {
    it(`RFC 8032 ${c.name} (sync and thread-pool verify)`, async () => {
      expect(isValidPublicKey(hex(c.publicKeyHex))).toBe(true);
      const v = new PublicKeyVerifier(hex(c.publicKeyHex));
      expect(v.verify(hex(c.messageHex), hex(c.signatureHex))).toBe(true);
      expect(await v.verifyAsync(hex(c.messageHex), hex(c.signatureHex))).toBe(true);
      const tampered = Buffer.concat([hex(c.messageHex), Buffer.from([0])]);
      expect(v.verify(tampered, hex(c.signatureHex))).toBe(false);
      expect(await v.verifyAsync(tampered, hex(c.signatureHex))).toBe(false);
      expect(await v.verifyAsync(hex(c.messageHex), hex(c.signatureHex).subarray(1))).toBe(false);
    });
  }
  for (const c of ed.mustRefuseSignatures) {
    it(`refuses ${c.name} (sync and thread-pool verify)`, async () => {
      const v = new PublicKeyVerifier(hex(c.publicKeyHex));
      expect(v.verify(hex(c.messageHex), hex(c.signatureHex))).toBe(false);
      expect(await v.verifyAsync(hex(c.messageHex), hex(c.signatureHex))).toBe(false);
    });
  }
  for (const c of ed.mustRefusePublicKeys) {
    it(`refuses public key at registration: ${c.name}`, () => {
      expect(isValidPublicKey(hex(c.publicKeyHex))).toBe(false);
    });
  }
});
