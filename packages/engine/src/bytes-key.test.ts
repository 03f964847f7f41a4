// RoleKeys, the batch path's remembered key of a stored value, one memo per write
// (docs/performance.md "Twenty-sixth pass: bulk, the removals together",
// docs/performance.md "Twenty-eighth pass: bulk, margin on target 3"): held to the key it
// replaced (the role's letter and the value's latin1 text, made anew each time) on many values,
// the same and other objects with the same bytes, Buffers and plain views, short values and
// values longer than its scratch buffer, and both roles.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesKey, RoleKeys, roleKey } from './bytes-key.js';

/** The key as the view and the tally made it before, each call. */
const reference = (role: 'subject' | 'parent', bytes: Uint8Array) =>
  `${role === 'subject' ? 's' : 'p'}${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')}`;

const role = fc.constantFrom('subject' as const, 'parent' as const);
/** Few distinct byte strings, so that equal bytes in other objects come up often. */
const bytes = fc
  .constantFrom(0, 1, 2, 16, 32, 64, 65, 100)
  .chain((n) => fc.uint8Array({ minLength: n, maxLength: n, max: 3 }));
/** The same bytes as a Buffer, as a view into a larger buffer, or as a plain Uint8Array. */
const asObject = (b: Uint8Array, form: number): Uint8Array => {
  if (form === 0) return Buffer.from(b);
  if (form === 1) {
    const big = new Uint8Array(b.length + 7);
    big.set(b, 3);
    return big.subarray(3, 3 + b.length);
  }
  return new Uint8Array(b);
};

describe('RoleKeys', () => {
  /** One memo across the runs too: what one run keyed is asked again by the next. */
  const shared = new RoleKeys();
  it('answers as the key it replaced, for the same object again and for others with the same bytes', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(role, bytes, fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (fresh, drawn, again) => {
          const keys = fresh ? new RoleKeys() : shared;
          const keyOf = (r: 'subject' | 'parent', o: Uint8Array) => keys.key(r, o);
          const objects = drawn.map(([r, b, form]) => [r, asObject(b, form), b] as const);
          for (const [r, o] of objects) expect(keyOf(r, o)).toBe(reference(r, o));
          for (const i of again) {
            const [r, o] = objects[i % objects.length]!;
            expect(keyOf(r, o)).toBe(reference(r, o));
            const other = r === 'subject' ? 'parent' : 'subject';
            expect(keyOf(other, o)).toBe(reference(other, o));
          }
          for (const [r1, o1, b1] of objects)
            for (const [r2, o2, b2] of objects) {
              const same = r1 === r2 && Buffer.from(b1).equals(Buffer.from(b2));
              expect(keyOf(r1, o1) === keyOf(r2, o2)).toBe(same);
            }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('roleKey is bytesKey behind the role letter', () => {
    const b = Buffer.from([0, 255, 128, 7]);
    expect(roleKey('subject', b)).toBe(`s${bytesKey(b)}`);
    expect(roleKey('parent', b)).toBe(`p${bytesKey(b)}`);
  });
});
