// What the matches table shows in the contact column (docs/engine.md "What a match reveals"):
// the counterpart's contact name, or why there is none — a pending objection, or nothing
// (an ended match whose counterpart's signal ended — withdrawn, expired or ended by a key
// retirement — shows no contact, like the detail screen; those are the only two reasons).
import type { Translate } from '../i18n/i18n.js';

export function counterpartContactText(
  t: Translate,
  match: {
    readonly underObjection: boolean;
    readonly counterpart: { readonly contact: { readonly name: string } | null };
  },
): string {
  const contact = match.counterpart.contact;
  if (contact !== null) return contact.name;
  return match.underObjection ? t('match.underObjection.short') : '—';
}
