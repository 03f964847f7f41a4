// Error codes to HTTP statuses, in one place, and the RFC 9457 problem body. A problem
// carries the code, a fixed title, field positions and a correlation id: never input.

import type { ServiceErrorCode } from '../errors.js';

const STATUS: Partial<Record<ServiceErrorCode, number>> = {
  auth_missing: 401,
  auth_malformed: 401,
  digest_mismatch: 401,
  timestamp_out_of_window: 401,
  key_unknown: 401,
  key_revoked: 401,
  signature_invalid: 401,
  nonce_reused: 401,
  organisation_suspended: 403,
  credential_malformed: 401,
  credential_issuer_unknown: 401,
  credential_invalid: 401,
  credential_expired: 401,
  credential_key_mismatch: 401,
  organisation_unknown: 403,
  credential_exhausted: 429,
  validation_failed: 400,
  batch_too_large: 413,
  epoch_unknown: 400,
  element_invalid: 400,
  element_identity: 400,
  rate_limited: 429,
  budget_exceeded: 429,
  metrics_token_required: 401,
  not_found: 404,
  method_not_allowed: 405,
  body_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
};

const TITLE: Partial<Record<ServiceErrorCode, string>> = {
  auth_missing: 'The request is not signed',
  auth_malformed: 'The request signature headers are malformed',
  digest_mismatch: 'The body does not match its digest',
  timestamp_out_of_window: 'The signature time is outside the accepted window',
  key_unknown: 'The signing key is not admitted',
  key_revoked: 'The signing key was revoked',
  signature_invalid: 'The signature is invalid',
  nonce_reused: 'The request was already received (replay)',
  organisation_suspended: 'The organisation is suspended',
  credential_malformed: 'The credential is not in the form of docs/protocol.md §9.7',
  credential_issuer_unknown: 'The credential was issued by a key this service does not admit',
  credential_invalid: 'The credential does not verify under its issuer key',
  credential_expired: 'The credential has expired (or is not valid yet)',
  credential_key_mismatch: 'The credential is bound to another key than the one that signed',
  organisation_unknown: 'The credential names an organisation this service does not admit',
  credential_exhausted: 'The credential has been used for as many elements as it may be',
  validation_failed: 'The request is invalid',
  batch_too_large: 'Too many elements in one request',
  epoch_unknown: 'The epoch has no key at this service',
  element_invalid: 'An element is not a canonical group element encoding',
  element_identity: 'An element is the identity element',
  rate_limited: 'Too many requests',
  budget_exceeded: 'The evaluation budget for today is used up',
  metrics_token_required: 'The metrics bearer token is missing or wrong',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  body_too_large: 'The request body is too large',
  unsupported_media_type: 'The request body must be application/json',
  internal: 'Internal error',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function statusOf(code: ServiceErrorCode): number {
  return STATUS[code] ?? 500;
}

export function problem(code: ServiceErrorCode, correlationId: string, fields?: readonly string[]) {
  const c = STATUS[code] === undefined ? 'internal' : code;
  return {
    type: `urn:sluis:problem:${c}`,
    title: TITLE[c] ?? 'Internal error',
    status: statusOf(c),
    code: c,
    ...(fields !== undefined && fields.length > 0 ? { fields: [...fields] } : {}),
    correlationId,
  };
}
