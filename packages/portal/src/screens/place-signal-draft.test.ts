// After the session ended while placing, the form comes back without anything that identifies
// the person: no BSN, no parents' BSNs, no date of birth, no surname or gender.
import { describe, expect, it } from 'vitest';
import { keepDraft, takeDraft } from './place-signal-draft.js';
import { EMPTY, type Form } from './place-signal-model.js';

const filled: Form = {
  withoutBsn: true,
  bsn: '111222333',
  surname: 'Jansen',
  gender: 'V',
  parent1: '123456782',
  parent2: '999999990',
  dateOfBirth: '2015-03-10',
  informed: 'citizen',
  informedDate: '2026-12-01',
  name: 'Eva de Boer',
  role: 'jeugdconsulent',
  phone: '+31 10 555 1234',
  email: 'eva@example.nl',
  reference: 'dossier 7',
};

describe('the place-signal draft', () => {
  it('keeps the contact, informed and reference fields, never an identifier, and only once', () => {
    keepDraft('p1', filled);
    const back = takeDraft('p1')!;
    expect(back).toEqual({
      ...EMPTY,
      informed: 'citizen',
      informedDate: '2026-12-01',
      name: 'Eva de Boer',
      role: 'jeugdconsulent',
      phone: '+31 10 555 1234',
      email: 'eva@example.nl',
      reference: 'dossier 7',
    });
    expect(JSON.stringify(back)).not.toMatch(/111222333|123456782|999999990|2015-03-10|Jansen/);
    expect(takeDraft('p1')).toBeUndefined();
  });

  it('is not handed to another person', () => {
    keepDraft('p1', filled);
    expect(takeDraft('p2')).toBeUndefined();
    expect(takeDraft('p1')).toBeUndefined();
  });
});
