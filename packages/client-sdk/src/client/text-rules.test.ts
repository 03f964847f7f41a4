// The SDK's text-field rules against the shared input vectors (test/vectors/inputs.json)
// that the engine's and the server's tests read too, so the SDK refuses exactly what the
// server refuses, with the same code (text_forbidden) and before anything is sent.

import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type InputField, vectors } from '../../../../test/support/vectors.js';
import { SluisError } from '../errors.js';
import { CONTACT, INFORMED, harness, validBsn } from '../testing/fixtures.js';
import { TEXT_RULES, textFaultOf } from './text-rules.js';
import { checkContact, FieldErrors } from './validate.js';

const BASE = { name: 'J. de Vries', role: 'wijkcoach', phone: '0612345678', email: 'j@example.nl' };

/** The SDK's code for a contact, with `validation_failed` for its local `input_invalid`. */
function contactOutcome(contact: Record<string, string>): string {
  const errors = new FieldErrors();
  checkContact(contact, 'contact', errors);
  try {
    errors.throwIfAny();
    return 'valid';
  } catch (e) {
    if (!(e instanceof SluisError)) throw e;
    return e.code === 'input_invalid' ? 'validation_failed' : e.code;
  }
}

const asWire = (f: string | undefined) =>
  f === undefined ? 'valid' : f === 'input_invalid' ? 'validation_failed' : f;

// organisation.name: the SDK never sends one (organisations are admitted by the municipality).
const CHECK: Partial<Record<InputField, (v: string) => string>> = {
  'contact.name': (v) => contactOutcome({ ...BASE, name: v }),
  'contact.role': (v) => contactOutcome({ ...BASE, role: v }),
  'contact.phone': (v) => contactOutcome({ ...BASE, phone: v }),
  'contact.email': (v) => contactOutcome({ ...BASE, email: v }),
  'consent.formReference': (v) => asWire(textFaultOf(TEXT_RULES.formReference, v)),
};

describe('shared input vectors (test/vectors/inputs.json)', () => {
  const cases = vectors.inputs().cases;
  for (const c of cases) {
    const check = CHECK[c.field];
    if (check === undefined) continue;
    it(`${c.field} ${JSON.stringify(c.value).slice(0, 40)} → ${c.expect}${c.note ? ` (${c.note})` : ''}`, () => {
      expect(check(c.value)).toBe(c.expect);
    });
  }
  it('every field but organisation.name is checked', () => {
    const fields = new Set(cases.map((c) => c.field));
    expect([...fields].filter((f) => CHECK[f] === undefined)).toEqual(['organisation.name']);
  });
});

describe('before anything is sent', () => {
  it('a BSN in the contact name: text_forbidden naming the field, never the value; no request', async () => {
    const h = harness();
    const e = await h.client
      .placeSignal({
        bsn: validBsn(1),
        contact: { ...CONTACT, name: 'Client 999.900.006' },
        informed: INFORMED,
      })
      .then(
        () => undefined,
        (x: unknown) => x,
      );
    expect(e).toBeInstanceOf(SluisError);
    const err = e as SluisError;
    expect(err.code).toBe('text_forbidden');
    expect(err.details.fields).toEqual(['contact.name']);
    expect(`${err.message} ${JSON.stringify(err)} ${inspect(err)}`).not.toMatch(/999\.900|Client 9/);
    expect(h.server.requests).toHaveLength(0);
  });

  it('a bidi override in the role on a rectification: text_forbidden, no request', async () => {
    const h = harness();
    const e = await h.client
      .rectify('3f1c9a52-8d7e-4b6a-9c1d-2e5f7a8b9c0d', { ...CONTACT, role: 'wijk\u202ecoach' })
      .then(
        () => undefined,
        (x: unknown) => x,
      );
    expect(e).toMatchObject({ code: 'text_forbidden', details: { fields: ['contact.role'] } });
    expect(h.server.requests).toHaveLength(0);
  });
});
