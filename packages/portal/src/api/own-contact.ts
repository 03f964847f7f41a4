// The role and phone number a professional gave on their newest active signal, so that they are
// not typed again for every signal: the place-signal form starts with them, and so does the
// coordinator's handover of one signal to that professional (docs/portal.md "Placing a signal",
// "Handing one signal over"). Read from the signals the person holds, newest first (`GET
// /v1/signals?personId=&order=newest`, API 1.9.0): one page of one signal, however many the
// person holds. The server stores nothing new for it, and the contact is the professional's own,
// never a citizen's.

import type { Api } from './read-all.js';

export interface OwnContact {
  readonly role: string;
  /** Empty when that signal gave an e-mail address only. */
  readonly phone: string;
}

interface Listed {
  readonly contact: { readonly role: string; readonly phone?: string };
}

/** The newest active signal's role and phone of this person, or undefined without one. */
export async function newestOwnContact(api: Api, personId: string): Promise<OwnContact | undefined> {
  const page = (await api({
    method: 'GET',
    path: '/v1/signals',
    query: { status: 'active', personId, order: 'newest', limit: 1 },
  })) as { readonly items: readonly Listed[] };
  const newest = page.items[0];
  return newest === undefined ? undefined : { role: newest.contact.role, phone: newest.contact.phone ?? '' };
}
