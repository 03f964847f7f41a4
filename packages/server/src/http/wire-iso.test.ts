// iso() remembers the last two instants it wrote (a batch answer repeats them 500 times):
// on any sequence of instants it must write exactly what toISOString writes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iso } from './wire.js';

const instant = fc.oneof(
  fc.constantFrom(0, -0, 1_764_720_000_000, 1_764_720_000_001),
  fc.integer({ min: -8.64e15, max: 8.64e15 }),
);

describe('iso', () => {
  it('writes what toISOString writes, whatever came before', () => {
    fc.assert(
      fc.property(fc.array(instant, { maxLength: 20 }), (seq) => {
        for (const ms of seq) expect(iso(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 500 },
    );
  });

  it('still refuses an instant outside the Date range', () => {
    expect(() => iso(Number.NaN)).toThrow(RangeError);
    expect(() => iso(8.64e15 + 1)).toThrow(RangeError);
  });
});
