// The place-signal form's model (docs/portal.md "What stays in the browser"): its fields, the checks
// made in the page before anything is pseudonymised (the BSN's eleven test, or for a person
// without a BSN the substitute identifier's rules, both with the SDK),
// the SDK's refusals mapped to form fields, and the form turned into the SDK's input. No
// value of the form is ever put in a message: errors are message keys.

import {
  checkBsn,
  checkSubstitute,
  formatDate,
  lastActiveDay,
  parseDate,
  type PlaceSignalInput,
  SluisError,
  TEXT_RULES,
  textFaultOf,
} from '@sluis/client-sdk';
import type { MessageKey } from '../i18n/i18n.js';
import { ownReferenceError } from '../local/own-reference-rule.js';

export type Informed = 'citizen' | 'representative' | 'both' | 'not_yet';
export const INFORMED: readonly Informed[] = ['citizen', 'representative', 'both', 'not_yet'];

export type Gender = 'M' | 'V' | 'O';
export const GENDERS: readonly Gender[] = ['M', 'V', 'O'];

export interface Form {
  /** docs/protocol.md §2.2: surname, date of birth and gender instead of a BSN (OPRF epochs only). */
  withoutBsn: boolean;
  bsn: string;
  surname: string;
  gender: Gender | '';
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
  withoutBsn: false,
  bsn: '',
  surname: '',
  gender: '',
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
  substitute: 'surname',
  'substitute.surname': 'surname',
  'substitute.dateOfBirth': 'dateOfBirth',
  'substitute.gender': 'gender',
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

/** A BSN as typed, without the spaces and dots people group it with ("1234 56 782"). */
export function bsnDigits(value: string): string {
  return value.replace(/[\s.]/g, '');
}

/** The BSN's check (the SDK's eleven test), as a message key; empty is refused unless `optional`. */
export function bsnError(value: string, optional: boolean): MessageKey | undefined {
  if (optional && bsnDigits(value) === '') return undefined;
  if (bsnDigits(value) === '') return 'place.error.bsn_required';
  const r = checkBsn(bsnDigits(value));
  return r.ok ? undefined : (`place.error.${r.code}` as MessageKey);
}

/** Today as the SDK's checks see it (UTC, as `preparePlacement` is given it). */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Whole years from `birth` to `today`, both YYYY-MM-DD. */
function age(birth: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
  return today.slice(5) < birth.slice(5) ? years - 1 : years;
}

/**
 * The checks the SDK makes only after the first round passes, made in the same round so the
 * summary lists every fault at once: a parent's BSN equal to the child's or the other parent's
 * (said which), an informed date in the future, and "the young person (12 or older)" informed
 * while the date of birth given makes them younger.
 */
function crossErrors(f: Form, e: Errors, today: string): void {
  const child = f.withoutBsn ? '' : bsnDigits(f.bsn);
  const p1 = bsnDigits(f.parent1);
  const p2 = bsnDigits(f.parent2);
  if (e.parent1 === undefined && p1 !== '' && p1 === child) e.parent1 = 'pro.place.error.parent1.child';
  if (e.parent2 === undefined && p2 !== '') {
    if (p2 === child) e.parent2 = 'pro.place.error.parent2.child';
    else if (p2 === p1) e.parent2 = 'pro.place.error.parent2.parent1';
  }
  if (e.informedDate === undefined && f.informedDate !== '' && f.informedDate > today)
    e.informedDate = 'place.error.field.informedDate';
  const youngPerson = f.informed === 'citizen' || f.informed === 'both';
  if (e.informed === undefined && youngPerson && parseDate(f.dateOfBirth) !== undefined)
    if (age(f.dateOfBirth, today) < 12) e.informed = 'pro.place.error.citizenUnder12';
}

/** The SDK's substitute codes → the form field each names. */
const SUBSTITUTE_FIELD: Readonly<Record<string, keyof SubstituteFields>> = {
  substitute_surname_invalid: 'surname',
  substitute_date_invalid: 'dateOfBirth',
  substitute_gender_invalid: 'gender',
  substitute_input_invalid: 'surname',
};

/** The fields that name a person without a BSN. */
export type SubstituteFields = Pick<Form, 'surname' | 'dateOfBirth' | 'gender'>;

/** Surname, date of birth and gender, each checked by the SDK's rules (docs/protocol.md §2.2). */
export function substituteErrors(
  f: SubstituteFields,
  e: Partial<Record<keyof SubstituteFields, MessageKey>>,
): void {
  if (f.surname.trim() === '') e.surname = 'place.error.surname_required';
  if (f.dateOfBirth === '') e.dateOfBirth = 'place.error.substitute_date_invalid';
  if (f.gender === '') e.gender = 'place.error.substitute_gender_invalid';
  if (Object.keys(e).length > 0) return;
  const r = checkSubstitute({ surname: f.surname, dateOfBirth: f.dateOfBirth, gender: f.gender });
  if (!r.ok) e[SUBSTITUTE_FIELD[r.code] ?? 'surname'] = `place.error.${r.code}` as MessageKey;
}

export function localErrors(f: Form, today: string = todayUtc()): Errors {
  const e: Errors = {};
  if (f.withoutBsn) substituteErrors(f, e);
  else {
    const b = bsnError(f.bsn, false);
    if (b) e.bsn = b;
  }
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
  contactErrors(f, e);
  crossErrors(f, e, today);
  const reference = ownReferenceError(f.reference);
  if (reference) e.reference = reference;
  return e;
}

/** The contact fields' shape (the SDK's text rules, docs/api.md "Text fields") is checked in
 * the same round as the BSN, so the summary lists every fault at once. */
const CONTACT_RULES = [
  ['name', TEXT_RULES.contactName],
  ['role', TEXT_RULES.contactRole],
  ['phone', TEXT_RULES.contactPhone],
  ['email', TEXT_RULES.contactEmail],
] as const;

function contactErrors(f: Form, e: Errors): void {
  for (const [field, rule] of CONTACT_RULES) {
    const value = f[field].trim();
    if (value === '' || e[field] !== undefined) continue;
    const fault = textFaultOf(rule, value);
    if (fault === 'text_forbidden') e[field] = `place.error.forbidden.${field}`;
    else if (fault !== undefined) e[field] = `place.error.field.${field}`;
  }
}

/** The free-text fields the SDK refuses with `text_forbidden` (a BSN-like number, docs/api.md "Text fields"). */
const FORBIDDEN_TEXT: ReadonlySet<keyof Form> = new Set(['name', 'role', 'phone', 'email']);

/** The SDK's refusal as errors per form field (its codes, our texts). */
export function sdkErrors(err: SluisError): Errors {
  const e: Errors = {};
  for (const path of err.details.fields ?? []) {
    const field = FIELD_OF[path];
    if (field === undefined) continue;
    e[field] = /^(bsn_|substitute_)|^scheme_requires_oprf$/.test(err.code)
      ? (`place.error.${err.code}` as MessageKey)
      : err.code === 'text_forbidden' && FORBIDDEN_TEXT.has(field)
        ? (`place.error.forbidden.${field}` as MessageKey)
        : (`place.error.field.${field}` as MessageKey);
  }
  return e;
}

/** The form as the SDK's placement input (validated again by preparePlacement). */
export function placementInput(form: Form): PlaceSignalInput {
  const parents = [form.parent1, form.parent2].map(bsnDigits).filter((p) => p !== '');
  return {
    ...(form.withoutBsn
      ? { substitute: { surname: form.surname, dateOfBirth: form.dateOfBirth, gender: form.gender } }
      : { bsn: bsnDigits(form.bsn) }),
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
  return (
    x instanceof SluisError &&
    (/^(bsn_|substitute_)/.test(x.code) ||
      x.code === 'input_invalid' ||
      x.code === 'text_forbidden' ||
      x.code === 'scheme_requires_oprf')
  );
}

/** The element an error summary link jumps to (the first radio button for a group). */
export function fieldId(field: keyof Form): string {
  if (field === 'informed') return 'place-informed-citizen';
  return field === 'gender' ? 'place-gender-M' : `place-${field}`;
}

/**
 * The last day the signal will be active, as the server keeps it: the end date sent, but at
 * most two years after `today` (the SDK's lastActiveDay, docs/engine.md "The life of a signal").
 */
export function shownEnd(endDate: string | undefined, today = new Date().toISOString().slice(0, 10)): string {
  const sent = endDate === undefined ? undefined : parseDate(endDate);
  return formatDate(lastActiveDay(sent, parseDate(today)!));
}
