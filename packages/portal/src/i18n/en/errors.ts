// English: errors that say what to do, one per code the portal expects (docs/portal.md "Screens").
import type { errors as nl } from '../nl/errors.js';

export const errors: Record<keyof typeof nl, string> = {
  'error.session_expired': 'Your session has ended. Please sign in again.',
  'error.network_error': 'The server cannot be reached. Please try again later.',
  'error.timestamp_out_of_window':
    "The clock of this computer (or of the server) is more than 5 minutes fast or slow, so the server refuses your request. Nothing was changed. Set this computer's clock right (date, time and time zone) and try again; if it is right, tell the server's administrator.",
  'error.role_not_permitted':
    'You are not permitted to do this. If you think this is wrong, ask your organisation’s coordinator (or the municipality’s administrator) for the right role.',
  'error.not_found':
    'Not found. It may have been deleted or handed over. Go back to the overview and load it again.',
  'error.rate_limited': 'Too many requests. Wait a moment and try again.',
  'error.budget_exceeded':
    'Your organisation has reached today’s maximum of signals placed or lookups made. Nothing was sent. Try again tomorrow, or ask your organisation’s coordinator for help.',
  'error.pseudonym_service_unavailable': 'The pseudonym service cannot be reached. Nothing was sent.',
  'error.webauthn_unsupported': 'This browser does not support passkeys. Please use a recent browser.',
  'error.webauthn_cancelled':
    'Using the passkey was cancelled or did not work. Please try again. If it keeps failing, ask your organisation’s coordinator for help, or the municipality’s administrator if you work there.',
  'error.enrolment_code_invalid':
    'This invitation code is invalid, already used, or replaced by a newer code. Check the code, or ask your organisation’s coordinator for a new invitation code. Do you work at the municipality? Then ask the municipality’s administrator. Are you the municipality’s first administrator yourself? Then ask the operator of the server.',
  'error.enrolment_code_expired':
    'This invitation code has expired. Ask your organisation’s coordinator for a new one. Do you work at the municipality? Then ask the municipality’s administrator. Are you the municipality’s first administrator yourself? Then ask the operator of the server.',
  'error.challenge_invalid':
    'The check with your passkey failed (it expired, was already used or was meant for something else). Please try again.',
  'error.step_up_required': 'This needs a confirmation with your passkey first. Please try again.',
  'error.passkey_invalid':
    'This passkey is not recognised; it may have been removed. Ask your organisation’s coordinator for a new invitation code. Do you work at the municipality? Then ask the municipality’s administrator. Are you the municipality’s first administrator yourself? Then ask the operator of the server.',
  'error.sign_in_disabled':
    'Signing in with a passkey is not set up on this server. Tell the operator of the server: they start it with --webauthn-rp-id and --webauthn-origin.',
  'error.credential_expired': 'Access to the pseudonym service expired. Please try again.',
  'error.person_required': 'Only a signed-in professional may make pseudonyms.',
  'error.conflict': 'This is not possible now: the data changed in the meantime.',
  'error.last_coordinator':
    'This is your organisation’s last coordinator. Add another coordinator first, then remove this person.',
  'error.validation_failed': 'This was not saved. Check the marked fields.',
  'error.recipient_not_professional':
    'Only a professional can take over signals. Choose a professional of your organisation.',
  'error.portal_not_pinned':
    'This portal was built without the keys of the pseudonym service. Nothing was sent. Tell the administrator (code portal_not_pinned).',
  'error.pseudonym_service_not_pinned':
    'The server points to a pseudonym service this portal does not know. Nothing was sent. Tell the administrator (code pseudonym_service_not_pinned).',
  'error.oprf_epoch_not_pinned':
    'The server offers a pseudonym key this portal does not know. Nothing was sent. Tell the administrator (code oprf_epoch_not_pinned).',
  'error.other': 'Something went wrong (code {code}).',
  'error.forbidden':
    'You may not do this here. If you think you should be able to, ask your organisation’s coordinator, or the municipality’s administrator if you work there.',
  'error.signal_inactive': 'This signal is no longer active (ended or expired) and can no longer be changed.',
};
