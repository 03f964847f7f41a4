// The single placement's body check (placement-body-check.ts): one checker serves the
// requests that follow one another, its memory of accepted texts dropped every so many. For
// any sequence of bodies — valid ones and ones with a text a rule refuses, drawn from a small
// pool so that values repeat across requests and across a drop of the memory — it accepts
// exactly what a fresh checker accepts, and that only with the schema's own output.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placementBodyCheck } from './placement-body-check.js';
import { placementChecker } from './placement-check.js';
import { Placement } from './signals.js';

/** Mostly one of a few accepted values, sometimes one a rule refuses (a BSN, a line break, too long, empty). */
const pick = (valid: string[], refused: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...valid), weight: 12 },
    { arbitrary: fc.constantFrom(...refused), weight: 1 },
  );
const text = pick(['Wijkteam Noord', 'Jeugdarts', 'coördinator'], ['111222333', 'a\nb', 'x'.repeat(300), '']);
const email = pick(['a@b.nl', 'wijkteam@gemeente.example'], ['not an address', '111222333@b.nl']);
const phone = pick(['+31 6 1234 5678', '020-1234567'], ['111222333', 'call me']);

const body = fc.record({
  requestId: pick(['6f9619ff-8b86-d011-b42d-00cf4fc964ff'], ['not-a-uuid']),
  subject: fc.constant([{ epoch: 1, value: 'A'.repeat(43) }]),
  contact: fc.record(
    {
      name: text,
      role: text,
      email,
      phone,
    },
    { requiredKeys: ['name', 'role'] },
  ),
  informed: fc.constant({ status: 'citizen' }),
});

describe('placementBodyCheck', () => {
  it('accepts what a fresh checker accepts, with the schema output, across drops of its memory', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.array(body, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        (bodies, n) => {
          const check = placementBodyCheck(n);
          for (const b of bodies) {
            const fast = check(b);
            expect(fast).toStrictEqual(placementChecker()(b));
            if (fast === undefined) continue;
            accepted++;
            const parsed = Placement.safeParse(b);
            expect(parsed.success).toBe(true);
            expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});
