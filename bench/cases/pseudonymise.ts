// Benchmark 1: SDK pseudonymisation (validate BSN, build the labelled message, keyed
// HMAC, encode) against a bare @noble/hashes HMAC loop over the same BSNs.
// Target: ≥ 0.85×. Also gives the dictionary-attack rate for docs/threat-model.md.

import { canonicaliseIdentifier, PseudonymKey } from '@sluis/client-sdk';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bsnList } from '../lib/population.js';
import type { Figure } from '../lib/result.js';
import { interleavedRates } from '../lib/stats.js';

export function pseudonymiseBench(quick: boolean): Figure[] {
  const bsns = bsnList(4096, 999_900_000);
  const bsnBytes = bsns.map((b) => new TextEncoder().encode(b));
  const keyBytes = new Uint8Array(32).fill(7);
  const key = PseudonymKey.fromBytes(keyBytes, 1);
  let sink = 0;
  const sdk = (n: number) => {
    for (let i = 0; i < n; i++) {
      const p = key.pseudonymise(canonicaliseIdentifier('bsn', bsns[i & 4095]!));
      sink ^= p.value.charCodeAt(0);
    }
  };
  const bare = (n: number) => {
    for (let i = 0; i < n; i++) sink ^= hmac(sha256, keyBytes, bsnBytes[i & 4095]!)[0]!;
  };
  let r: ReturnType<typeof interleavedRates>;
  try {
    r = interleavedRates(sdk, bare, quick ? 3 : 9, quick ? 150 : 600);
  } finally {
    key.destroy();
    keyBytes.fill(0);
  }
  if (sink === 0.5) console.log(sink);
  return [
    {
      id: '1',
      title: 'SDK pseudonymisation vs bare noble HMAC-SHA-256 over the same BSNs',
      unit: 'ops/s',
      candidate: r.candidate,
      baseline: r.baseline,
      baselineName: 'hmac(sha256, key, bsn)',
      ratio: r.ratio,
      target: { op: '>=', value: 0.85, of: 'ratio' },
    },
  ];
}
