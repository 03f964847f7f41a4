// Is @noble/curves fast enough for OPRF epochs, or should a faster well-kept ristretto255
// implementation carry them (docs/performance.md "OPRF epochs: which ristretto255")? The two
// group operations that make up every OPRF round of RFC 9497 (docs/protocol.md §9), each in
// libsodium (libsodium-wrappers-sumo: the C library compiled to WebAssembly, by its author)
// against @noble/curves in the same run:
//   lib-1: HashToGroup (expand_message_xmd SHA-512 → the ristretto255 one-way map) — once
//          per identifier, on the client;
//   lib-2: a scalar multiplication of a ristretto255 element (encode/decode included, as on
//          the wire) — blind, evaluate, unblind and the proof's composites are all this.
// Before anything is timed, both libraries must reproduce the RFC 9497 A.1.2 vectors'
// blinded and evaluated elements; a library that disagrees is not measured.
// libsodium is a development dependency of bench/ only: nothing in sluis uses it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha512 } from '@noble/hashes/sha2.js';
import sodium from 'libsodium-wrappers-sumo';
import type { Figure } from '../lib/result.js';
import { interleavedRates } from '../lib/stats.js';

const VECTORS = join(import.meta.dirname, '..', '..', 'test', 'vectors', 'rfc9497-voprf-ristretto255.json');
// RFC 9497 §4.1 and §3.1: contextString = "OPRFV1-" ‖ I2OSP(mode=VOPRF 0x01, 1) ‖ "-" ‖ suite.
const CONTEXT = Buffer.concat([
  Buffer.from('OPRFV1-'),
  Buffer.from([1]),
  Buffer.from('-ristretto255-SHA512'),
]);
const DST = Buffer.concat([Buffer.from('HashToGroup-'), CONTEXT]);

interface Vectors {
  readonly skSmHex: string;
  readonly cases: readonly {
    readonly inputHex: readonly string[];
    readonly blindHex: readonly string[];
    readonly blindedElementHex: readonly string[];
    readonly evaluationElementHex: readonly string[];
  }[];
}

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** A little-endian scalar (RFC 9497 SerializeScalar) as a bigint. */
const scalar = (b: Uint8Array) => BigInt(`0x${toHex(Uint8Array.from(b).reverse())}`);

const sodiumHashToGroup = (input: Uint8Array) =>
  sodium.crypto_core_ristretto255_from_hash(expand_message_xmd(input, DST, 64, sha512));
const nobleHashToGroup = (input: Uint8Array) => ristretto255_hasher.hashToCurve(input, { DST }).toBytes();
const sodiumMultiply = (k: Uint8Array, p: Uint8Array) => sodium.crypto_scalarmult_ristretto255(k, p);
const nobleMultiply = (k: Uint8Array, p: Uint8Array) =>
  ristretto255.Point.fromBytes(p).multiply(scalar(k)).toBytes();

/** Both libraries reproduce every blinded and evaluated element of RFC 9497 A.1.2, or this throws. */
function checkVectors(): number {
  const v = JSON.parse(readFileSync(VECTORS, 'utf8')) as Vectors;
  const sk = hex(v.skSmHex);
  let checked = 0;
  for (const c of v.cases) {
    c.inputHex.forEach((inputHex, i) => {
      const input = hex(inputHex);
      const blind = hex(c.blindHex[i]!);
      for (const [name, h2g, mul] of [
        ['libsodium', sodiumHashToGroup, sodiumMultiply],
        ['noble', nobleHashToGroup, nobleMultiply],
      ] as const) {
        const blinded = mul(blind, h2g(input));
        const evaluated = mul(sk, blinded);
        if (toHex(blinded) !== c.blindedElementHex[i] || toHex(evaluated) !== c.evaluationElementHex[i]) {
          throw new Error(`${name} does not reproduce the RFC 9497 vectors`);
        }
      }
      checked++;
    });
  }
  return checked;
}

export async function ristrettoLibsBench(quick: boolean): Promise<Figure[]> {
  await sodium.ready;
  const checked = checkVectors();
  const runs = quick ? 1 : 7;
  const minMs = quick ? 100 : 800;
  const inputs = Array.from({ length: 256 }, (_, i) => new TextEncoder().encode(`bsn:${100_000_000 + i}`));
  const points = inputs.map((x) => nobleHashToGroup(x));
  const scalars = inputs.map(() => sodium.crypto_core_ristretto255_scalar_random());
  let sink = 0;
  const h2g = interleavedRates(
    (n) => {
      for (let i = 0; i < n; i++) sink ^= sodiumHashToGroup(inputs[i & 255]!)[0]!;
    },
    (n) => {
      for (let i = 0; i < n; i++) sink ^= nobleHashToGroup(inputs[i & 255]!)[0]!;
    },
    runs,
    minMs,
  );
  const mul = interleavedRates(
    (n) => {
      for (let i = 0; i < n; i++) sink ^= sodiumMultiply(scalars[i & 255]!, points[i & 255]!)[0]!;
    },
    (n) => {
      for (let i = 0; i < n; i++) sink ^= nobleMultiply(scalars[i & 255]!, points[i & 255]!)[0]!;
    },
    runs,
    minMs,
  );
  if (sink === -1) console.log(sink);
  const note = `both libraries reproduce the ${checked} blinded and evaluated elements of RFC 9497 A.1.2 first`;
  return [
    {
      id: 'lib-1',
      title: 'ristretto255 HashToGroup: libsodium (WebAssembly) vs @noble/curves',
      unit: 'hashes/s',
      candidate: h2g.candidate,
      baseline: h2g.baseline,
      baselineName: '@noble/curves',
      ratio: h2g.ratio,
      note,
    },
    {
      id: 'lib-2',
      title: 'ristretto255 scalar multiplication (decode, multiply, encode): libsodium vs @noble/curves',
      unit: 'multiplications/s',
      candidate: mul.candidate,
      baseline: mul.baseline,
      baselineName: '@noble/curves',
      ratio: mul.ratio,
    },
  ];
}
