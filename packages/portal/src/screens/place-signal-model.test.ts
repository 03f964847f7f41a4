// The SDK's refusal of a free-text field that holds a BSN-like number (`text_forbidden`) is a
// field error of the form naming that field, not a general "something went wrong".
import { SluisError } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import {
  EMPTY,
  type Form,
  isFieldRefusal,
  localErrors,
  placementInput,
  sdkErrors,
  shownEnd,
} from './place-signal-model.js';

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

  // The engine's tests run the same vectors (packages/engine/src/domain/signal-end.test.ts).
  const { cases } = vectors.signalEndDates();
  it('is the day the server keeps, by the shared vectors (test/vectors/signal-end-dates.json)', () => {
    for (const c of cases.filter((c) => c.activeTermDays === 730))
      expect(shownEnd(c.endDate ?? undefined, c.placedAt.slice(0, 10)), c.note).toBe(c.lastActiveDay);
  });

  it('under a shorter term configured at the server is never earlier than the day it keeps', () => {
    const shorter = cases.filter((c) => c.activeTermDays < 730);
    expect(shorter.length).toBeGreaterThan(0);
    for (const c of shorter)
      expect(shownEnd(c.endDate ?? undefined, c.placedAt.slice(0, 10)) >= c.lastActiveDay, c.note).toBe(true);
  });
});

describe('the form’s checks find every fault in one round', () => {
  const base: Form = {
    ...EMPTY,
    bsn: '111222333',
    informed: 'not_yet',
    name: 'Eva de Boer',
    role: 'jeugdconsulent',
    phone: '+31 10 555 1234',
  };

  it('a parent’s BSN equal to the child’s, said which, beside a future informed date', () => {
    const e = localErrors(
      { ...base, parent1: '111222333', informed: 'representative', informedDate: '2026-12-05' },
      '2026-12-04',
    );
    expect(e).toEqual({
      parent1: 'pro.place.error.parent1.child',
      informedDate: 'place.error.field.informedDate',
    });
    expect(localErrors({ ...base, parent1: '123456782', parent2: '123 456 782' }, '2026-12-04')).toEqual({
      parent2: 'pro.place.error.parent2.parent1',
    });
  });

  it('takes a BSN typed with spaces or dots', () => {
    expect(localErrors({ ...base, bsn: '1112 22 333' }, '2026-12-04')).toEqual({});
    expect(localErrors({ ...base, bsn: '111.222.333' }, '2026-12-04')).toEqual({});
    expect(placementInput({ ...base, bsn: '1112 22.333', parent1: ' 1234 56 782' })).toMatchObject({
      bsn: '111222333',
      parentsBsn: ['123456782'],
    });
  });

  it('refuses "the young person (12 or older)" informed when the date of birth makes them 11', () => {
    const young = {
      ...base,
      informed: 'citizen' as const,
      informedDate: '2026-12-01',
      dateOfBirth: '2014-12-05',
    };
    expect(localErrors(young, '2026-12-04')).toEqual({ informed: 'pro.place.error.citizenUnder12' });
    expect(localErrors({ ...young, dateOfBirth: '2014-12-04' }, '2026-12-04')).toEqual({});
    expect(localErrors({ ...young, dateOfBirth: '' }, '2026-12-04')).toEqual({});
  });
});
