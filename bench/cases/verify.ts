// Benchmark 5: Ed25519 verification of a request signature base — node:crypto (what the
// server uses) against @noble/curves strict verification (the alternative).

import { createPublicKey, verify } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { Figure } from '../lib/result.js';
import { interleavedRates } from '../lib/stats.js';

export function verifyBench(quick: boolean): Figure[] {
  const seed = new Uint8Array(32).fill(3);
  const publicKey = ed25519.getPublicKey(seed);
  const messages = Array.from({ length: 64 }, (_, i) =>
    new TextEncoder().encode(
      `"@method": POST\n"@path": /v1/signals\n"@query": ?\n"content-digest": sha-256=:${i}:`,
    ),
  );
  const signatures = messages.map((m) => ed25519.sign(m, seed));
  const keyObject = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });
  let ok = 0;
  const node = (n: number) => {
    for (let i = 0; i < n; i++) if (verify(null, messages[i & 63]!, keyObject, signatures[i & 63]!)) ok++;
  };
  const noble = (n: number) => {
    for (let i = 0; i < n; i++)
      if (ed25519.verify(signatures[i & 63]!, messages[i & 63]!, publicKey, { zip215: false })) ok++;
  };
  const r = interleavedRates(node, noble, quick ? 3 : 7, quick ? 150 : 600);
  if (ok === 0) throw new Error('verification failed');
  return [
    {
      id: '5',
      title: 'Ed25519 verify: node:crypto (used) vs @noble/curves strict (alternative)',
      unit: 'verifies/s',
      candidate: r.candidate,
      baseline: r.baseline,
      baselineName: 'noble ed25519.verify',
      ratio: r.ratio,
      note: 'the server needs > 2,900 verifies/s for 170,000 placements in 60 s',
    },
  ];
}
