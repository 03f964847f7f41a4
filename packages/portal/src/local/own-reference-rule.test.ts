// The own reference obeys the server's rule for a contact name (docs/portal.md "What stays in
// the browser"): no BSN-like number, no invisible character, at most 100 characters.
import { describe, expect, it } from 'vitest';
import { localErrors } from '../screens/place-signal-model.js';
import { ownReferenceError } from './own-reference-rule.js';

describe('ownReferenceError', () => {
  it('accepts nothing typed and an ordinary reference', () => {
    expect(ownReferenceError('')).toBeUndefined();
    expect(ownReferenceError('  ')).toBeUndefined();
    expect(ownReferenceError('dossier 2041-B / team Noord')).toBeUndefined();
  });

  it('refuses a number that passes the BSN eleven test, also in groups or in other digits', () => {
    for (const v of ['111222333', 'client 111 222 333', 'ref 11.12.22.333', '١١١٢٢٢٣٣٣'])
      expect(ownReferenceError(v), v).toBe('local.reference.forbidden');
    expect(ownReferenceError('dossier 123456789')).toBeUndefined(); // fails the eleven test
  });

  it('refuses invisible characters and more than 100 characters', () => {
    expect(ownReferenceError('dossier\u200b12')).toBe('local.reference.forbidden');
    expect(ownReferenceError('x'.repeat(101))).toBe('local.reference.invalid');
    expect(ownReferenceError('x'.repeat(100))).toBeUndefined();
  });

  it('is checked with the form, as a field error on the reference', () => {
    const base = {
      withoutBsn: false,
      bsn: '111222333',
      surname: '',
      gender: '',
      parent1: '',
      parent2: '',
      dateOfBirth: '',
      informed: 'not_yet',
      informedDate: '',
      name: 'A. Jansen',
      role: 'wijkcoach',
      phone: '010-1234567',
      email: '',
    } as const;
    expect(localErrors({ ...base, reference: 'dossier 7' })).toEqual({});
    expect(localErrors({ ...base, reference: 'BSN 111222333' })).toEqual({
      reference: 'local.reference.forbidden',
    });
  });
});
