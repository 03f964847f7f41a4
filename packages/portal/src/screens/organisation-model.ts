// The checks of the coordinator's forms on My organisation (docs/portal.md "Organisation
// coordinator"): handing a leaver's signals to a colleague and adding a person. Each field is
// checked in the page with the SDK's text rules (docs/api.md "Text fields") before a confirm
// step or a request, and a refusal's field paths are mapped back onto the form, so a fault is
// named at its field. No value is ever put in a message: errors are message keys.

import { TEXT_RULES, textFaultOf } from '@sluis/client-sdk';
import { ApiError } from '../api/http.js';
import type { MessageKey } from '../i18n/i18n.js';

export interface Person {
  readonly id: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly roles: readonly string[];
  readonly status: 'active' | 'removed';
}

/** The contact details other professionals see for a signal (docs/api.md "Text fields"). */
export interface Contact {
  readonly name: string;
  readonly role: string;
  readonly phone?: string;
  readonly email?: string;
}

export type FieldErrors<F extends string> = Partial<Record<F, MessageKey>>;

/** The first field of `order` that has an error: the form moves the focus there. */
export function firstFaulty<F extends string>(order: readonly F[], errors: FieldErrors<F>): F | undefined {
  return order.find((f) => errors[f] !== undefined);
}

// ---- Handing over a leaver's signals -------------------------------------------------------

export interface TransferForm {
  readonly from: string;
  readonly to: string;
  readonly role: string;
  readonly phone: string;
}
export type TransferField = keyof TransferForm;
export const TRANSFER_FIELDS: readonly TransferField[] = ['from', 'to', 'role', 'phone'];

/** Only a professional can hold a signal (docs/api.md "Need to know"): the leavers, removed ones too. */
export function leavers(people: readonly Person[]): readonly Person[] {
  return people.filter((p) => p.roles.includes('professional'));
}

/** The colleagues who can take the signals over: active professionals other than the leaver. */
export function colleagues(people: readonly Person[], leaverId: string): readonly Person[] {
  return people.filter((p) => p.status === 'active' && p.roles.includes('professional') && p.id !== leaverId);
}

/**
 * Every fault of the transfer form in one round. The contact needs a phone number or an
 * e-mail address (the server's `Contact` schema; `contact.phone` when both are missing): the
 * colleague's e-mail address is the one the organisation recorded, so without one the phone
 * number is required.
 */
export function transferErrors(f: TransferForm, people: readonly Person[]): FieldErrors<TransferField> {
  const e: FieldErrors<TransferField> = {};
  const leaver = leavers(people).find((p) => p.id === f.from);
  const colleague = colleagues(people, f.from).find((p) => p.id === f.to);
  if (leaver === undefined) e.from = 'org.transfer.error.from';
  if (colleague === undefined) e.to = 'org.transfer.error.to';
  const role = f.role.trim();
  const roleFault = role === '' ? undefined : textFaultOf(TEXT_RULES.contactRole, role);
  if (role === '') e.role = 'org.transfer.error.role';
  else if (roleFault === 'text_forbidden') e.role = 'org.transfer.error.role.forbidden';
  else if (roleFault !== undefined) e.role = 'org.transfer.error.role.invalid';
  const phone = f.phone.trim();
  const phoneFault = phone === '' ? undefined : textFaultOf(TEXT_RULES.contactPhone, phone);
  if (phone === '' && colleague !== undefined && colleague.email === null)
    e.phone = 'org.transfer.error.phone.required';
  else if (phoneFault === 'text_forbidden') e.phone = 'org.transfer.error.phone.forbidden';
  else if (phoneFault !== undefined) e.phone = 'org.transfer.error.phone.invalid';
  return e;
}

/** The colleague's contact as the transfer sends it: their name and recorded e-mail, the role and phone typed. */
export function transferContact(colleague: Person, f: TransferForm): Contact {
  const phone = f.phone.trim();
  return {
    name: colleague.displayName,
    role: f.role.trim(),
    ...(phone === '' ? {} : { phone }),
    ...(colleague.email === null ? {} : { email: colleague.email }),
  };
}

/** The server's field paths of a refused transfer (docs/api.md "POST /v1/signals/transfer") → the form. */
const TRANSFER_FIELD_OF: Readonly<Record<string, TransferField>> = {
  personId: 'to',
  'contact.name': 'to',
  'contact.email': 'to',
  'contact.role': 'role',
  'contact.phone': 'phone',
  contact: 'phone',
};

/** A refused transfer named at its fields; empty when the refusal names no field of the form. */
export function transferRefusal(e: unknown): FieldErrors<TransferField> {
  const out: FieldErrors<TransferField> = {};
  if (!(e instanceof ApiError)) return out;
  for (const path of e.fields) {
    const field = TRANSFER_FIELD_OF[path];
    if (field === undefined || out[field] !== undefined) continue;
    out[field] =
      field === 'to'
        ? e.code === 'recipient_not_professional'
          ? 'error.recipient_not_professional'
          : path === 'personId'
            ? 'org.transfer.error.to.refused'
            : 'org.transfer.error.to.contact'
        : field === 'role'
          ? e.code === 'text_forbidden'
            ? 'org.transfer.error.role.forbidden'
            : 'org.transfer.error.role.invalid'
          : e.code === 'text_forbidden'
            ? 'org.transfer.error.phone.forbidden'
            : 'org.transfer.error.phone.invalid';
  }
  return out;
}

// ---- Adding a person ------------------------------------------------------------------------

/** The roles an organisation gives its own people (docs/api.md "People"). */
export const ORGANISATION_ROLES = ['professional', 'organisation_coordinator'] as const;
/**
 * The roles of the municipality's own people, which only the municipality's administrator
 * grants (docs/engine.md "People and roles"); a person has roles of one side only.
 */
export const MUNICIPALITY_ROLES = ['match_coordinator', 'gdpr_desk', 'auditor', 'administrator'] as const;
export type PersonRole = (typeof ORGANISATION_ROLES)[number] | (typeof MUNICIPALITY_ROLES)[number];

/** The form of a new person; `roles` are among the roles the form offers. */
export interface PersonForm {
  readonly name: string;
  readonly email: string;
  readonly roles: readonly PersonRole[];
}
export type PersonField = keyof PersonForm;
export const PERSON_FIELDS: readonly PersonField[] = ['name', 'email', 'roles'];

/** The engine's rules for a person: the contact name and e-mail rules (docs/engine.md "People and roles"). */
export function personErrors(f: PersonForm): FieldErrors<PersonField> {
  const e: FieldErrors<PersonField> = {};
  const name = f.name.trim();
  const nameFault = name === '' ? undefined : textFaultOf(TEXT_RULES.contactName, name);
  if (name === '') e.name = 'org.add.error.name';
  else if (nameFault === 'text_forbidden') e.name = 'org.add.error.name.forbidden';
  else if (nameFault !== undefined) e.name = 'org.add.error.name.invalid';
  const email = f.email.trim();
  const emailFault = email === '' ? undefined : textFaultOf(TEXT_RULES.contactEmail, email);
  if (emailFault === 'text_forbidden') e.email = 'org.add.error.email.forbidden';
  else if (emailFault !== undefined) e.email = 'org.add.error.email.invalid';
  if (f.roles.length === 0) e.roles = 'org.add.error.roles';
  return e;
}

/**
 * The body of `POST /v1/people` (or, with `organisationId`, of `POST /v1/admin/people`): an
 * empty e-mail is left out; the roles are those of `offered` that are ticked, in its order.
 */
export function personBody(
  f: PersonForm,
  offered: readonly PersonRole[] = ORGANISATION_ROLES,
): {
  displayName: string;
  email?: string;
  roles: PersonRole[];
} {
  const email = f.email.trim();
  return {
    displayName: f.name.trim(),
    ...(email === '' ? {} : { email }),
    roles: offered.filter((r) => f.roles.includes(r)),
  };
}

const PERSON_FIELD_OF: Readonly<Record<string, PersonField>> = {
  displayName: 'name',
  email: 'email',
  roles: 'roles',
};

/** A refused `POST /v1/people` named at its fields; empty when it names none of the form's. */
export function personRefusal(e: unknown): FieldErrors<PersonField> {
  const out: FieldErrors<PersonField> = {};
  if (!(e instanceof ApiError)) return out;
  const forbidden = e.code === 'text_forbidden';
  for (const path of e.fields) {
    const field = PERSON_FIELD_OF[path];
    if (field === undefined || out[field] !== undefined) continue;
    out[field] =
      field === 'name'
        ? forbidden
          ? 'org.add.error.name.forbidden'
          : 'org.add.error.name.invalid'
        : field === 'email'
          ? forbidden
            ? 'org.add.error.email.forbidden'
            : 'org.add.error.email.invalid'
          : 'org.add.error.roles';
  }
  return out;
}
