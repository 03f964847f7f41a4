// A refused or failed request as one sentence in the page's language: known problem codes
// have their own text, anything else a general one with the code (never a value).

import { SluisError } from '@sluis/client-sdk';
import { ApiError } from '../api/http.js';
import type { MessageKey, Translate } from '../i18n/i18n.js';

/** The codes with a text of their own (`error.<code>` in every catalogue). */
export const KNOWN_ERROR_CODES: ReadonlySet<string> = new Set([
  'session_expired',
  'network_error',
  // A clock off by more than 5 minutes, still refused after the one re-signing with the
  // server's time (../api/http.ts, docs/portal.md "Signing in").
  'timestamp_out_of_window',
  'role_not_permitted',
  'not_found',
  'forbidden',
  'rate_limited',
  'budget_exceeded',
  'pseudonym_service_unavailable',
  'portal_not_pinned',
  'pseudonym_service_not_pinned',
  'oprf_epoch_not_pinned',
  'webauthn_unsupported',
  'enrolment_code_invalid',
  'enrolment_code_expired',
  'challenge_invalid',
  'step_up_required',
  'passkey_invalid',
  'passkey_counter_invalid',
  'sign_in_disabled',
  'conflict',
  'last_coordinator',
  'last_administrator',
  'credential_expired',
  'person_required',
  'validation_failed',
  'recipient_not_professional',
  'signal_inactive',
  // An organisation the pseudonym service has not admitted (yet), or one suspended there or at
  // the match server (docs/operations.md "Admit the first organisation").
  'organisation_unknown',
  'organisation_suspended',
  // The GDPR desk's routes and its credential (docs/portal.md "The GDPR desk"): the texts are in i18n/*/gdpr-desk.ts.
  'gdpr_desk_unconfigured',
  'pseudonym_invalid',
  'epoch_unknown',
  'objection_out_of_term',
  'unavailable',
  'internal',
]);

/**
 * `where`: a refused action (the default; its texts say "nothing was sent") or the sign-in or
 * enrolment ceremony, where a suspended organisation means no access at all and says so.
 */
export function errorMessage(t: Translate, e: unknown, where: 'action' | 'sign-in' = 'action'): string {
  const code =
    e instanceof ApiError
      ? e.code
      : e instanceof SluisError
        ? (e.details.problemCode ?? e.code)
        : e instanceof Error && e.name === 'CeremonyUnsupported'
          ? 'webauthn_unsupported'
          : e instanceof Error && e.name === 'ChallengeMismatch'
            ? 'challenge_invalid'
            : e instanceof DOMException
              ? 'webauthn_cancelled'
              : 'unknown';
  if (code === 'webauthn_cancelled') return t('error.webauthn_cancelled');
  if (code === 'organisation_suspended' && where === 'sign-in')
    return t('error.organisation_suspended.signIn');
  if (KNOWN_ERROR_CODES.has(code)) return t(`error.${code}` as MessageKey);
  return t('error.other', { code });
}
