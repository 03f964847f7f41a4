// What the matches table shows in the contact column (docs/engine.md "What a match reveals"):
// the counterpart's contact name, or why there is none — a pending objection, a restriction
// (GDPR art. 18), or nothing (an ended match whose counterpart's signal ended — withdrawn,
// expired or ended by a key retirement — shows no contact, like the detail screen; those are
// the only three reasons). An objection is named first when both apply: it is the pending
// decision.
import type { Translate } from '../i18n/i18n.js';

export function counterpartContactText(
  t: Translate,
  match: {
    readonly underObjection: boolean;
    readonly restricted: boolean;
    readonly counterpart: { readonly contact: { readonly name: string } | null };
  },
): string {
  const contact = match.counterpart.contact;
  if (contact !== null) return contact.name;
  if (match.underObjection) return t('match.underObjection.short');
  return match.restricted ? t('match.restricted.short') : '—';
}
