// RFC 9457 problem details: the one place that maps error codes to HTTP statuses and
// fixed titles. Invariant (docs/api.md "Errors (RFC 9457)"): a problem body holds a code, a status,
// field paths and a correlation id — never a submitted value, never a stack trace.

import type { EngineErrorCode } from '@sluis/engine';

/** Codes the server adds to the engine's own. */
export type ServerProblemCode =
  | 'method_not_allowed'
  | 'metrics_token_required'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'person_required'
  | 'gdpr_desk_unconfigured'
  | 'unavailable';

export type ProblemCode = EngineErrorCode | ServerProblemCode;

const STATUS: Record<ProblemCode, number> = {
  auth_missing: 401,
  auth_malformed: 401,
  digest_mismatch: 401,
  timestamp_out_of_window: 401,
  nonce_reused: 401,
  key_unknown: 401,
  key_revoked: 401,
  signature_invalid: 401,
  organisation_suspended: 403,
  forbidden: 403,
  on_behalf_invalid: 403,
  role_not_permitted: 403,
  session_expired: 401,
  enrolment_code_invalid: 400,
  enrolment_code_expired: 400,
  challenge_invalid: 400,
  step_up_required: 403,
  passkey_invalid: 401,
  passkey_counter_invalid: 401,
  sign_in_disabled: 404,
  person_required: 403,
  gdpr_desk_unconfigured: 503,
  validation_failed: 400,
  text_forbidden: 400,
  pseudonym_invalid: 400,
  attestation_required: 400,
  objection_out_of_term: 422,
  epoch_unknown: 400,
  epoch_retired: 400,
  public_key_invalid: 400,
  request_id_reused: 409,
  not_found: 404,
  conflict: 409,
  last_coordinator: 409,
  last_administrator: 409,
  signal_inactive: 409,
  recipient_not_professional: 422,
  budget_exceeded: 429,
  epoch_in_use: 409,
  rotation_in_progress: 409,
  secret_generation_stale: 503,
  secret_generation_missing: 503,
  server_secret_mismatch: 503,
  config_invalid: 500,
  schema_too_new: 500,
  database_corrupt: 500,
  schema_mismatch: 500,
  target_not_empty: 500,
  import_unfinished: 503,
  database_read_only: 503,
  disk_full: 503,
  store_closed: 503,
  database_busy: 503,
  database_unavailable: 503,
  internal: 500,
  method_not_allowed: 405,
  metrics_token_required: 401,
  body_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

/**
 * Codes that reach the client unchanged. Storage and configuration faults are folded
 * into `unavailable` / `internal`, so the public code list stays the one in docs/api.md.
 */
const PUBLIC_CODE: Partial<Record<ProblemCode, ProblemCode>> = {
  database_read_only: 'unavailable',
  disk_full: 'unavailable',
  store_closed: 'unavailable',
  database_busy: 'unavailable',
  database_unavailable: 'unavailable',
  config_invalid: 'internal',
  schema_too_new: 'internal',
  database_corrupt: 'internal',
  schema_mismatch: 'internal',
  target_not_empty: 'internal',
  import_unfinished: 'unavailable',
  secret_generation_stale: 'unavailable',
  secret_generation_missing: 'unavailable',
  server_secret_mismatch: 'unavailable',
};

const TITLE: Record<ProblemCode, string> = {
  auth_missing: 'The request is not signed',
  auth_malformed: 'The request signature headers are malformed',
  digest_mismatch: 'The body does not match its digest',
  timestamp_out_of_window: 'The signature time is outside the accepted window',
  nonce_reused: 'The request was already received (replay)',
  key_unknown: 'The signing key is not known',
  key_revoked: 'The signing key was revoked',
  signature_invalid: 'The signature is invalid',
  organisation_suspended: 'The organisation is suspended',
  forbidden: 'This key may not use this route',
  on_behalf_invalid: 'The request names no active person of the organisation',
  role_not_permitted: 'None of the person’s roles may use this route',
  session_expired: 'The session has ended',
  enrolment_code_invalid: 'The enrolment code is not valid',
  enrolment_code_expired: 'The enrolment code has expired',
  challenge_invalid: 'The passkey challenge is not valid',
  step_up_required: 'This act needs a fresh confirmation with a passkey',
  passkey_invalid: 'The passkey response does not verify',
  passkey_counter_invalid: 'The passkey’s signature counter did not advance',
  sign_in_disabled: 'Sign-in with a passkey is not configured on this server',
  person_required: 'The route issues credentials to people only',
  gdpr_desk_unconfigured: 'The GDPR desk cannot pseudonymise on this server',
  validation_failed: 'The request is invalid',
  text_forbidden: 'A text field holds a BSN or an invisible character',
  pseudonym_invalid: 'A pseudonym is invalid',
  attestation_required: 'This legal basis needs an attestation',
  objection_out_of_term: 'The objection was received after its term',
  epoch_unknown: 'A key epoch is not known',
  epoch_retired: 'A key epoch was retired',
  public_key_invalid: 'The public key is invalid',
  request_id_reused: 'The requestId was used before with a different body',
  not_found: 'Not found',
  conflict: 'The request conflicts with the current state',
  last_coordinator: 'The organisation’s last coordinator cannot be removed',
  last_administrator: 'The municipality’s last administrator cannot be removed',
  signal_inactive: 'The signal is no longer active',
  recipient_not_professional: 'The person named cannot hold signals',
  budget_exceeded: 'The placement budget is exhausted',
  epoch_in_use: 'Active signals exist only under this key epoch (migrate them, or force)',
  rotation_in_progress: 'A server-secret rotation is still running',
  config_invalid: 'Internal error',
  schema_too_new: 'Internal error',
  database_corrupt: 'Internal error',
  schema_mismatch: 'Internal error',
  target_not_empty: 'Internal error',
  import_unfinished: 'The service is unavailable',
  secret_generation_stale: 'The service is unavailable',
  secret_generation_missing: 'The service is unavailable',
  server_secret_mismatch: 'The service is unavailable',
  database_read_only: 'The service is unavailable',
  disk_full: 'The service is unavailable',
  store_closed: 'The service is unavailable',
  database_busy: 'The service is unavailable',
  database_unavailable: 'The service is unavailable',
  internal: 'Internal error',
  method_not_allowed: 'Method not allowed',
  metrics_token_required: 'The metrics bearer token is missing or wrong',
  body_too_large: 'The request body is too large',
  unsupported_media_type: 'The request body must be application/json',
  rate_limited: 'Too many requests',
  unavailable: 'The service is unavailable',
};

/**
 * RFC 9457 `detail`: what the client can do about it. Fixed text per public code, so it
 * can never carry anything the client sent (the field paths are in `fields`).
 */
const DETAIL: Partial<Record<ProblemCode, string>> = {
  auth_missing:
    'Sign the request: Signature-Input, Signature and, with a body, Content-Digest (docs/protocol.md §5).',
  auth_malformed: 'Send Signature-Input and Signature as docs/protocol.md §5 describes them.',
  digest_mismatch: 'Compute Content-Digest over the exact body bytes sent.',
  timestamp_out_of_window:
    'Sign with a created time within the accepted skew of the Date header of this answer.',
  nonce_reused: 'Sign every request with a fresh nonce; a replayed request is never executed twice.',
  key_unknown: 'Sign with a key registered for your organisation.',
  key_revoked: 'Sign with a key that is not revoked; ask the municipality to register a new one.',
  signature_invalid: 'Sign the method, path, query and digest exactly as sent, with the registered key.',
  organisation_suspended: 'The organisation is suspended; contact the municipality.',
  forbidden: 'This kind of key may not use this route.',
  session_expired: 'Sign in again (docs/protocol.md §10).',
  enrolment_code_invalid: 'Ask your coordinator for a new enrolment code.',
  enrolment_code_expired: 'Ask your coordinator for a new enrolment code.',
  challenge_invalid:
    'Start the ceremony again: ask for new options (a step-up: for this act, in this session, within 5 minutes).',
  step_up_required:
    'Ask for a step-up for this act (POST /v1/me/step-up), answer it with one of your passkeys and send the request again with stepUp (docs/protocol.md §10.6).',
  passkey_invalid: 'Use a passkey registered for this site, on this site.',
  passkey_counter_invalid: 'This passkey may have been copied; ask your coordinator to remove it.',
  person_required:
    'Sign as a person: a session, or the organisation key on behalf of a person (docs/protocol.md §5.6).',
  gdpr_desk_unconfigured:
    'The server’s operator sets --gdpr-desk-service-organisation-id to the id the pseudonym service admitted the municipality with, never an organisation’s id (docs/operations.md "The GDPR desk in the portal").',
  validation_failed: 'Correct the request at the paths listed in fields; nothing was changed.',
  pseudonym_invalid: 'Send pseudonyms as the SDK computes them (docs/protocol.md §3).',
  attestation_required:
    'A consent or no_objection signal carries the attestation (its date, optionally a form reference).',
  objection_out_of_term:
    'Every signal concerned was informed longer ago than the objection term; record lateExcused when the lateness is excusable.',
  epoch_unknown: 'Use a covenant key epoch that the server has registered.',
  epoch_retired: 'Use a current covenant key epoch.',
  public_key_invalid: 'Send an Ed25519 public key of 32 bytes, base64url encoded.',
  request_id_reused: 'Use a new requestId for a different request.',
  not_found: 'There is nothing here for this key.',
  conflict: 'Read the current state and retry if it still applies.',
  last_coordinator:
    'Add another coordinator first (a person with the organisation_coordinator role), then remove this one.',
  last_administrator:
    'Add another administrator first (a municipality person with the administrator role), then remove this one.',
  signal_inactive: 'The signal was withdrawn or has expired; it cannot be changed.',
  recipient_not_professional:
    'Only a professional can hold a signal: name an active professional of your organisation; nothing was changed.',
  budget_exceeded: 'The daily placement budget is used up; retry after the time in Retry-After.',
  epoch_in_use: 'Migrate the signals that exist only under this epoch first, or force the retirement.',
  rotation_in_progress: 'Wait until the running server-secret rotation has finished.',
  internal: 'The server failed; report the correlationId to the operator.',
  method_not_allowed: 'Use one of the methods listed in Allow.',
  body_too_large: 'Send a smaller body (docs/api.md "Conventions").',
  unsupported_media_type: 'Send the body as application/json.',
  rate_limited: 'Slow down; retry after the time in Retry-After.',
  unavailable: 'The service is temporarily unavailable; retry later.',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ProblemCode;
  readonly fields?: readonly string[];
  readonly correlationId: string;
}

export function publicCode(code: ProblemCode): ProblemCode {
  return PUBLIC_CODE[code] ?? code;
}

/** True for a code of the engine or the server's HTTP layer (a key of the status table). */
export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(STATUS, code);
}

export function statusOf(code: ProblemCode): number {
  return STATUS[code];
}

export function problem(code: ProblemCode, correlationId: string, fields?: readonly string[]): Problem {
  const c = publicCode(code);
  return {
    type: `urn:sluis:problem:${c}`,
    title: TITLE[c],
    status: STATUS[c],
    detail: DETAIL[c] ?? TITLE[c],
    code: c,
    ...(fields !== undefined && fields.length > 0 ? { fields: [...fields] } : {}),
    correlationId,
  };
}

/** Every code a client can receive, for the OpenAPI document. */
export const PUBLIC_PROBLEM_CODES: readonly ProblemCode[] = (Object.keys(STATUS) as ProblemCode[]).filter(
  (c) => PUBLIC_CODE[c] === undefined,
);
