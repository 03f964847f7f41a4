// validatePlacement without its per-item allocations
// (docs/performance.md "Twenty-eighth pass: bulk, margin on target 3"): the faults' map made at
// the first fault, a contact's field paths made only for a fault, decodePerson as a loop, the
// contact's copy without spreads. Held to the code it replaced, kept below as it was: on generated
// placements — valid ones and ones malformed in every member (unknown keys, holes, wrong types, a
// BSN or an invisible character in a contact text, impossible and future dates, bad epochs and
// values, repeated epochs) — both answer the same value (member for member, in the same order) or
// refuse with the same code, message and field paths.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Attestation, type Contact, type Informed, LEGAL_BASES, type PlaceSignalInput } from './api.js';
import { isEngineError } from './errors.js';
import { isUuid } from './ids.js';
import { faultCode, INPUT_RULES, type InputFault, type TextRule } from './input-rules.js';
import { ServerSecrets } from './protocol/stored-pseudonym.js';
import { parseDate, startOfDay } from './time.js';
import {
  type DecodedPseudonym,
  fail,
  informedErrors,
  PLACEMENT_KEYS,
  CONTACT_KEYS,
  rememberedTextFault,
  type ValidPlacement,
  validatePlacement,
} from './validation.js';

// ---- The code it replaced (validation.ts before the Twenty-eighth pass), as it was. ----

class OldFaults {
  readonly #byPath = new Map<string, InputFault>();
  add(path: string, fault: InputFault = 'validation_failed'): void {
    if (this.#byPath.get(path) !== 'validation_failed') this.#byPath.set(path, fault);
  }
  check(rule: TextRule, value: unknown, path: string): void {
    const f = rememberedTextFault(rule, value);
    if (f !== undefined) this.add(path, f);
  }
  get paths(): string[] {
    return [...this.#byPath.keys()];
  }
  throwIfAny(): void {
    if (this.#byPath.size > 0) fail(this.paths, faultCode(this.#byPath.values()));
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function oldContactFaults(c: unknown, path: string, faults: OldFaults): void {
  if (!isRecord(c)) {
    faults.add(path);
    return;
  }
  for (const k of Object.keys(c)) if (!CONTACT_KEYS.includes(k)) faults.add(path);
  faults.check(INPUT_RULES.contactName, c.name, `${path}.name`);
  faults.check(INPUT_RULES.contactRole, c.role, `${path}.role`);
  if (c.phone !== undefined) faults.check(INPUT_RULES.contactPhone, c.phone, `${path}.phone`);
  if (c.email !== undefined) faults.check(INPUT_RULES.contactEmail, c.email, `${path}.email`);
  if (c.phone === undefined && c.email === undefined) faults.add(path);
}

function oldContactOf(r: Contact): Contact {
  return {
    name: r.name,
    role: r.role,
    ...(r.phone !== undefined ? { phone: r.phone } : {}),
    ...(r.email !== undefined ? { email: r.email } : {}),
  };
}

const oldInformedOf = (r: Informed): Informed =>
  r.date === undefined ? { status: r.status } : { status: r.status, date: r.date };

function oldDecodePerson(p: unknown, path: string): DecodedPseudonym[] {
  if (!Array.isArray(p) || p.length < 1 || p.length > 2) fail([path]);
  const out: DecodedPseudonym[] = [];
  const invalid: string[] = [];
  const shape: string[] = [];
  (p as unknown[]).forEach((w, i) => {
    if (!isRecord(w) || Object.keys(w).some((k) => k !== 'epoch' && k !== 'value')) {
      shape.push(`${path}.${i}`);
      return;
    }
    if (typeof w.epoch !== 'number' || !Number.isInteger(w.epoch) || w.epoch < 1 || w.epoch > 0xffffffff) {
      shape.push(`${path}.${i}.epoch`);
    }
    const bytes = typeof w.value === 'string' ? ServerSecrets.decodePseudonym(w.value) : undefined;
    if (bytes === undefined) invalid.push(`${path}.${i}.value`);
    else out.push({ epoch: w.epoch as number, bytes });
  });
  if (shape.length > 0) fail(shape);
  if (invalid.length > 0) fail(invalid, 'pseudonym_invalid');
  if (out.length === 2 && out[0]!.epoch === out[1]!.epoch) fail([path]);
  return out;
}

function oldLegalBasisFaults(input: PlaceSignalInput, now: number, faults: OldFaults): void {
  const basis = input.legalBasis ?? 'jeugdwet';
  if (!LEGAL_BASES.includes(basis)) {
    faults.add('legalBasis');
    return;
  }
  const a = input.attestation as unknown;
  if (basis === 'jeugdwet') {
    if (a !== undefined) faults.add('attestation');
    return;
  }
  if (a === undefined) return;
  if (!isRecord(a)) {
    faults.add('attestation');
    return;
  }
  if (Object.keys(a).some((k) => k !== 'date' && k !== 'formReference')) faults.add('attestation');
  const day = parseDate(a.date);
  if (day === undefined || day > startOfDay(now)) faults.add('attestation.date');
  if (a.formReference !== undefined)
    faults.check(INPUT_RULES.formReference, a.formReference, 'attestation.formReference');
}

function oldValidatePlacement(input: PlaceSignalInput, now: number): ValidPlacement {
  if (!isRecord(input)) fail(['']);
  const faults = new OldFaults();
  for (const k of Object.keys(input)) if (!PLACEMENT_KEYS.includes(k) && k !== 'existingOnly') faults.add('');
  if (input.existingOnly !== undefined && input.existingOnly !== true) faults.add('existingOnly');
  if (!isUuid(input.requestId)) faults.add('requestId');
  oldContactFaults(input.contact, 'contact', faults);
  for (const f of informedErrors(input.informed, 'informed', now)) faults.add(f);
  let endDay: number | undefined;
  if (input.endDate !== undefined) {
    endDay = parseDate(input.endDate);
    if (endDay === undefined || endDay <= startOfDay(now)) faults.add('endDate');
  }
  if (input.parents !== undefined && (!Array.isArray(input.parents) || input.parents.length > 2))
    faults.add('parents');
  oldLegalBasisFaults(input, now, faults);
  faults.throwIfAny();
  if ((input.legalBasis ?? 'jeugdwet') !== 'jeugdwet' && input.attestation === undefined) {
    fail(['attestation'], 'attestation_required');
  }
  const subject = oldDecodePerson(input.subject, 'subject');
  const parents = (input.parents ?? []).map((p, i) => oldDecodePerson(p, `parents.${i}`));
  return {
    requestId: input.requestId.toLowerCase(),
    subject,
    parents,
    contact: oldContactOf(input.contact),
    informed: oldInformedOf(input.informed),
    endDay,
    endDate: input.endDate,
    legalBasis: input.legalBasis ?? 'jeugdwet',
    existingOnly: input.existingOnly === true,
    attestation:
      input.attestation === undefined
        ? undefined
        : ({
            date: input.attestation.date,
            ...(input.attestation.formReference === undefined
              ? {}
              : { formReference: input.attestation.formReference }),
          } as Attestation),
  };
}

// ---- Generated placements. ----

const NOW = Date.UTC(2026, 5, 15, 12);
const value32 = (n: number) => Buffer.alloc(32, n).toString('base64url');
const absent = Symbol('absent');
/** Mostly one of `good`, now and then one of `bad` (`absent`: the member left out). */
const mostly = (good: readonly unknown[], bad: readonly unknown[]) =>
  fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...good) },
    { weight: 1, arbitrary: fc.constantFrom(...bad) },
  );

const contact = mostly([{}], [undefined, null, 'contact', ['a']]).chain((c) =>
  typeof c !== 'object' || c === null || Array.isArray(c)
    ? fc.constant(c)
    : fc
        .record({
          name: mostly(
            ['J. de Vries', 'Medewerker 7'],
            ['BSN 999900006', 'Jan\u200bJansen', ' padded ', '', 'x'.repeat(120), 7, absent],
          ),
          role: mostly(['wijkcoach'], ['999 900 006', null, absent]),
          phone: mostly(['0612345678', '+31 (0)6 1234 5678', absent], ['999900006', 'abc', 12]),
          email: mostly(['j@example.nl', absent], ['not an e-mail', '', 'j@example.nl ']),
          extra: mostly([absent], ['x']),
        })
        .map(present),
);
const date = ['2026-01-05', '2026-06-15'];
const badDate = ['2026-06-16', '2026-02-30', '2026-1-5', 20260105, absent];
const informed = mostly([{}], [undefined, 'citizen', null]).chain((i) =>
  typeof i !== 'object' || i === null
    ? fc.constant(i)
    : fc
        .record({
          status: mostly(['citizen', 'representative', 'both'], ['not_yet', 'nobody', 3, absent]),
          date: mostly(date, badDate),
          other: mostly([absent], [true]),
        })
        .map(present),
);
const pseudonym = mostly([{}], [null, 'p', [1]]).chain((p) =>
  typeof p !== 'object' || p === null || Array.isArray(p)
    ? fc.constant(p)
    : fc
        .record({
          epoch: mostly([1, 2], [0, 1.5, 2 ** 32, '1', absent]),
          value: mostly([value32(1), value32(2)], ['short', `${value32(3)}=`, 12, absent]),
          extra: mostly([absent], [1]),
        })
        .map(present),
);
/** A person: 1–2 pseudonyms, now and then none, three, a hole or no list at all. */
const person = fc.oneof(
  { weight: 12, arbitrary: fc.array(pseudonym, { minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.array(pseudonym, { minLength: 0, maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: pseudonym.map((p) => {
      const a: unknown[] = [];
      a[1] = p; // a hole at 0
      return a;
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, 'subject', {}) },
);
const placementInput = fc
  .record({
    requestId: mostly(
      ['0b9a1f2e-3c4d-4e5f-8a6b-7c8d9e0f1a2b', '0B9A1F2E-3C4D-4E5F-8A6B-7C8D9E0F1A2B'],
      ['not-a-uuid', '0b9a1f2e-3c4d-9e5f-8a6b-7c8d9e0f1a2b', 42, absent],
    ),
    subject: person,
    parents: fc.oneof(
      { weight: 6, arbitrary: fc.constant(absent) },
      { weight: 2, arbitrary: fc.array(person, { maxLength: 2 }) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>('x', [[], [], []]) },
    ),
    contact,
    informed,
    endDate: mostly([absent, '2027-01-05'], badDate),
    legalBasis: mostly([absent, 'jeugdwet', 'consent', 'no_objection'], ['other', 1]),
    attestation: mostly(
      [absent, { date: '2026-01-05' }, { date: '2026-01-05', formReference: 'F-2026/001' }],
      [
        { date: '2027-01-05' },
        { date: '2026-01-05', formReference: 'BSN 999900006' },
        { date: '2026-01-05', other: 1 },
        'yes',
      ],
    ),
    existingOnly: mostly([absent, true], [false]),
    unknown: mostly([absent], [1]),
  })
  .map(present);

/** The record without its `absent` members. */
function present(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (v !== absent) out[k] = v;
  return out;
}

type Outcome = { ok: true; value: ValidPlacement } | { ok: false; error: unknown };
const outcome = (f: () => ValidPlacement): Outcome => {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (!isEngineError(e)) throw e;
    return { ok: false, error: { code: e.code, message: e.message, fields: e.fields } };
  }
};
/** Members in order, Buffers as hex: equal exactly when the two values are. */
const shown = (o: Outcome) =>
  JSON.stringify(o, (_, v: unknown) =>
    v === undefined ? '<undefined>' : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
  );

describe('validatePlacement', () => {
  it('answers and refuses as the code it replaced, on valid and malformed placements', () => {
    let accepted = 0;
    const codes = new Set<string>();
    fc.assert(
      fc.property(placementInput, (input) => {
        const now = shown(outcome(() => validatePlacement(input as unknown as PlaceSignalInput, NOW)));
        const old = shown(outcome(() => oldValidatePlacement(input as unknown as PlaceSignalInput, NOW)));
        expect(now).toBe(old);
        const o = JSON.parse(old) as { ok: boolean; error?: { code: string } };
        if (o.ok) accepted++;
        else codes.add(o.error!.code);
      }),
      { numRuns: 5_000, seed: 28 },
    );
    // The generator reaches both sides and every kind of refusal.
    expect(accepted).toBeGreaterThan(20);
    expect([...codes].sort()).toEqual([
      'attestation_required',
      'pseudonym_invalid',
      'text_forbidden',
      'validation_failed',
    ]);
  });

  it('accepts the bench’s placement and copies its contact’s members in order', () => {
    const input = {
      requestId: '0b9a1f2e-3c4d-4e5f-8a6b-7c8d9e0f1a2b',
      subject: [{ epoch: 1, value: value32(1) }],
      contact: { email: 'j@example.nl', role: 'wijkcoach', name: 'J. de Vries' },
      informed: { status: 'citizen', date: '2026-01-05' },
    } as PlaceSignalInput;
    const v = validatePlacement(input, NOW);
    expect(Object.keys(v.contact)).toEqual(['name', 'role', 'email']);
    expect(shown({ ok: true, value: v })).toBe(shown({ ok: true, value: oldValidatePlacement(input, NOW) }));
  });
});
