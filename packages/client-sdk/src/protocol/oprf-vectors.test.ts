// The SDK's OPRF code (noble's RFC 9497 VOPRF plus our derivation) against the RFC 9497
// Appendix A.1.2 vectors and our own vectors, both written by test/vectors/generate.mjs
// from an independent reference implementation.
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import { base64url, bytesToHex, hexToBytesStrict } from './encoding.js';
import { canonicaliseIdentifier } from './identifier.js';
import {
  blindInput,
  checkElement,
  finalizeBatch,
  isValidOprfPublicKey,
  oprfInput,
  pseudonymFromOutput,
} from './oprf.js';

const hex = (h: string) => hexToBytesStrict(h)!;
const b64 = (t: string) => base64url.decode(t)!;
// noble draws a scalar from 48 bytes as (LE(bytes) mod (L − 1)) + 1; these bytes give `scalar`.
const rngFor = (scalarHex: string) => () => {
  let s = 0n;
  const le = hex(scalarHex);
  for (let i = le.length - 1; i >= 0; i--) s = (s << 8n) | BigInt(le[i]!);
  s -= 1n;
  const out = new Uint8Array(48);
  for (let i = 0; i < 48; i++) {
    out[i] = Number(s & 0xffn);
    s >>= 8n;
  }
  return out;
};

describe('RFC 9497 A.1.2 (ristretto255-SHA512, VOPRF) on @noble/curves', () => {
  const v = vectors.rfc9497();
  const keys = ristretto255_oprf.voprf.deriveKeyPair(hex(v.seedHex), hex(v.keyInfoHex));
  it('derives skSm and pkSm', () => {
    expect(bytesToHex(keys.secretKey)).toBe(v.skSmHex);
    expect(bytesToHex(keys.publicKey)).toBe(v.pkSmHex);
  });
  for (const c of v.cases) {
    it(c.name, () => {
      const blinded = c.inputHex.map((x, i) => blindInput(hex(x), rngFor(c.blindHex[i]!)));
      expect(blinded.map((b) => bytesToHex(b.blinded))).toEqual(c.blindedElementHex);
      expect(blinded.map((b) => bytesToHex(b.blind))).toEqual(c.blindHex);
      const ev = ristretto255_oprf.voprf.blindEvaluateBatch(
        keys.secretKey,
        keys.publicKey,
        blinded.map((b) => b.blinded),
        rngFor(c.proofRandomScalarHex),
      );
      expect(ev.evaluated.map(bytesToHex)).toEqual(c.evaluationElementHex);
      expect(bytesToHex(ev.proof)).toBe(c.proofHex);
      const out = finalizeBatch(blinded, c.evaluationElementHex.map(hex), keys.publicKey, hex(c.proofHex));
      expect(out?.map(bytesToHex)).toEqual(c.outputHex);
    });
  }
});

describe('sluis OPRF derivation vectors (docs/protocol.md §9)', () => {
  const v = vectors.oprfPseudonyms();
  const publicKey = b64(v.key.publicKey);
  it('the key pair derives as in the vectors', () => {
    const k = ristretto255_oprf.voprf.deriveKeyPair(hex(v.key.seedHex), hex(v.key.keyInfoHex));
    expect(bytesToHex(k.secretKey)).toBe(v.key.secretKeyHex);
    expect(base64url.encode(k.publicKey)).toBe(v.key.publicKey);
    expect(isValidOprfPublicKey(publicKey)).toBe(true);
  });
  for (const [name, c] of [
    ['one element', v.single],
    ['a batch of three under one proof', v.batch],
  ] as const) {
    it(`${name}: input, blinding, evaluation, proof, output and pseudonym`, () => {
      const items = c.items.map((it) => {
        const id = canonicaliseIdentifier(it.scheme, it.input);
        expect(id.reveal()).toBe(it.canonical);
        const input = oprfInput(c.epoch, id);
        expect(bytesToHex(input)).toBe(it.oprfInputHex);
        return blindInput(input, rngFor(it.blindHex));
      });
      expect(items.map((b) => base64url.encode(b.blinded))).toEqual(c.items.map((it) => it.blindedElement));
      const ev = ristretto255_oprf.voprf.blindEvaluateBatch(
        hex(v.key.secretKeyHex),
        publicKey,
        items.map((b) => b.blinded),
        rngFor(c.proofRandomScalarHex),
      );
      expect(ev.evaluated.map((e) => base64url.encode(e))).toEqual(c.items.map((it) => it.evaluatedElement));
      expect(base64url.encode(ev.proof)).toBe(c.proof);
      const outputs = finalizeBatch(items, ev.evaluated, publicKey, b64(c.proof))!;
      expect(outputs.map(bytesToHex)).toEqual(c.items.map((it) => it.outputHex));
      expect(outputs.map((o) => pseudonymFromOutput(o, c.epoch))).toEqual(
        c.items.map((it) => ({ epoch: c.epoch, value: it.pseudonym })),
      );
    });
  }
  it('a tampered proof, a swapped element or another public key finalizes nothing', () => {
    const c = v.batch;
    const items = c.items.map((it) =>
      blindInput(oprfInput(c.epoch, canonicaliseIdentifier(it.scheme, it.input)), rngFor(it.blindHex)),
    );
    const evaluated = c.items.map((it) => b64(it.evaluatedElement));
    expect(finalizeBatch(items, evaluated, publicKey, b64(c.proof))).toBeDefined();
    expect(finalizeBatch(items, evaluated, publicKey, b64(v.tamperedBatchProof))).toBeUndefined();
    expect(
      finalizeBatch(items, [evaluated[1]!, evaluated[0]!, evaluated[2]!], publicKey, b64(c.proof)),
    ).toBeUndefined();
    expect(finalizeBatch(items, evaluated.slice(1), publicKey, b64(c.proof))).toBeUndefined();
    const other = ristretto255_oprf.voprf.generateKeyPair().publicKey;
    expect(finalizeBatch(items, evaluated, other, b64(c.proof))).toBeUndefined();
  });
  for (const bad of v.badElements) {
    it(`refuses ${bad.name} → ${bad.error}`, () => {
      expect(checkElement(b64(bad.element))).toBe(bad.error);
      expect(isValidOprfPublicKey(b64(bad.element))).toBe(false);
    });
  }
});
