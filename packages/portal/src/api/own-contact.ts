// The role and phone number a professional gave on their newest active signal, so that they are
// not typed again for every signal: the place-signal form starts with them, and so does the
// coordinator's handover of one signal to that professional (docs/portal.md "Placing a signal",
// "Handing one signal over"). Read from the signals the person holds (`GET /v1/signals?personId=`,
// in placement order, so the newest is the last); the server stores nothing new for it, and the
// contact is the professional's own, never a citizen's.
//
// The list has no newest-first order nor a limit from its end (docs/api.md "`GET
// /v1/signals?status=active|inactive&personId=&cursor=&limit=` — own signals"), so the newest is on
// its last page: the read stops after OWN_SIGNAL_PAGES pages, and a person holding more active
// signals than those gets empty fields, as one holding none, rather than a read of all of them
// each time a form opens.

import { type Api, readAll } from './read-all.js';

export interface OwnContact {
  readonly role: string;
  /** Empty when that signal gave an e-mail address only. */
  readonly phone: string;
}

interface Listed {
  readonly contact: { readonly role: string; readonly phone?: string };
}

/** Pages of 500 read at the most: 1,000 active signals, well past a professional's caseload. */
export const OWN_SIGNAL_PAGES = 2;

/**
 * The newest active signal's role and phone of this person, or undefined without one or when the
 * person holds more than OWN_SIGNAL_PAGES pages of them.
 */
export async function newestOwnContact(api: Api, personId: string): Promise<OwnContact | undefined> {
  const signals = await readAll<Listed>(api, '/v1/signals', { status: 'active', personId }, OWN_SIGNAL_PAGES);
  const newest = signals?.[signals.length - 1];
  return newest === undefined ? undefined : { role: newest.contact.role, phone: newest.contact.phone ?? '' };
}
