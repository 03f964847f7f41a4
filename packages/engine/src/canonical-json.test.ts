// Canonical JSON: the same bytes as the plain definition (keys sorted by code unit,
// undefined members left out, JSON.stringify for every scalar) for any JSON value, and the
// refusals of what has no canonical form.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type Json } from './canonical-json.js';

/** The definition, written the plain way: the implementation must agree with it byte for byte. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`).join(',')}}`;
}

describe('canonicalJson', () => {
  it('agrees with the plain definition for any JSON value, undefined members included', () => {
    const value = fc.letrec((tie) => ({
      json: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'binary' }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('json')),
        fc.dictionary(fc.string({ unit: 'binary' }), fc.option(tie('json'), { nil: undefined })),
      ),
    })).json;
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v as Json)).toBe(reference(v));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts keys by UTF-16 code unit and leaves undefined members out', () => {
    expect(canonicalJson({ b: 1, a: undefined, A: [true, null, 'x'], é: {}, '\ud83d\ude00': 0, z: -0 })).toBe(
      '{"A":[true,null,"x"],"b":1,"z":0,"é":{},"😀":0}',
    );
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
  });

  it('refuses numbers that have no JSON form', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(RangeError);
    expect(() => canonicalJson({ a: [Number.POSITIVE_INFINITY] })).toThrow(RangeError);
  });
});
