// The one error type of the SDK. Every failure carries a stable `code`; messages are
// fixed per code and never contain an identifier, pseudonym, key or request body.

export type SluisErrorCode =
  // identifier canonicalisation (docs/protocol.md §2)
  | 'identifier_unknown_scheme'
  | 'identifier_not_a_string'
  | 'bsn_non_digit'
  | 'bsn_wrong_length'
  | 'bsn_all_zeros'
  | 'bsn_checksum'
  | 'substitute_input_invalid'
  | 'substitute_surname_invalid'
  | 'substitute_date_invalid'
  | 'substitute_gender_invalid'
  /** docs/protocol.md §2.2: a substitute identifier under an HMAC epoch */
  | 'scheme_requires_oprf'
  // keys and encodings
  | 'key_invalid'
  | 'epoch_invalid'
  | 'encoding_invalid'
  // OPRF epochs (docs/protocol.md §9.4): the service's proof did not verify
  | 'oprf_proof_invalid'
  // request signing
  | 'request_invalid'
  // client-side input validation
  | 'input_invalid'
  /** A text field holds a BSN or an invisible character (docs/api.md "Text fields"); the server's code too. */
  | 'text_forbidden'
  /** A jeugdwet signal for a person of 23 or older (docs/sdk.md "Legal basis"). */
  | 'legal_basis_invalid'
  /** A consent or no_objection signal without its attestation; the server's code too. */
  | 'attestation_required'
  // transport and server answers
  | 'network_error'
  /** No answer at all from the pseudonym service (docs/sdk.md "Errors"): nothing reached the match server. */
  | 'pseudonym_service_unavailable'
  | 'timeout'
  | 'server_error'
  | 'response_invalid'
  /** Reading the signal of a placement's answer that has none (docs/sdk.md "Errors"). */
  | 'signal_not_held'
  | 'webhook_invalid'
  // key files and CSV files (Node helpers and CLI)
  | 'key_file_insecure'
  | 'file_exists'
  | 'file_unreadable'
  | 'csv_malformed'
  | 'state_mismatch'
  // command line (the `sluis` CLI): bad flags, arguments or configuration
  | 'usage_invalid';

const MESSAGES: Record<SluisErrorCode, string> = {
  identifier_unknown_scheme: 'unknown identifier scheme',
  identifier_not_a_string: 'identifier must be a string',
  bsn_non_digit: 'BSN contains a character that is not a digit',
  bsn_wrong_length: 'BSN must have 8 or 9 digits',
  bsn_all_zeros: 'BSN must not be all zeros',
  bsn_checksum: 'BSN fails the eleven test (elfproef)',
  substitute_input_invalid: 'substitute identifier must be {surname, dateOfBirth, gender}',
  substitute_surname_invalid: 'surname must hold letters (with spaces, hyphens or apostrophes) only',
  substitute_date_invalid: 'date of birth must be a valid date YYYY-MM-DD (1900–2099)',
  substitute_gender_invalid: 'gender must be M, V or O',
  scheme_requires_oprf: 'an identifier without BSN may only be pseudonymised under an OPRF epoch',
  key_invalid: 'key has the wrong length or format',
  epoch_invalid: 'key epoch must be an integer from 1 to 4294967295',
  encoding_invalid: 'value is not validly encoded',
  oprf_proof_invalid: 'the pseudonym service answer failed proof verification',
  request_invalid: 'request cannot be signed',
  input_invalid: 'input is invalid',
  text_forbidden: 'a text field holds a BSN or an invisible character',
  legal_basis_invalid: 'jeugdwet is no legal basis from the age of 23: use consent or no_objection',
  attestation_required: 'this legal basis needs an attestation',
  network_error: 'the server could not be reached',
  pseudonym_service_unavailable: 'the pseudonym service could not be reached',
  timeout: 'the request timed out',
  server_error: 'the server refused the request',
  response_invalid: 'the server sent an unexpected response',
  signal_not_held: 'a colleague or no one holds this signal: the answer carries none',
  webhook_invalid: 'webhook notification failed verification',
  key_file_insecure: 'key file is readable by group or others (chmod 600)',
  file_exists: 'file already exists; refusing to overwrite',
  file_unreadable: 'file cannot be read',
  csv_malformed: 'CSV file is malformed',
  state_mismatch: 'the input file changed since the interrupted run; start over with --restart',
  usage_invalid: 'invalid usage (see sluis --help)',
};

/**
 * Problem codes the server answers with (docs/api.md, "Errors"). A code the server
 * sends that is not in this list arrives as 'unknown'.
 */
export type ProblemCode =
  | 'validation_failed'
  | 'text_forbidden'
  | 'pseudonym_invalid'
  | 'attestation_required'
  | 'objection_out_of_term'
  | 'epoch_unknown'
  | 'epoch_retired'
  | 'public_key_invalid'
  | 'auth_missing'
  | 'auth_malformed'
  | 'digest_mismatch'
  | 'timestamp_out_of_window'
  | 'nonce_reused'
  | 'key_unknown'
  | 'key_revoked'
  | 'signature_invalid'
  | 'organisation_suspended'
  | 'forbidden'
  | 'on_behalf_invalid'
  | 'role_not_permitted'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'last_coordinator'
  | 'request_id_reused'
  | 'signal_inactive'
  | 'recipient_not_professional'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'budget_exceeded'
  | 'rate_limited'
  | 'batch_too_large'
  | 'element_invalid'
  | 'element_identity'
  | 'credential_malformed'
  | 'credential_issuer_unknown'
  | 'credential_invalid'
  | 'credential_expired'
  | 'credential_key_mismatch'
  | 'organisation_unknown'
  | 'credential_exhausted'
  | 'person_required'
  | 'internal'
  | 'unavailable'
  | 'unknown';

export const PROBLEM_CODES: readonly ProblemCode[] = [
  'validation_failed',
  'text_forbidden',
  'pseudonym_invalid',
  'attestation_required',
  'objection_out_of_term',
  'epoch_unknown',
  'epoch_retired',
  'public_key_invalid',
  'auth_missing',
  'auth_malformed',
  'digest_mismatch',
  'timestamp_out_of_window',
  'nonce_reused',
  'key_unknown',
  'key_revoked',
  'signature_invalid',
  'organisation_suspended',
  'forbidden',
  'on_behalf_invalid',
  'role_not_permitted',
  'not_found',
  'method_not_allowed',
  'conflict',
  'last_coordinator',
  'request_id_reused',
  'signal_inactive',
  'recipient_not_professional',
  'body_too_large',
  'unsupported_media_type',
  'budget_exceeded',
  'rate_limited',
  'batch_too_large',
  'element_invalid',
  'element_identity',
  'credential_malformed',
  'credential_issuer_unknown',
  'credential_invalid',
  'credential_expired',
  'credential_key_mismatch',
  'organisation_unknown',
  'credential_exhausted',
  'person_required',
  'internal',
  'unavailable',
  'unknown',
];

export function toProblemCode(code: unknown): ProblemCode {
  return typeof code === 'string' && (PROBLEM_CODES as readonly string[]).includes(code)
    ? (code as ProblemCode)
    : 'unknown';
}

export interface SluisErrorDetails {
  /** Server problem code (RFC 9457 `code` member) when the server refused the request. */
  readonly problemCode?: ProblemCode;
  readonly status?: number;
  /** Field paths (never values) that failed validation. */
  readonly fields?: readonly string[];
  readonly correlationId?: string;
  /**
   * A placement's `requestId` (the SDK's own random UUID, or the caller's): repeating the
   * placement with it after a failure is answered `replayed` instead of placing twice.
   */
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;
  /** Line number in an input file (CSV), never the line's content. */
  readonly line?: number;
  /** usage_invalid: a fixed sentence of the CLI naming flags, never a value typed by the user. */
  readonly hint?: string;
}

export class SluisError extends Error {
  override readonly name = 'SluisError';
  readonly code: SluisErrorCode;
  readonly details: SluisErrorDetails;

  constructor(code: SluisErrorCode, details: SluisErrorDetails = {}, options?: { cause?: unknown }) {
    super(MESSAGES[code], options);
    this.code = code;
    this.details = details;
  }
}

export function isSluisError(e: unknown, code?: SluisErrorCode): e is SluisError {
  return e instanceof SluisError && (code === undefined || e.code === code);
}
