// parseDate remembers its last two answers (docs/performance.md "Twenty-first pass: bulk"):
// on any sequence of texts, repeated or not, it answers what the parse it remembers answers.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDate } from './time.js';

/** The parse itself, kept here as the reference. */
function reference(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m === null) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : undefined;
}

describe('parseDate', () => {
  it('answers as the parse on any sequence of texts, repeats included', () => {
    const dateLike = fc.oneof(
      fc
        .tuple(
          fc.integer({ min: 0, max: 9999 }),
          fc.integer({ min: 0, max: 13 }),
          fc.integer({ min: 0, max: 32 }),
        )
        .map(
          ([y, m, d]) =>
            `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
        ),
      fc.constantFrom(
        '',
        '2026-01-05',
        '2026-02-29',
        '2024-02-29',
        '2026-1-05',
        ' 2026-01-05',
        '2026-01-05\n',
      ),
      fc.string({ maxLength: 12 }),
    );
    const item = fc.oneof(dateLike, fc.constantFrom(undefined, null, 20260105));
    fc.assert(
      fc.property(fc.array(fc.nat(4)), fc.array(item, { minLength: 1, maxLength: 5 }), (picks, pool) => {
        // Texts drawn again and again from a small pool, so the remembered answers are used.
        for (const p of picks) {
          const text = pool[p % pool.length];
          expect(parseDate(text), JSON.stringify(text)).toBe(reference(text));
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
