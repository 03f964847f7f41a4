// The coordinator's form checks (organisation-model.ts): every fault of a transfer or a new
// person in one round, named at its field, and a server refusal's field paths mapped back.

import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http.js';
import {
  colleagues,
  leavers,
  type Person,
  personBody,
  personErrors,
  personRefusal,
  transferContact,
  transferErrors,
  transferRefusal,
} from './organisation-model.js';

const person = (id: string, roles: string[], email: string | null, status: Person['status'] = 'active') => ({
  id,
  displayName: `Person ${id}`,
  email,
  roles,
  status,
});
const PEOPLE: readonly Person[] = [
  person('piet', ['professional'], 'piet@zorg.example.nl'),
  person('karel', ['professional'], null),
  person('cor', ['organisation_coordinator'], 'cor@zorg.example.nl'),
  person('rita', ['professional'], 'rita@zorg.example.nl', 'removed'),
];

describe('transfer', () => {
  it('offers professionals as leaver (removed ones too) and active professionals but the leaver as colleague', () => {
    expect(leavers(PEOPLE).map((p) => p.id)).toEqual(['piet', 'karel', 'rita']);
    expect(colleagues(PEOPLE, 'piet').map((p) => p.id)).toEqual(['karel']);
  });

  it('names every fault in one round', () => {
    expect(transferErrors({ from: '', to: '', role: ' ', phone: '' }, PEOPLE)).toEqual({
      from: 'org.transfer.error.from',
      to: 'org.transfer.error.to',
      role: 'org.transfer.error.role',
    });
    expect(transferErrors({ from: 'piet', to: 'piet', role: 'x'.repeat(101), phone: 'abc' }, PEOPLE)).toEqual(
      {
        to: 'org.transfer.error.to',
        role: 'org.transfer.error.role.invalid',
        phone: 'org.transfer.error.phone.invalid',
      },
    );
    expect(
      transferErrors({ from: 'rita', to: 'piet', role: 'consulent 999900006', phone: '999900006' }, PEOPLE),
    ).toEqual({ role: 'org.transfer.error.role.forbidden', phone: 'org.transfer.error.phone.forbidden' });
  });

  it('needs a phone number when the colleague has no e-mail address, and sends what the confirm step shows', () => {
    const form = { from: 'piet', to: 'karel', role: 'jeugdconsulent', phone: '' };
    expect(transferErrors(form, PEOPLE)).toEqual({ phone: 'org.transfer.error.phone.required' });
    const ok = { ...form, phone: ' 010 555 1234 ' };
    expect(transferErrors(ok, PEOPLE)).toEqual({});
    expect(transferContact(PEOPLE[1]!, ok)).toEqual({
      name: 'Person karel',
      role: 'jeugdconsulent',
      phone: '010 555 1234',
    });
    expect(transferContact(PEOPLE[0]!, { ...form, to: 'piet' })).toEqual({
      name: 'Person piet',
      role: 'jeugdconsulent',
      email: 'piet@zorg.example.nl',
    });
  });

  it('maps a refusal’s field paths onto the form', () => {
    expect(transferRefusal(new ApiError(400, 'validation_failed', ['personId', 'contact.role']))).toEqual({
      to: 'org.transfer.error.to.refused',
      role: 'org.transfer.error.role.invalid',
    });
    expect(transferRefusal(new ApiError(422, 'recipient_not_professional', ['personId']))).toEqual({
      to: 'error.recipient_not_professional',
    });
    expect(transferRefusal(new ApiError(400, 'text_forbidden', ['contact.phone']))).toEqual({
      phone: 'org.transfer.error.phone.forbidden',
    });
    expect(transferRefusal(new ApiError(400, 'validation_failed', ['signalIds']))).toEqual({});
    expect(transferRefusal(new Error('network'))).toEqual({});
  });
});

describe('adding a person', () => {
  it('names every fault in one round, by the contact name and e-mail rules', () => {
    expect(personErrors({ name: '', email: '', roles: [] })).toEqual({
      name: 'org.add.error.name',
      roles: 'org.add.error.roles',
    });
    expect(personErrors({ name: 'Sanne 999900006', email: 'geen-adres', roles: ['professional'] })).toEqual({
      name: 'org.add.error.name.forbidden',
      email: 'org.add.error.email.invalid',
    });
    expect(personErrors({ name: 'Sanne', email: 's999900006@zorg.nl', roles: ['professional'] })).toEqual({
      email: 'org.add.error.email.forbidden',
    });
  });

  it('sends trimmed values without an empty e-mail, roles in the API’s order', () => {
    expect(
      personBody({ name: ' Sanne ', email: ' ', roles: ['organisation_coordinator', 'professional'] }),
    ).toEqual({
      displayName: 'Sanne',
      roles: ['professional', 'organisation_coordinator'],
    });
  });

  it('maps a refusal’s field paths onto the form', () => {
    expect(personRefusal(new ApiError(400, 'text_forbidden', ['displayName']))).toEqual({
      name: 'org.add.error.name.forbidden',
    });
    expect(personRefusal(new ApiError(400, 'validation_failed', ['email', 'roles']))).toEqual({
      email: 'org.add.error.email.invalid',
      roles: 'org.add.error.roles',
    });
  });
});
