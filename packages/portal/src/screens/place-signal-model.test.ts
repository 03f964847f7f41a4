// The SDK's refusal of a free-text field that holds a BSN-like number (`text_forbidden`) is a
// field error of the form naming that field, not a general "something went wrong".
import { SluisError } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { isFieldRefusal, sdkErrors, shownEnd } from './place-signal-model.js';

describe('text_forbidden in the contact fields', () => {
  it('is shown beside the field it names, with its own text', () => {
    const err = new SluisError('text_forbidden', { fields: ['contact.role', 'contact.name'] });
    expect(isFieldRefusal(err)).toBe(true);
    expect(sdkErrors(err)).toEqual({
      role: 'place.error.forbidden.role',
      name: 'place.error.forbidden.name',
    });
  });

  it('input_invalid keeps its own per-field text', () => {
    expect(sdkErrors(new SluisError('input_invalid', { fields: ['contact.email'] }))).toEqual({
      email: 'place.error.field.email',
    });
  });
});

describe('the end date the preview shows', () => {
  it('is what the server keeps: a youth end date years away is capped at two years', () => {
    // Born 2015-03-10: the end date sent is 2038-03-01; the server keeps two years at most.
    expect(shownEnd('2038-03-01', '2026-12-03')).toBe('2028-12-02');
    expect(shownEnd('2027-05-01', '2026-12-03')).toBe('2027-05-01');
    expect(shownEnd(undefined, '2026-12-03')).toBe('2028-12-02');
  });
});
