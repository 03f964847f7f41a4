// The own reference's text rule (docs/portal.md "What stays in the browser"): the reference
// stays in this browser, but it is typed beside a BSN and shown on every screen that names the
// signal, so it obeys the rule the server applies to a contact name (docs/api.md "Text fields";
// the SDK's TEXT_RULES, held to the engine's by shared vectors): at most 100 characters, no
// number that passes the BSN eleven test, no invisible or control character.

import { TEXT_RULES, textFaultOf } from '@sluis/client-sdk';
import type { MessageKey } from '../i18n/i18n.js';

const OWN_REFERENCE_RULE = TEXT_RULES.contactName;

/** The field error of a typed own reference (empty: none, the field is optional). */
export function ownReferenceError(typed: string): MessageKey | undefined {
  const value = typed.trim();
  if (value === '') return undefined;
  const fault = textFaultOf(OWN_REFERENCE_RULE, value);
  if (fault === 'text_forbidden') return 'local.reference.forbidden';
  return fault === undefined ? undefined : 'local.reference.invalid';
}
