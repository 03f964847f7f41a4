// The one error type of the pseudonym service. Every refusal carries a stable code that
// maps to one HTTP status (http/problem.ts); messages are fixed per code and never
// contain an element, a key or a request body (docs/protocol.md §9.6). The one other error,
// RequestAborted (http/request-body.ts: the client went away before its body was complete), is
// neither a refusal nor a fault and maps to no status, so it is outside these codes.

export type ServiceErrorCode =
  // request authentication (docs/protocol.md §5.4, same order and codes as the match server)
  | 'auth_missing'
  | 'auth_malformed'
  | 'digest_mismatch'
  | 'timestamp_out_of_window'
  | 'key_unknown'
  | 'key_revoked'
  | 'signature_invalid'
  | 'nonce_reused'
  | 'organisation_suspended'
  // a presented match-server credential (docs/protocol.md §9.7)
  | 'credential_malformed'
  | 'credential_issuer_unknown'
  | 'credential_invalid'
  | 'credential_expired'
  | 'credential_key_mismatch'
  | 'organisation_unknown'
  | 'credential_exhausted'
  // the evaluate request (docs/protocol.md §9.6)
  | 'validation_failed'
  | 'batch_too_large'
  | 'epoch_unknown'
  | 'element_invalid'
  | 'element_identity'
  | 'rate_limited'
  | 'budget_exceeded'
  // HTTP
  | 'metrics_token_required'
  | 'not_found'
  | 'method_not_allowed'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'internal'
  // operator side (CLI, data directory)
  | 'usage_invalid'
  | 'key_file_insecure'
  | 'key_file_invalid'
  | 'key_file_unreadable'
  | 'file_foreign_owner'
  | 'key_file_exists'
  | 'data_dir_insecure'
  | 'admission_locked';

export interface ServiceErrorDetails {
  /** Field paths or positions (`blindedElements.3`), never values. */
  readonly fields?: readonly string[];
  readonly retryAfterSeconds?: number;
  /** A fixed sentence or the operator's own path (any code: usage_invalid, key files, a destroyed keyring); never request data. */
  readonly hint?: string;
  /** Operator-side codes: the file concerned (its path, never its contents), for the error log. */
  readonly file?: string;
}

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly code: ServiceErrorCode;
  readonly details: ServiceErrorDetails;

  constructor(code: ServiceErrorCode, details: ServiceErrorDetails = {}) {
    super(details.hint === undefined ? code : `${code}: ${details.hint}`);
    this.code = code;
    this.details = details;
  }
}

export function isServiceError(e: unknown, code?: ServiceErrorCode): e is ServiceError {
  return e instanceof ServiceError && (code === undefined || e.code === code);
}
