// The default random source and UUIDs: fresh bytes for every request across pool refills
// (a pool handing out a zeroed or repeated slice would repeat ids), no aliasing between
// what it returned and what it returns next, any length, and RFC 9562 v4 ids.

import { describe, expect, it } from 'vitest';
import { isUuid, newUuid, pooledRandom } from './ids.js';

describe('pooledRandom', () => {
  it('returns fresh, unaliased bytes of the asked length across many pool refills', () => {
    const random = pooledRandom();
    const seen = new Set<string>();
    const outputs: Uint8Array[] = [];
    // 16 + 7 bytes per round: requests straddle the 4 KiB pool boundary at varying offsets.
    for (let i = 0; i < 5_000; i++) {
      for (const n of [16, 7]) {
        const b = random(n);
        expect(b.length).toBe(n);
        seen.add(Buffer.from(b).toString('hex'));
        outputs.push(b);
      }
    }
    expect(seen.size).toBe(10_000);
    // What was handed out is a copy: refilling the pool (many times over above) left it.
    const first = random(16);
    const kept = Buffer.from(first);
    random(2 * 4096);
    for (let i = 0; i < 600; i++) random(16);
    expect(Buffer.from(first).equals(kept)).toBe(true);
    // Every byte value shows up in 80 KB of output (a zeroed pool would not).
    const values = new Set<number>();
    for (const b of outputs) for (const x of b) values.add(x);
    expect(values.size).toBe(256);
  });

  it('serves requests larger than the pool', () => {
    const random = pooledRandom();
    const big = random(10_000);
    expect(big.length).toBe(10_000);
    expect(new Set(big).size).toBeGreaterThan(200);
  });
});

describe('newUuid', () => {
  it('makes distinct version-4 ids from the default source', () => {
    const random = pooledRandom();
    const ids = Array.from({ length: 1_000 }, () => newUuid(random));
    expect(new Set(ids).size).toBe(1_000);
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('4');
      expect('89ab').toContain(id[19]);
    }
  });
});
