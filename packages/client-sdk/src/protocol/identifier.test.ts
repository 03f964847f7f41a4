// Property tests for identifier canonicalisation: every 9-digit string is either
// accepted (and then passes the elfproef) or refused with the right code.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { checkBsn, canonicaliseIdentifier } from './identifier.js';

function elfproef(nine: string): boolean {
  let s = 0;
  for (let i = 0; i < 8; i++) s += (9 - i) * Number(nine[i]);
  return (s - Number(nine[8])) % 11 === 0;
}

const digit = fc.constantFrom(...'0123456789'.split(''));

describe('checkBsn', () => {
  it('every 9-digit string is accepted iff not all zeros and passes the elfproef', () => {
    fc.assert(
      fc.property(fc.array(digit, { minLength: 9, maxLength: 9 }), (ds) => {
        const s = ds.join('');
        const r = checkBsn(s);
        if (s === '000000000') expect(r).toEqual({ ok: false, code: 'bsn_all_zeros' });
        else if (elfproef(s)) expect(r.ok && r.identifier.reveal() === s).toBe(true);
        else expect(r).toEqual({ ok: false, code: 'bsn_checksum' });
      }),
      { numRuns: 20_000 },
    );
  });

  it('an 8-digit string behaves as its 0-padded 9-digit form', () => {
    fc.assert(
      fc.property(fc.array(digit, { minLength: 8, maxLength: 8 }), (ds) => {
        const s = ds.join('');
        const r8 = checkBsn(s);
        const r9 = checkBsn(`0${s}`);
        expect(r8.ok).toBe(r9.ok);
        if (r8.ok && r9.ok) expect(r8.identifier.reveal()).toBe(r9.identifier.reveal());
        if (!r8.ok && !r9.ok) expect(r8.code).toBe(r9.code);
      }),
      { numRuns: 5_000 },
    );
  });

  it('any string with a non-digit is bsn_non_digit; other lengths are bsn_wrong_length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const r = checkBsn(s);
        if (!/^[0-9]*$/.test(s)) expect(r).toEqual({ ok: false, code: 'bsn_non_digit' });
        else if (s.length !== 8 && s.length !== 9) expect(r).toEqual({ ok: false, code: 'bsn_wrong_length' });
      }),
    );
  });

  it('refuses non-strings without throwing', () => {
    for (const v of [undefined, null, 123456782, {}, ['123456782']]) {
      expect(checkBsn(v)).toEqual({ ok: false, code: 'identifier_not_a_string' });
    }
  });

  it('never shows the identifier through JSON, String or inspect, nor in an error', () => {
    const id = canonicaliseIdentifier('bsn', '999900018');
    expect(id.reveal()).toBe('999900018');
    for (const text of [
      JSON.stringify({ id }),
      String(id),
      `${id}`,
      inspect(id),
      inspect({ id }, { depth: 5 }),
    ]) {
      expect(text).not.toContain('999900018');
    }
    try {
      canonicaliseIdentifier('bsn', '999900015');
      expect.unreachable();
    } catch (e) {
      expect(String(e)).not.toContain('999900015');
      expect(inspect(e)).not.toContain('999900015');
      expect((e as { code: string }).code).toBe('bsn_checksum');
    }
  });

  it('refuses unknown schemes', () => {
    expect(() => canonicaliseIdentifier('sin', '1')).toThrowError(
      expect.objectContaining({ code: 'identifier_unknown_scheme' }),
    );
  });
});
