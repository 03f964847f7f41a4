// The SDK's refusal of a free-text field that holds a BSN-like number (`text_forbidden`) is a
// field error of the form naming that field, not a general "something went wrong".
import { SluisError } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { isFieldRefusal, sdkErrors } from './place-signal-model.js';

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
