// The default random source and UUIDs: fresh bytes for every request across pool refills
// (a pool handing out a zeroed or repeated slice would repeat ids), no aliasing between
// what it returned and what it returns next, any length, and RFC 9562 v4 ids; uuidToBytes
// exactly as the pattern and the dashless hex it replaced, on any text.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUuid, newUuid, newUuidBytes, pooledRandom, uuidFromBytes, uuidToBytes } from './ids.js';

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

  it('hands the same bytes to the same requests as the code it replaced, and zeroes them in the pool', () => {
    // docs/performance.md "Twenty-eighth pass: bulk, margin on target 3": the copy and the
    // zeroing byte by byte instead of a view of the pool and `fill`. The CSPRNG replaced by a
    // counter, so both pools draw the same bytes; the old code as it was.
    const counter = () => {
      let next = 1;
      return (b: Buffer) => {
        for (let i = 0; i < b.length; i++) b[i] = next++ % 251 || 251;
      };
    };
    const oldPooled = (fill: (b: Buffer) => void) => {
      const pool = Buffer.alloc(4096);
      let at = 4096;
      return (n: number) => {
        if (n > 4096) {
          const big = Buffer.alloc(n);
          fill(big);
          return big;
        }
        if (at + n > 4096) {
          fill(pool);
          at = 0;
        }
        const out = Buffer.from(pool.subarray(at, at + n));
        pool.fill(0, at, at + n);
        at += n;
        return out;
      };
    };
    /** Each source's pool, seen when it is filled. */
    const pools: { now?: Buffer; old?: Buffer } = {};
    const seen = (which: 'now' | 'old', fill: (b: Buffer) => void) => (b: Buffer) => {
      if (b.length === 4096) pools[which] = b;
      fill(b);
    };
    const random = pooledRandom(seen('now', counter()));
    const old = oldPooled(seen('old', counter()));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(16, 16, 16, 0, 1, 4096), fc.nat(5_000)), { maxLength: 300 }),
        (sizes) => {
          for (const n of sizes) {
            expect(Buffer.from(random(n)).equals(old(n)), `${n}`).toBe(true);
            // The pools hold the same bytes: what was handed out is zeroed in both.
            expect(pools.now?.equals(pools.old!) ?? pools.old === undefined).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
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

describe('uuidToBytes', () => {
  /** The code it replaced (docs/performance.md "Twenty-first pass: bulk"), kept as the reference. */
  const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const reference = (id: string) =>
    UUID_RE.test(id) ? Buffer.from(id.replaceAll('-', ''), 'hex') : undefined;
  const same = (id: string) => expect(uuidToBytes(id), JSON.stringify(id)).toEqual(reference(id));

  it('reads every lower-case UUID and refuses everything the pattern refuses', () => {
    const random = pooledRandom();
    for (let i = 0; i < 200; i++) {
      const id = newUuid(random);
      expect(uuidFromBytes(uuidToBytes(id)!)).toBe(id);
    }
    for (const id of ['', '-', '0'.repeat(36), `${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`]) same(id);
    // A UUID with one character replaced (upper case, a dash moved, any code unit), cut or lengthened.
    const edits = fc.tuple(
      fc.uuid(),
      fc.nat(35),
      fc.oneof(
        fc.constantFrom('-', 'A', 'F', 'g', '0', 'f', '/', ':', '`', '\u00e9', '\ud800', '\u0660'),
        fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
      ),
      fc.constantFrom('replace', 'cut', 'insert'),
    );
    fc.assert(
      fc.property(edits, ([u, at, c, how]) => {
        const id = u.toLowerCase();
        same(id);
        same(u);
        if (how === 'replace') same(id.slice(0, at) + c + id.slice(at + 1));
        else if (how === 'cut') same(id.slice(0, at) + id.slice(at + 1));
        else same(id.slice(0, at) + c + id.slice(at));
      }),
      { numRuns: 5_000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (t) => {
        same(t);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('uuidFromBytes and newUuidBytes', () => {
  /** The code it replaced (docs/performance.md "Twenty-fifth pass: bulk, work removed from the main thread"). */
  const reference = (b: Uint8Array) => {
    const h = Buffer.from(b).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  it('writes the text the hex copy cut in five wrote, for any bytes of any length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 24 }), (b) => {
        expect(uuidFromBytes(b)).toBe(reference(b));
      }),
      { numRuns: 3_000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        // Twice in a row: the shared buffer it writes into leaves nothing of the previous text.
        const first = uuidFromBytes(b);
        uuidFromBytes(new Uint8Array(16).fill(255));
        expect(first).toBe(reference(b));
        expect(uuidToBytes(first)).toEqual(Buffer.from(b));
      }),
      { numRuns: 3_000 },
    );
  });

  it('newUuidBytes draws the bytes newUuid writes as text', () => {
    const draws = Array.from({ length: 64 }, (_, i) => Buffer.alloc(16, i * 7 + 3));
    const source = () => {
      let n = 0;
      return (len: number) => Buffer.from(draws[n++]!.subarray(0, len));
    };
    const asText = source();
    const asBytes = source();
    for (let i = 0; i < draws.length; i++) {
      const b = newUuidBytes(asBytes);
      expect(newUuid(asText)).toBe(reference(b));
      expect(isUuid(reference(b))).toBe(true);
    }
  });
});
