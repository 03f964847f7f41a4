// The remembered text rules (validation.ts rememberedTextFault, docs/engine.md "Input
// validation"): for any sequence of values — repeated, refused (a BSN, an invisible
// character, a wrong shape), not strings, and more distinct accepted values than the memory
// holds — every rule answers exactly as textFault, whatever was asked before. And a refused
// value is never remembered: asked again, it is refused again.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INPUT_RULES, textFault } from './input-rules.js';
import { ACCEPTED_TEXTS_PER_RULE, isRememberedText, rememberedTextFault } from './validation.js';

const RULES = Object.values(INPUT_RULES);

/** Values of every kind the rules tell apart, a few of them many times. */
const value = fc.oneof(
  fc.constantFrom(
    'J. de Vries',
    'wijkcoach',
    '0612345678',
    'j@example.nl',
    'BSN 999900006', // a valid BSN
    '999 900 006',
    '06-99990000-6',
    'F-2026/001',
    'Jan\u200bJansen', // invisible
    ' padded ',
    '',
    'x'.repeat(300),
  ),
  fc.string({ maxLength: 24 }),
  fc.stringMatching(/^[0-9 +()-]{4,14}$/),
  fc.integer().map((n) => `Medewerker ${n}`),
  fc.constantFrom<unknown>(undefined, null, 7, ['a'], { name: 'a' }),
);

describe('rememberedTextFault', () => {
  it('answers as textFault for any sequence of values, across the memory’s restarts', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(RULES.length - 1), value), { maxLength: 400 }), (asks) => {
        for (const [r, v] of asks) {
          const rule = RULES[r]!;
          expect(rememberedTextFault(rule, v)).toBe(textFault(rule, v));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('answers as textFault past the memory’s size, every value asked twice', () => {
    const rule = INPUT_RULES.contactName;
    const names = Array.from({ length: ACCEPTED_TEXTS_PER_RULE * 2 + 7 }, (_, i) => `Medewerker ${i}`);
    for (const pass of [1, 2]) {
      for (const n of names) expect(rememberedTextFault(rule, n), `${pass}`).toBeUndefined();
      expect(rememberedTextFault(rule, 'BSN 999900006')).toBe('text_forbidden');
    }
  });

  it('never remembers a refused value, nor a value for another rule', () => {
    const v = '0612345678';
    expect(rememberedTextFault(INPUT_RULES.contactPhone, v)).toBeUndefined();
    // Accepted as a phone, refused as an e-mail, however often the phone rule saw it.
    for (let i = 0; i < 3; i++) {
      expect(rememberedTextFault(INPUT_RULES.contactPhone, v)).toBeUndefined();
      expect(rememberedTextFault(INPUT_RULES.contactEmail, v)).toBe('validation_failed');
    }
    for (let i = 0; i < 3; i++)
      expect(rememberedTextFault(INPUT_RULES.contactName, 'BSN 999900006')).toBe('text_forbidden');
    // What the memory holds: the accepted phone, never the refused texts.
    expect(isRememberedText(INPUT_RULES.contactPhone, v)).toBe(true);
    expect(isRememberedText(INPUT_RULES.contactName, 'BSN 999900006')).toBe(false);
    expect(isRememberedText(INPUT_RULES.contactEmail, v)).toBe(false);
  });

  it("keeps no consent form's reference: it names one citizen's form", () => {
    expect(rememberedTextFault(INPUT_RULES.formReference, 'dossier/2026/TF-17')).toBeUndefined();
    expect(isRememberedText(INPUT_RULES.formReference, 'dossier/2026/TF-17')).toBe(false);
    expect(rememberedTextFault(INPUT_RULES.formReference, 'a b')).toBe('validation_failed');
  });

  it('the rules cannot be changed under the memory', () => {
    expect(Object.isFrozen(INPUT_RULES)).toBe(true);
    expect(Object.isFrozen(INPUT_RULES.contactName)).toBe(true);
  });
});
