// The direct writer of the idempotency hash's input against the code it replaced (the
// object through the generic canonicalJson, kept here verbatim): the same string on random
// placements, so no stored idempotency hash changes (docs/performance.md "Seventh pass").

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Json, canonicalJson } from '../canonical-json.js';
import type { ValidPlacement } from '../validation.js';
import { RequestHashMemo, requestHashBody } from './request-hash-body.js';
import type { DerivedPseudonym } from './stored-values.js';

type Hashed = Pick<ValidPlacement, 'contact' | 'informed' | 'endDate' | 'legalBasis' | 'attestation'>;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The body as signal-prepare.ts built it before the direct writer, verbatim. */
function previousBody(
  v: Hashed,
  subject: readonly DerivedPseudonym[],
  parents: readonly (readonly DerivedPseudonym[])[],
): string {
  const { contact, informed, endDate } = v;
  const person = (ps: readonly DerivedPseudonym[]) =>
    ps.map((p) => ({ epoch: p.epoch, stored: hex(p.first) })).sort((x, y) => x.epoch - y.epoch);
  return canonicalJson({
    contact: { ...contact },
    informed: { ...informed },
    endDate: endDate ?? null,
    subject: person(subject),
    parents: parents.map(person),
    ...(v.legalBasis === 'jeugdwet'
      ? {}
      : { legalBasis: v.legalBasis, attestation: v.attestation === undefined ? null : { ...v.attestation } }),
  } as Json);
}

// Any string, including quotes, backslashes, control characters and lone surrogates: the
// writer must escape exactly as JSON.stringify inside canonicalJson does.
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('"', '\\', '\u2028', '\ud800'),
);
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const pseudonym: fc.Arbitrary<DerivedPseudonym> = fc
  .record({
    epoch: fc.integer({ min: 1, max: 0xffffffff }),
    first: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  })
  .map(({ epoch, first }) => {
    const b = Buffer.from(first);
    return { epoch, generation: 1, stored: b, first: b, lookup: [b] };
  });
const person = fc.uniqueArray(pseudonym, { minLength: 1, maxLength: 2, selector: (p) => p.epoch });

/** Placements whose texts are drawn from `text`. */
const placementOf = (text: fc.Arbitrary<string>): fc.Arbitrary<Hashed> =>
  fc
    .record({
      name: text,
      role: text,
      phone: opt(text),
      email: opt(text),
      status: fc.constantFrom('citizen', 'representative', 'both', 'not_yet'),
      informedDate: opt(text),
      endDate: opt(text),
      legalBasis: fc.constantFrom('jeugdwet', 'consent', 'no_objection'),
      attestation: opt(fc.record({ date: text, formReference: opt(text) })),
    })
    .map((r) => ({
      contact: {
        name: r.name,
        role: r.role,
        ...(r.phone === undefined ? {} : { phone: r.phone }),
        ...(r.email === undefined ? {} : { email: r.email }),
      },
      informed: (r.informedDate === undefined
        ? { status: r.status }
        : { status: r.status, date: r.informedDate }) as Hashed['informed'],
      endDate: r.endDate,
      legalBasis: r.legalBasis as Hashed['legalBasis'],
      attestation:
        r.attestation === undefined
          ? undefined
          : {
              date: r.attestation.date,
              ...(r.attestation.formReference === undefined
                ? {}
                : { formReference: r.attestation.formReference }),
            },
    }));
const placement = placementOf(text);

describe('requestHashBody', () => {
  it('writes the same bytes as the generic canonical serialiser did', () => {
    fc.assert(
      fc.property(placement, person, fc.array(person, { maxLength: 2 }), (v, subject, parents) => {
        expect(requestHashBody(v, subject, parents)).toBe(previousBody(v, subject, parents));
      }),
      { numRuns: 2000 },
    );
  });

  // A batch remembers the contact and informed members of its last placement written, in its
  // own memo (docs/performance.md "Twenty-sixth pass: bulk, the removals together", "BKV: three
  // exact removals in the batch path"): sequences drawn from small pools, so that a field
  // repeats, changes alone, or goes missing after the same contact, each placement against the
  // code it replaced, through one memo and without one.
  it('writes the same bytes on sequences that repeat and vary a few contacts', () => {
    const hashed = placementOf(fc.constantFrom('a', 'b', '"', '\u2028'));
    fc.assert(
      fc.property(fc.array(fc.tuple(hashed, person), { minLength: 1, maxLength: 30 }), (xs) => {
        const memo = new RequestHashMemo();
        for (const [v, subject] of xs) {
          const previous = previousBody(v, subject, []);
          expect(requestHashBody(v, subject, [], memo)).toBe(previous);
          expect(requestHashBody(v, subject, [])).toBe(previous);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('remembers nothing without a memo, and only the last contact in one', () => {
    const v = (name: string): Hashed => ({
      contact: { name, role: 'r', phone: '1' },
      informed: { status: 'citizen' },
      endDate: undefined,
      legalBasis: 'jeugdwet',
      attestation: undefined,
    });
    const p: DerivedPseudonym = {
      epoch: 1,
      generation: 1,
      stored: Buffer.alloc(32),
      first: Buffer.alloc(32),
      lookup: [],
    };
    const memo = new RequestHashMemo();
    requestHashBody(v('a'), [p], [], memo);
    requestHashBody(v('b'), [p], [], memo);
    expect(memo.contact?.name).toBe('b');
    expect(memo.contact?.text).toBe('{"name":"b","phone":"1","role":"r"}');
    expect(memo.informed?.text).toBe('{"status":"citizen"}');
    expect(requestHashBody(v('a'), [p], [])).toBe(requestHashBody(v('a'), [p], [], new RequestHashMemo()));
  });

  it('sorts each person by epoch and writes the documented keys in code-unit order', () => {
    const p = (epoch: number, fill: number): DerivedPseudonym => {
      const b = Buffer.alloc(32, fill);
      return { epoch, generation: 1, stored: b, first: b, lookup: [b] };
    };
    const v: Hashed = {
      contact: { name: 'Wijkteam', role: 'coördinator', email: 'a@b.nl' },
      informed: { status: 'citizen', date: '2026-01-02' },
      endDate: undefined,
      legalBasis: 'consent',
      attestation: { date: '2026-01-01' },
    };
    const h = (fill: number) => Buffer.alloc(32, fill).toString('hex');
    expect(requestHashBody(v, [p(3, 1), p(2, 2)], [[p(2, 3)]])).toBe(
      `{"attestation":{"date":"2026-01-01"},"contact":{"email":"a@b.nl","name":"Wijkteam","role":"coördinator"},` +
        `"endDate":null,"informed":{"date":"2026-01-02","status":"citizen"},"legalBasis":"consent",` +
        `"parents":[[{"epoch":2,"stored":"${h(3)}"}]],"subject":[{"epoch":2,"stored":"${h(2)}"},{"epoch":3,"stored":"${h(1)}"}]}`,
    );
  });
});
