// A plain, slow reference of ristretto255 (RFC 9496), hash-to-group with
// expand_message_xmd/SHA-512 (RFC 9380 §5.3.1) and the RFC 9497 VOPRF
// (ristretto255-SHA512, mode 0x01), for test/vectors/generate.mjs only.
// Written from the RFC texts on BigInt and node:crypto's SHA-512; it shares no code
// with @noble/curves (the SDK and the pseudonym service) and is checked against the
// RFC 9497 Appendix A.1.2 vectors before the generator writes anything.
// Not constant time, not for production: it only ever handles public test keys.

import { createHash } from 'node:crypto';

const P = 2n ** 255n - 19n;
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const mod = (a, m = P) => ((a % m) + m) % m;
const pow = (b, e, m = P) => {
  let r = 1n;
  let x = mod(b, m);
  let k = e;
  while (k > 0n) {
    if (k & 1n) r = (r * x) % m;
    x = (x * x) % m;
    k >>= 1n;
  }
  return r;
};
const inv = (a, m = P) => pow(a, m - 2n, m);
// RFC 9496 §4.1 constants.
const D = mod(-121665n * inv(121666n));
const SQRT_M1 = 19681161376707505956807079304988542015446066515923890162744021073123829784752n;
const SQRT_AD_MINUS_ONE = 25063068953384623474111414158702152701244531502492656460079210482610430750235n;
const INVSQRT_A_MINUS_D = 54469307008909316920995813868745141605393597292927456921205312896311721017578n;
const ONE_MINUS_D_SQ = 1159843021668779879193775521855586647937357759715417654439879720876111806838n;
const D_MINUS_ONE_SQ = 40440834346308536858101042469323190826248399146238708352240133220865137265952n;

const isNegative = (x) => (mod(x) & 1n) === 1n;
const abs = (x) => (isNegative(x) ? mod(-x) : mod(x));
const le = (bytes) => {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
};
const toLe = (n, len = 32) => {
  const out = Buffer.alloc(len);
  let x = n;
  for (let i = 0; i < len; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
};

// RFC 9496 §4.2 SQRT_RATIO_M1.
function sqrtRatioM1(u, v) {
  const v3 = mod(v * v * v);
  const v7 = mod(v3 * v3 * v);
  let r = mod(u * v3 * pow(u * v7, (P - 5n) / 8n));
  const check = mod(v * r * r);
  const correct = check === mod(u);
  const flipped = check === mod(-u);
  const flippedI = check === mod(-u * SQRT_M1);
  if (flipped || flippedI) r = mod(r * SQRT_M1);
  return { wasSquare: correct || flipped, r: abs(r) };
}

// Points in extended coordinates (X, Y, Z, T) on -x² + y² = 1 + d·x²·y².
const IDENTITY = [0n, 1n, 1n, 0n];
function add([x1, y1, z1, t1], [x2, y2, z2, t2]) {
  const a = mod((y1 - x1) * (y2 - x2));
  const b = mod((y1 + x1) * (y2 + x2));
  const c = mod(t1 * 2n * D * t2);
  const d = mod(z1 * 2n * z2);
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
}
export function multiply(point, scalar) {
  let r = IDENTITY;
  let q = point;
  let k = mod(scalar, L);
  while (k > 0n) {
    if (k & 1n) r = add(r, q);
    q = add(q, q);
    k >>= 1n;
  }
  return r;
}
export const sum = (a, b) => add(a, b);
export function equals([x1, y1], [x2, y2]) {
  return mod(x1 * y2) === mod(y1 * x2) || mod(y1 * y2) === mod(x1 * x2);
}
export const isIdentity = (p) => equals(p, IDENTITY);

// RFC 9496 §4.3.1 Decode; undefined for a non-canonical or invalid encoding.
export function decode(bytes) {
  if (bytes.length !== 32) return undefined;
  const s = le(bytes);
  if (s >= P || isNegative(s)) return undefined;
  const ss = mod(s * s);
  const u1 = mod(1n - ss);
  const u2 = mod(1n + ss);
  const u2sq = mod(u2 * u2);
  const v = mod(-(D * u1 * u1) - u2sq);
  const { wasSquare, r: invsqrt } = sqrtRatioM1(1n, mod(v * u2sq));
  const denX = mod(invsqrt * u2);
  const denY = mod(invsqrt * denX * v);
  const x = abs(2n * s * denX);
  const y = mod(u1 * denY);
  const t = mod(x * y);
  if (!wasSquare || isNegative(t) || y === 0n) return undefined;
  return [x, y, 1n, t];
}

// RFC 9496 §4.3.2 Encode.
export function encode([x0, y0, z0, t0]) {
  const u1 = mod((z0 + y0) * (z0 - y0));
  const u2 = mod(x0 * y0);
  const { r: invsqrt } = sqrtRatioM1(1n, mod(u1 * u2 * u2));
  const den1 = mod(invsqrt * u1);
  const den2 = mod(invsqrt * u2);
  const zInv = mod(den1 * den2 * t0);
  const rotate = isNegative(t0 * zInv);
  const x = rotate ? mod(y0 * SQRT_M1) : x0;
  let y = rotate ? mod(x0 * SQRT_M1) : y0;
  const denInv = rotate ? mod(den1 * INVSQRT_A_MINUS_D) : den2;
  if (isNegative(x * zInv)) y = mod(-y);
  return toLe(abs(denInv * (z0 - y)));
}

// RFC 9496 §4.3.4 MAP, and element derivation from 64 uniform bytes.
function map(t) {
  const r = mod(SQRT_M1 * t * t);
  const u = mod((r + 1n) * ONE_MINUS_D_SQ);
  const v = mod((-1n - r * D) * (r + D));
  const sq = sqrtRatioM1(u, v);
  const s = sq.wasSquare ? sq.r : mod(-abs(sq.r * t));
  const c = sq.wasSquare ? P - 1n : r;
  const n = mod(c * (r - 1n) * D_MINUS_ONE_SQ - v);
  const w0 = mod(2n * s * v);
  const w1 = mod(n * SQRT_AD_MINUS_ONE);
  const w2 = mod(1n - s * s);
  const w3 = mod(1n + s * s);
  return [mod(w0 * w3), mod(w2 * w1), mod(w1 * w3), mod(w0 * w2)];
}
const MASK_255 = (1n << 255n) - 1n;
function fromUniformBytes(b) {
  const r0 = mod(le(b.subarray(0, 32)) & MASK_255);
  const r1 = mod(le(b.subarray(32, 64)) & MASK_255);
  return add(map(r0), map(r1));
}

// The generator: y = 4/5 with x even (RFC 8032 §5.1); checked against RFC 9496's encoding.
const BY = mod(4n * inv(5n));
const BX = (() => {
  const x2 = mod((BY * BY - 1n) * inv(D * BY * BY + 1n));
  let x = pow(x2, (P + 3n) / 8n);
  if (mod(x * x) !== x2) x = mod(x * SQRT_M1);
  return isNegative(x) ? mod(-x) : x;
})();
export const BASE = [BX, BY, 1n, mod(BX * BY)];
if (encode(BASE).toString('hex') !== 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76') {
  throw new Error('ristretto255 reference: generator encoding differs from RFC 9496');
}

const sha512 = (...parts) => createHash('sha512').update(Buffer.concat(parts)).digest();
const i2osp = (n, len) => {
  const out = Buffer.alloc(len);
  for (let i = len - 1, x = n; i >= 0; i--, x >>= 8) out[i] = x & 0xff;
  return out;
};

// RFC 9380 §5.3.1 expand_message_xmd with SHA-512 (b = 64, block size s = 128 bytes).
export function expandMessageXmd(msg, dst, lenInBytes) {
  const ell = Math.ceil(lenInBytes / 64);
  if (ell > 255 || dst.length > 255) throw new Error('expand_message_xmd: out of range');
  const dstPrime = Buffer.concat([dst, i2osp(dst.length, 1)]);
  const b0 = sha512(Buffer.alloc(128), msg, i2osp(lenInBytes, 2), i2osp(0, 1), dstPrime);
  const blocks = [sha512(b0, i2osp(1, 1), dstPrime)];
  for (let i = 2; i <= ell; i++) {
    const prev = blocks[i - 2];
    const x = Buffer.alloc(64);
    for (let j = 0; j < 64; j++) x[j] = b0[j] ^ prev[j];
    blocks.push(sha512(x, i2osp(i, 1), dstPrime));
  }
  return Buffer.concat(blocks).subarray(0, lenInBytes);
}

// ---- RFC 9497, ristretto255-SHA512 -------------------------------------------
const ascii = (s) => Buffer.from(s, 'ascii');
export const SUITE = 'ristretto255-SHA512';
export const contextString = (mode) => Buffer.concat([ascii('OPRFV1-'), i2osp(mode, 1), ascii(`-${SUITE}`)]);
const VOPRF = contextString(0x01);
const hashToGroup = (msg, ctx) =>
  fromUniformBytes(expandMessageXmd(msg, Buffer.concat([ascii('HashToGroup-'), ctx]), 64));
const hashToScalar = (msg, dst) => mod(le(expandMessageXmd(msg, dst, 64)), L);
const hashToScalarCtx = (msg, ctx) => hashToScalar(msg, Buffer.concat([ascii('HashToScalar-'), ctx]));
const lp2 = (b) => Buffer.concat([i2osp(b.length, 2), b]);
export const scalarBytes = (k) => toLe(mod(k, L));
export const scalarFrom = (bytes) => le(bytes);

/** RFC 9497 §3.2.1 DeriveKeyPair for the VOPRF mode. */
export function deriveKeyPair(seed, info) {
  const dst = Buffer.concat([ascii('DeriveKeyPair'), VOPRF]);
  for (let counter = 0; counter < 256; counter++) {
    const sk = hashToScalar(Buffer.concat([seed, lp2(info), i2osp(counter, 1)]), dst);
    if (sk !== 0n) return { sk, pk: multiply(BASE, sk) };
  }
  throw new Error('DeriveKeyPairError');
}

/** RFC 9497 §3.3.2 Blind with a given blind scalar. */
export function blind(input, blindScalar) {
  const element = hashToGroup(input, VOPRF);
  if (isIdentity(element)) throw new Error('InvalidInputError');
  return multiply(element, blindScalar);
}

function composites(k, pk, blinded, evaluated) {
  const seed = sha512(lp2(encode(pk)), lp2(Buffer.concat([ascii('Seed-'), VOPRF])));
  let m = IDENTITY;
  let z = IDENTITY;
  blinded.forEach((c, i) => {
    const transcript = Buffer.concat([
      lp2(seed),
      i2osp(i, 2),
      lp2(encode(c)),
      lp2(encode(evaluated[i])),
      ascii('Composite'),
    ]);
    const di = hashToScalarCtx(transcript, VOPRF);
    m = add(multiply(c, di), m);
    if (k === undefined) z = add(multiply(evaluated[i], di), z);
  });
  return { m, z: k === undefined ? z : multiply(m, k) };
}
const challenge = (pk, m, z, t2, t3) =>
  hashToScalarCtx(
    Buffer.concat([pk, m, z, t2, t3].map((p) => lp2(encode(p))).concat([ascii('Challenge')])),
    VOPRF,
  );

/** RFC 9497 §3.3.2 BlindEvaluate (batched, §2.2 GenerateProof) with a given proof random scalar. */
export function blindEvaluateBatch(sk, pk, blinded, proofRandomScalar) {
  const evaluated = blinded.map((b) => multiply(b, sk));
  const { m, z } = composites(sk, pk, blinded, evaluated);
  const r = proofRandomScalar;
  const c = challenge(pk, m, z, multiply(BASE, r), multiply(m, r));
  const s = mod(r - c * sk, L);
  return { evaluated, proof: Buffer.concat([scalarBytes(c), scalarBytes(s)]) };
}

/** RFC 9497 §2.2.2 VerifyProof. */
export function verifyProof(pk, blinded, evaluated, proof) {
  const c = le(proof.subarray(0, 32));
  const s = le(proof.subarray(32, 64));
  if (proof.length !== 64 || c >= L || s >= L) return false;
  const { m, z } = composites(undefined, pk, blinded, evaluated);
  const t2 = add(multiply(BASE, s), multiply(pk, c));
  const t3 = add(multiply(m, s), multiply(z, c));
  return challenge(pk, m, z, t2, t3) === c;
}

/** RFC 9497 §3.3.2 Finalize (after the proof has been verified). */
export function finalize(input, blindScalar, evaluated) {
  const unblinded = multiply(evaluated, inv(blindScalar, L));
  return sha512(lp2(input), lp2(encode(unblinded)), ascii('Finalize'));
}
