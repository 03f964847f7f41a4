// The answer's Date header: the same text as Date#toUTCString for every millisecond, also
// when the clock steps back, jumps, or lands on a second's first or last millisecond.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpDate } from './http-date.js';

describe('httpDate', () => {
  it('is Date#toUTCString of the given time, whatever came before', () => {
    const instant = fc.integer({ min: 0, max: 4_102_444_800_000 });
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 20 }), (times) => {
        for (const t of times) {
          for (const ms of [t, t - (t % 1000), t - (t % 1000) + 999, t + 1]) {
            expect(httpDate(ms)).toBe(new Date(ms).toUTCString());
          }
        }
      }),
    );
    expect(httpDate(1_767_225_599_999)).toBe('Wed, 31 Dec 2025 23:59:59 GMT');
    expect(httpDate(1_767_225_600_000)).toBe('Thu, 01 Jan 2026 00:00:00 GMT');
    expect(httpDate(1_767_225_599_000)).toBe('Wed, 31 Dec 2025 23:59:59 GMT');
  });
});
