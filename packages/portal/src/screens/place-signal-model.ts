// The place-signal form's model (docs/portal.md "Placing a signal"): its fields, the checks
// made in the page before anything is pseudonymised (the BSN's eleven test with the SDK),
// the SDK's refusals mapped to form fields, and the form turned into the SDK's input. No
// value of the form is ever put in a message: errors are message keys.

import { checkBsn, type PlaceSignalInput, SluisError } from '@sluis/client-sdk';
import type { MessageKey } from '../i18n/i18n.js';

export type Informed = 'citizen' | 'representative' | 'both' | 'not_yet';
export const INFORMED: readonly Informed[] = ['citizen', 'representative', 'both', 'not_yet'];

export interface Form {
  bsn: string;
  parent1: string;
  parent2: string;
  dateOfBirth: string;
  informed: Informed | '';
  informedDate: string;
  name: string;
  role: string;
  phone: string;
  email: string;
  reference: string;
}

export const EMPTY: Form = {
  bsn: '',
  parent1: '',
  parent2: '',
  dateOfBirth: '',
  informed: '',
  informedDate: '',
  name: '',
  role: '',
  phone: '',
  email: '',
  reference: '',
};

/** SDK field path → form field. */
const FIELD_OF: Readonly<Record<string, keyof Form>> = {
  bsn: 'bsn',
  'parentsBsn.0': 'parent1',
  'parentsBsn.1': 'parent2',
  dateOfBirth: 'dateOfBirth',
  'informed.status': 'informed',
  informed: 'informed',
  'informed.date': 'informedDate',
  'contact.name': 'name',
  'contact.role': 'role',
  'contact.phone': 'phone',
  'contact.email': 'email',
  contact: 'phone',
};

export type Errors = Partial<Record<keyof Form, MessageKey>>;

function bsnError(value: string, optional: boolean): MessageKey | undefined {
  if (optional && value.trim() === '') return undefined;
  if (value.trim() === '') return 'place.error.bsn_required';
  const r = checkBsn(value.trim());
  return r.ok ? undefined : (`place.error.${r.code}` as MessageKey);
}

export function localErrors(f: Form): Errors {
  const e: Errors = {};
  const b = bsnError(f.bsn, false);
  if (b) e.bsn = b;
  const p1 = bsnError(f.parent1, true);
  if (p1) e.parent1 = p1;
  const p2 = bsnError(f.parent2, true);
  if (p2) e.parent2 = p2;
  if (f.informed === '') e.informed = 'place.error.informed';
  if (f.informed !== '' && f.informed !== 'not_yet' && f.informedDate === '')
    e.informedDate = 'place.error.informedDate';
  if (f.name.trim() === '') e.name = 'place.error.name';
  if (f.role.trim() === '') e.role = 'place.error.role';
  if (f.phone.trim() === '' && f.email.trim() === '') e.phone = 'place.error.phoneOrEmail';
  return e;
}

/** The SDK's refusal as errors per form field (its codes, our texts). */
export function sdkErrors(err: SluisError): Errors {
  const e: Errors = {};
  for (const path of err.details.fields ?? []) {
    const field = FIELD_OF[path];
    if (field === undefined) continue;
    e[field] = err.code.startsWith('bsn_')
      ? (`place.error.${err.code}` as MessageKey)
      : (`place.error.field.${field}` as MessageKey);
  }
  return e;
}

/** The form as the SDK's placement input (validated again by preparePlacement). */
export function placementInput(form: Form): PlaceSignalInput {
  const parents = [form.parent1, form.parent2].map((p) => p.trim()).filter((p) => p !== '');
  return {
    bsn: form.bsn.trim(),
    ...(parents.length === 0 ? {} : { parentsBsn: parents }),
    ...(form.dateOfBirth === '' ? {} : { dateOfBirth: form.dateOfBirth }),
    informed:
      form.informed === 'not_yet'
        ? { status: 'not_yet' }
        : { status: form.informed as Informed, date: form.informedDate },
    contact: {
      name: form.name.trim(),
      role: form.role.trim(),
      ...(form.phone.trim() === '' ? {} : { phone: form.phone.trim() }),
      ...(form.email.trim() === '' ? {} : { email: form.email.trim() }),
    },
  };
}

/** A refusal the form shows beside its fields (the others are shown as one failure). */
export function isFieldRefusal(x: unknown): x is SluisError {
  return x instanceof SluisError && (x.code.startsWith('bsn_') || x.code === 'input_invalid');
}

/** The element an error summary link jumps to (the first radio button for a group). */
export function fieldId(field: keyof Form): string {
  return field === 'informed' ? 'place-informed-citizen' : `place-${field}`;
}
