// What My signals says about the GDPR desk's requests on a signal (docs/portal.md "Screens"):
// the restriction (art. 18) and the pending objection (art. 21) the desk registered on it, as
// the signal view carries them (API 1.4.0; a server before it sends no `restricted`).

import type { MessageKey } from '../i18n/i18n.js';

/** The message keys shown after the signal's reference, restriction first. */
export function signalFlags(s: {
  readonly restricted?: boolean;
  readonly underObjection?: boolean;
}): MessageKey[] {
  const keys: MessageKey[] = [];
  if (s.restricted === true) keys.push('signals.restricted');
  if (s.underObjection === true) keys.push('signals.underObjection');
  return keys;
}
