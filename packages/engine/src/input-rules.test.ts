// The text-field rules (docs/api.md "Text fields") against the shared input vectors
// (test/vectors/inputs.json, also read by the server's and the SDK's tests), property
// tests that any valid BSN written into a name is refused however it is grouped, and the
// refusal through the engine: code text_forbidden, the field path, never the value,
// nothing stored.

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type InputField, vectors } from '../../../test/support/vectors.js';
import { validateConsent } from './domain/consent.js';
import { EngineError } from './errors.js';
import { containsBsn, hasInvisible, INPUT_RULES, textFault } from './input-rules.js';
import { admin, type Harness, harness, newKeyPair, person, T0 } from './testing/harness.js';
import { validateContact } from './validation.js';

const BASE = { name: 'J. de Vries', role: 'wijkcoach', phone: '0612345678', email: 'j@example.nl' };

function codeOf(f: () => unknown): string {
  try {
    f();
    return 'valid';
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    return e.code;
  }
}

const CHECK: Record<InputField, (v: string) => string> = {
  'contact.name': (v) => codeOf(() => validateContact({ ...BASE, name: v })),
  'contact.role': (v) => codeOf(() => validateContact({ ...BASE, role: v })),
  'contact.phone': (v) => codeOf(() => validateContact({ ...BASE, phone: v })),
  'contact.email': (v) => codeOf(() => validateContact({ ...BASE, email: v })),
  'organisation.name': (v) => textFault(INPUT_RULES.organisationName, v) ?? 'valid',
  'consent.formReference': (v) =>
    codeOf(() => validateConsent({ date: '2026-01-01', scopes: ['team_meeting'], formReference: v }, T0)),
};

describe('shared input vectors (test/vectors/inputs.json)', () => {
  for (const c of vectors.inputs().cases) {
    it(`${c.field} ${JSON.stringify(c.value).slice(0, 40)} → ${c.expect}${c.note ? ` (${c.note})` : ''}`, () => {
      expect(CHECK[c.field](c.value)).toBe(c.expect);
    });
  }

  it('a refusal names the field, never the value', () => {
    const e = (() => {
      try {
        validateContact({ ...BASE, name: 'Client BSN 999900006' });
      } catch (x) {
        return x as EngineError;
      }
      throw new Error('not refused');
    })();
    expect(e.code).toBe('text_forbidden');
    expect(e.fields).toEqual(['contact.name']);
    expect(JSON.stringify({ m: e.message, f: e.fields })).not.toMatch(/9999|Client/);
  });

  it('shape faults win over forbidden content: validation_failed naming every failing field', () => {
    const e = codeOf(() => validateContact({ ...BASE, name: 'BSN 999900006', email: 'not an e-mail' }));
    expect(e).toBe('validation_failed');
  });
});

/** A valid BSN as 9 digit values (elfproef holds, not all zeros). */
const bsnDigits = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 })
  .map((d) => {
    const sum = d.reduce((s, x, i) => s + (9 - i) * x, 0);
    return [...d, sum % 11];
  })
  .filter((d) => d[8]! <= 9 && d.some((x) => x !== 0));

const SEPARATORS = [' ', '.', '-', '\u00a0', '\u2013', '/', ',', '_'];
/** Text around the number: anything but a digit next to it (a digit there makes a longer number). */
const around = fc.string({ maxLength: 20 }).map((s) => s.replace(/\p{Nd}/gu, 'x'));

/** Splits the digits into groups joined by 1–3 separator characters. */
const written = bsnDigits.chain((d) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      fc.array(fc.array(fc.constantFrom(...SEPARATORS), { minLength: 1, maxLength: 3 }), {
        minLength: 8,
        maxLength: 8,
      }),
      fc.boolean(),
    )
    .map(([cuts, seps, shortForm]) => {
      // An 8-digit BSN (leading 0) may be written without its 0.
      const digits = shortForm && d[0] === 0 ? d.slice(1) : d;
      let out = String(digits[0]);
      for (let i = 1; i < digits.length; i++) out += (cuts[i - 1] ? seps[i - 1]!.join('') : '') + digits[i];
      return out;
    }),
);

describe('property: a valid BSN in a text field is refused', () => {
  it('however it is grouped, wherever it stands in a name', () => {
    fc.assert(
      fc.property(around, written, around, (before, bsn, after) => {
        const name = `${before}${bsn}${after}`.slice(0, 100);
        if (!name.includes(bsn)) return; // cut off by the length limit
        expect(containsBsn(name)).toBe(true);
        expect(textFault(INPUT_RULES.contactName, name)).toBe('text_forbidden');
        expect(textFault(INPUT_RULES.organisationName, name)).toBe('text_forbidden');
      }),
      { numRuns: 2000 },
    );
  });

  it('a number of 8 or 9 digits is refused exactly when it passes the elfproef', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 9 }), (d) => {
        const p = d.length === 8 ? [0, ...d] : d;
        const sum = p.slice(0, 8).reduce((s, x, i) => s + (9 - i) * x, 0) - p[8]!;
        const isBsn = sum % 11 === 0 && p.some((x) => x !== 0);
        expect(containsBsn(`Naam ${d.join('')} rol`)).toBe(isBsn);
      }),
      { numRuns: 2000 },
    );
  });

  it('text without digits or invisible characters is never refused for its content', () => {
    const plain = fc
      .string({ minLength: 1, maxLength: 100, unit: 'grapheme' })
      .map((s) => s.replace(/\p{Nd}/gu, 'x'))
      .filter((s) => !hasInvisible(s));
    fc.assert(
      fc.property(plain, (s) => {
        expect(textFault(INPUT_RULES.contactName, s)).not.toBe('text_forbidden');
      }),
    );
  });

  it('one bidi or other format character anywhere is refused', () => {
    const invisible = fc.constantFrom(
      ...'\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u200c\u200d\u2060\ufeff\u00ad',
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), invisible, fc.string({ maxLength: 40 }), (a, ch, b) => {
        expect(textFault(INPUT_RULES.contactRole, `x${a}${ch}${b}x`.slice(0, 100))).toBe('text_forbidden');
      }),
    );
  });
});

describe('through the engine: refused, nothing stored', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('a placement whose contact name holds a BSN, and an organisation named with one', async () => {
    h = await harness();
    const a = await h.org();
    const err = await h.engine
      .placeSignal(a.actor, {
        requestId: '3f1c9a52-8d7e-4b6a-9c1d-2e5f7a8b9c0d',
        subject: person(1),
        contact: { name: 'Client 999 900 006', role: 'wijkcoach', phone: '0612345678' },
        informed: { status: 'not_yet' },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'text_forbidden', fields: ['contact.name'] });
    expect((await h.engine.statistics()).signals.active).toBe(0);
    const refused = await h.engine
      .admitOrganisation(admin, {
        name: 'Zorg\u202e BV',
        type: 'youth_care',
        publicKeys: [newKeyPair().publicKey],
      })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'text_forbidden', fields: ['name'] });
    expect((await h.engine.statistics()).organisations.active).toBe(1);
  });
});
