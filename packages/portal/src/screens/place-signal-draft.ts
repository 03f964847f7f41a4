// The place-signal form kept across a sign-in after the session ended while it was filled
// (docs/portal.md "Placing a signal"): only the fields that identify nobody — whom the
// professional informed and when, the contact details and the own reference. The BSN, the
// parents' BSNs, the date of birth and a person-without-BSN's surname and gender are never
// kept: not here, not in any storage. Kept in this module's memory only (gone on reload), for
// the same person only, and handed back once.

import { EMPTY, type Form } from './place-signal-model.js';

/** The form fields a draft keeps: none of them identifies the person the signal is about. */
export const KEPT_FIELDS = [
  'informed',
  'informedDate',
  'name',
  'role',
  'phone',
  'email',
  'reference',
] as const;

type Kept = Pick<Form, (typeof KEPT_FIELDS)[number]>;

let draft: { personId: string; fields: Kept } | null = null;

/** Keeps the form's non-identifying fields for `personId`, replacing any earlier draft. */
export function keepDraft(personId: string, form: Form): void {
  const fields = {} as Record<(typeof KEPT_FIELDS)[number], string>;
  for (const k of KEPT_FIELDS) fields[k] = form[k];
  draft = { personId, fields: fields as Kept };
}

/** The kept fields on an empty form, for `personId` only, once; undefined when none are kept. */
export function takeDraft(personId: string): Form | undefined {
  const d = draft;
  draft = null;
  if (d === null || d.personId !== personId) return undefined;
  return { ...EMPTY, ...d.fields };
}
