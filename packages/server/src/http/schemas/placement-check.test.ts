// The batch route's direct item check against the Placement schema it stands in for:
// whatever it accepts, zod accepts with the same output (same members, same key order),
// on random items and on items mutated in every field; and it accepts the valid items it
// is there for, so the batch path does use it (docs/performance.md "Seventh pass").

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placementChecker } from './placement-check.js';

const checkPlacement = (item: unknown) => placementChecker()(item);
import { CONTACT_KEYS, LEGAL_BASES, PLACEMENT_KEYS } from '@sluis/engine';
import { Contact } from './primitives.js';
import { LegalBasis, Placement } from './signals.js';

const b64 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64url'));
const pseudonym = fc.record({
  epoch: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant(0xffffffff)),
  value: b64,
});
const person = fc.array(pseudonym, { minLength: 1, maxLength: 2 });
const odd = fc.oneof(
  fc.constantFrom('111222333', ' x', 'x\u200b', '', 'a'.repeat(101), 'a@b', '12345'),
  fc.string({ maxLength: 12 }),
);
/** Mostly values the rule accepts, else anything: both sides of every rule are reached. */
const field = (...valid: string[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 6 }, { arbitrary: odd, weight: 1 });
const name = field('Wijkteam Noord', 'coördinator', 'Jeugdarts');
const phone = field('+31 6 1234 5678', '020-1234567');
const email = field('a@b.nl', 'wijkteam@gemeente.example');
const formReference = field('FORM-12/a', 'x.y_z');
const date = field('2026-01-02', '2026-13-40');
const uuid = fc.oneof(
  { arbitrary: fc.uuid(), weight: 6 },
  { arbitrary: fc.constantFrom('6F9619FF-8B86-D011-B42D-00CF4FC964FF'), weight: 1 },
  { arbitrary: fc.string({ maxLength: 36 }), weight: 1 },
);
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** Items in the shape of a placement, most of them valid. */
const item = fc
  .record({
    requestId: uuid,
    subject: person,
    parents: opt(fc.array(person, { maxLength: 2 })),
    contact: fc.record({ name, role: name, phone: opt(phone), email: opt(email) }),
    informed: fc.record({
      status: fc.constantFrom('citizen', 'representative', 'both', 'not_yet'),
      date: opt(date),
    }),
    endDate: opt(date),
    legalBasis: opt(fc.constantFrom('jeugdwet', 'consent', 'no_objection')),
    attestation: opt(fc.record({ date, formReference: opt(formReference) })),
  })
  .map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>); // as it arrives: no undefined members

/** One field (top level or one level down) replaced by any JSON value, dropped, or a key added. */
const mutated = fc
  .tuple(item, fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('replace', 'drop', 'add'))
  .map(([it, a, b, value, how]) => {
    const keys = Object.keys(it);
    const key = keys[a % keys.length]!;
    let target: Record<string, unknown> = it;
    let field = key;
    const inner = it[key];
    if (b % 2 === 0 && typeof inner === 'object' && inner !== null) {
      target = inner as Record<string, unknown>;
      const innerKeys = Object.keys(target);
      field = innerKeys.length === 0 ? 'x' : innerKeys[b % innerKeys.length]!;
    }
    if (how === 'drop') delete target[field];
    else if (how === 'add') target.unknownKey = value;
    else target[field] = value;
    return it as unknown;
  });

function agrees(input: unknown): void {
  const fast = checkPlacement(input);
  if (fast === undefined) return;
  const parsed = Placement.safeParse(input);
  expect(parsed.success).toBe(true);
  expect(fast).toStrictEqual(parsed.data);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
}

/** A batch through one checker (its memory of accepted texts in play), each item held to zod. */
function batchAgrees(items: readonly unknown[]): void {
  const check = placementChecker();
  for (const input of items) {
    const fast = check(input);
    if (fast === undefined) continue;
    const parsed = Placement.safeParse(input);
    expect(parsed.success).toBe(true);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
  }
}

describe('placementChecker', () => {
  it("builds its items from the same members and bases as the schema (the engine's lists)", () => {
    // The checker copies members by these lists: a member zod knows and the list does not (or
    // the other way round) would be dropped or accepted silently.
    expect(Object.keys(Placement.shape).sort()).toEqual([...PLACEMENT_KEYS].sort());
    expect(Object.keys(Contact.shape).sort()).toEqual([...CONTACT_KEYS].sort());
    expect([...LegalBasis.options].sort()).toEqual([...LEGAL_BASES].sort());
  });

  it('accepts only what the schema accepts, with the same output', () => {
    fc.assert(fc.property(item, agrees), { numRuns: 3000 });
    fc.assert(fc.property(mutated, agrees), { numRuns: 3000 });
    fc.assert(fc.property(fc.jsonValue(), agrees), { numRuns: 500 });
    fc.assert(fc.property(fc.array(fc.oneof(item, mutated), { maxLength: 30 }), batchAgrees), {
      numRuns: 300,
    });
  });

  it('accepts every item the schema accepts that arrives as JSON', () => {
    let accepted = 0;
    fc.assert(
      fc.property(item, (input) => {
        if (!Placement.safeParse(input).success) return;
        expect(checkPlacement(input)).not.toBeUndefined();
        accepted++;
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(300);
  });

  it('leaves an own member holding undefined, an inherited prototype and a third pseudonym to zod', () => {
    const valid = {
      requestId: '6f9619ff-8b86-d011-b42d-00cf4fc964ff',
      subject: [{ epoch: 1, value: 'A'.repeat(43) }],
      contact: { name: 'Wijkteam', role: 'coördinator', email: 'a@b.nl' },
      informed: { status: 'not_yet' },
    };
    expect(checkPlacement(valid)).toStrictEqual(Placement.parse(valid));
    expect(checkPlacement({ ...valid, endDate: undefined })).toBeUndefined();
    expect(checkPlacement(Object.assign(Object.create({ x: 1 }), valid))).toBeUndefined();
    const three = [1, 2, 3].map((epoch) => ({ epoch, value: 'A'.repeat(43) }));
    expect(checkPlacement({ ...valid, subject: three })).toBeUndefined();
    expect(Placement.safeParse({ ...valid, subject: three }).success).toBe(false);
  });
});
