// People without a BSN (docs/protocol.md §2.2) against the vectors of the independent
// reference generator: every canonicalisation and every error code, the prefix list, the
// OPRF pseudonyms of two such identifiers, and the refusal under an HMAC epoch — in the
// key object itself and in a placement — so a low-entropy identifier is never HMACed.

import { describe, expect, it } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import { preparePlacement } from '../client/placement.js';
import { isSluisError } from '../errors.js';
import { bytesToHex, hexToBytesStrict } from './encoding.js';
import { checkIdentifier } from './identifier.js';
import { oprfInput, pseudonymFromOutput } from './oprf.js';
import { SUBSTITUTE_SCHEME, SURNAME_PREFIXES } from './substitute-identifier.js';
import { casePseudonymKey } from '../../../../test/support/case-keys.js';

const v = vectors.substituteIdentifiers();
const hex = (h: string) => hexToBytesStrict(h)!;

describe('scheme surname-birthdate-gender (substitute-identifiers.json)', () => {
  it('uses the same prefix list as the text', () => {
    expect([...SURNAME_PREFIXES].sort()).toEqual([...v.prefixes].sort());
    expect(v.scheme).toBe(SUBSTITUTE_SCHEME);
  });

  for (const c of v.cases) {
    it(`${JSON.stringify(c.input)} → ${c.canonical ?? c.error}`, () => {
      const r = checkIdentifier(c.scheme, c.input);
      expect(r.ok ? { canonical: r.identifier.reveal() } : { error: r.code }).toEqual(
        c.canonical === undefined ? { error: c.error } : { canonical: c.canonical },
      );
    });
  }

  it('derives the OPRF input, output and pseudonym of the vectors', () => {
    const o = v.oprf;
    for (const item of o.items) {
      const r = checkIdentifier(item.scheme, item.input);
      expect(r.ok && r.identifier.reveal()).toBe(item.canonical);
      if (!r.ok) continue;
      expect(bytesToHex(oprfInput(o.epoch, r.identifier))).toBe(item.oprfInputHex);
      expect(pseudonymFromOutput(hex(item.outputHex), o.epoch)).toEqual({
        epoch: o.epoch,
        value: item.pseudonym,
      });
    }
  });

  it('an HMAC epoch refuses it, alone and in a placement, and sends nothing', async () => {
    const key = casePseudonymKey(new Uint8Array(32).fill(7), 1);
    const r = checkIdentifier(SUBSTITUTE_SCHEME, (v.cases[0] as { input: unknown }).input);
    if (!r.ok) throw new Error('vector 0 is valid');
    let code: string | undefined;
    try {
      key.pseudonymise(r.identifier);
    } catch (e) {
      if (isSluisError(e)) code = e.code;
    }
    expect(code).toBe(v.hmacRefused);
    code = undefined;
    try {
      await preparePlacement(
        {
          substitute: { surname: 'van der Berg', dateOfBirth: '2015-03-04', gender: 'V' },
          contact: {
            name: 'J. de Vries',
            role: 'jeugdconsulent',
            phone: '+31 10 123 4567',
            email: 'j@example.nl',
          },
          informed: { status: 'not_yet' },
        },
        [key],
        { year: 2026, month: 1, day: 1 },
        (n) => new Uint8Array(n),
      );
    } catch (e) {
      if (isSluisError(e)) code = `${e.code}${JSON.stringify(e.details.fields ?? [])}`;
    }
    // The refusal names the field (docs/sdk.md "People without a BSN"), never the value.
    expect(code).toBe(`${v.hmacRefused}["substitute"]`);
  });
});
