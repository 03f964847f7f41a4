// The queue of capped-buckets.ts answers as a scan of the whole map would: for any sequence of
// new keys, tokens taken, refills and clock steps, the same buckets are kept, the same ones
// dropped, and a refused new key is told the same wait (docs/protocol.md §5.4, §10.5).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Bucket, CappedBuckets } from './capped-buckets.js';

const RATE = 1 / 1000; // tokens per ms
const BURST = 3;
/** The request limiter's rule: a bucket may go once it has refilled. */
const goneAt = (b: Bucket) => b.at + (BURST - b.tokens) / RATE;

/** The rule as a scan of every bucket: drop all whose time has come, else the first one's wait. */
class Scanned {
  readonly map = new Map<string, Bucket>();
  constructor(readonly capacity: number) {}
  room(now: number): number {
    if (this.map.size < this.capacity) return 0;
    let first = Number.POSITIVE_INFINITY;
    for (const [key, b] of this.map) {
      const t = goneAt(b);
      if (t <= now) this.map.delete(key);
      else first = Math.min(first, t);
    }
    if (this.map.size < this.capacity) return 0;
    return Math.max(1, Math.ceil((first - now) / 1000));
  }
}

const refill = (b: Bucket, now: number) => {
  b.tokens = Math.min(BURST, b.tokens + (now - b.at) * RATE);
  b.at = now;
};

const op = fc.oneof(
  fc.record({ kind: fc.constant('use' as const), key: fc.integer({ min: 0, max: 12 }), take: fc.boolean() }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 4000 }) }),
);

describe('CappedBuckets', () => {
  it('keeps, drops and refuses exactly as a scan of the map would', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 200 }), (capacity, ops) => {
        let now = 0;
        const queued = new CappedBuckets(capacity, goneAt);
        const scanned = new Scanned(capacity);
        for (const o of ops) {
          if (o.kind === 'tick') {
            now += o.ms;
            continue;
          }
          const key = `k${o.key}`;
          let q = queued.get(key);
          let s = scanned.map.get(key);
          expect(q === undefined).toBe(s === undefined);
          if (q === undefined || s === undefined) {
            const wait = queued.room(now);
            expect(wait).toBe(scanned.room(now));
            if (wait > 0) continue;
            q = queued.add(key, { tokens: BURST, at: now });
            s = { tokens: BURST, at: now };
            scanned.map.set(key, s);
          } else {
            refill(q, now);
            refill(s, now);
          }
          if (o.take && q.tokens >= 1) {
            q.tokens -= 1;
            s.tokens -= 1;
          }
          expect(queued.size).toBe(scanned.map.size);
        }
        expect(new Set([...scanned.map.keys()].filter((k) => queued.get(k) !== undefined)).size).toBe(
          scanned.map.size,
        );
      }),
      { numRuns: 500 },
    );
  });
});
