// The one error type of the engine. `code` is a stable literal; the server maps codes
// to HTTP statuses in one place (packages/server/src/http/problem.ts). Messages are fixed
// texts chosen by the engine: never an identifier, pseudonym, key, contact detail or
// request body.

export type EngineErrorCode =
  // authentication and authorisation (docs/protocol.md §5)
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
  /** Sluis-On-Behalf-Of names no active person of the key's organisation (docs/protocol.md §5.6). */
  | 'on_behalf_invalid'
  /** A person's roles do not include one the route accepts (docs/api.md "Roles"). */
  | 'role_not_permitted'
  // sign-in (docs/protocol.md §10)
  /** The session is unknown, ended, idle too long or past its absolute expiry (§10.4). */
  | 'session_expired'
  /** An enrolment code that is unknown, used, superseded or of a removed person (§10.1). */
  | 'enrolment_code_invalid'
  /** A valid enrolment code past its lifetime (§10.1). */
  | 'enrolment_code_expired'
  /**
   * A WebAuthn challenge that is unknown, used, expired or of another ceremony (§10.2); a
   * step-up's made for another session or act (§10.6).
   */
  | 'challenge_invalid'
  /** A session asked for an act that outlives it without a step-up (§10.6). */
  | 'step_up_required'
  /** A WebAuthn response that does not verify: origin, RP id, signature, flags, credential (§10.2). */
  | 'passkey_invalid'
  /** A passkey's signature counter did not move forward: a cloned authenticator? (§10.3) */
  | 'passkey_counter_invalid'
  /** Sign-in is not configured on this server (no `webauthn` settings). */
  | 'sign_in_disabled'
  // input
  | 'validation_failed'
  /** A text field holds a BSN or an invisible character (docs/api.md "Text fields"). */
  | 'text_forbidden'
  | 'pseudonym_invalid'
  /** A 'consent' or 'no_objection' signal without its attestation (docs/engine.md "Legal basis"). */
  | 'attestation_required'
  /** An objection received after its term, not excused (docs/engine.md "Objections"). */
  | 'objection_out_of_term'
  | 'epoch_unknown'
  | 'epoch_retired'
  | 'request_id_reused'
  | 'public_key_invalid'
  // state
  | 'not_found'
  | 'conflict'
  /** The organisation's last active coordinator, removed by the organisation itself (docs/api.md "People"). */
  | 'last_coordinator'
  /** The municipality's last active administrator, removed by anyone (docs/api.md "People"). */
  | 'last_administrator'
  | 'signal_inactive'
  /** A transfer names a person who cannot hold a signal: not a professional (docs/api.md "Need to know"). */
  | 'recipient_not_professional'
  | 'budget_exceeded'
  // key lifecycle (docs/keys.md)
  | 'epoch_in_use'
  | 'rotation_in_progress'
  /** Another instance recorded a newer server-secret generation (internal: the engine loads it and repeats). */
  | 'secret_generation_stale'
  /** The store records a server-secret generation whose key file this instance cannot read (docs/keys.md §4.2). */
  | 'secret_generation_missing'
  /** A server-secret key file differs from the one the store's check value was recorded with (docs/keys.md §2.2). */
  | 'server_secret_mismatch'
  // operation and storage
  | 'config_invalid'
  | 'schema_too_new'
  | 'database_corrupt'
  | 'database_read_only'
  /** SQLITE_BUSY / SQLITE_LOCKED: another process holds the database lock (retry later). */
  | 'database_busy'
  /** PostgreSQL: the connection is lost or the server is down or starting (retry later). */
  | 'database_unavailable'
  | 'disk_full'
  | 'store_closed'
  /** migrate-store: the two schemas differ in a way the transfer plan does not account for. */
  | 'schema_mismatch'
  /** migrate-store: the PostgreSQL target holds data that is not an unfinished import. */
  | 'target_not_empty'
  /** A PostgreSQL database whose migrate-store import has not finished (docs/operations.md). */
  | 'import_unfinished'
  | 'internal';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly code: EngineErrorCode;
  /** Field paths (never values) for validation failures. */
  readonly fields: readonly string[];
  /** Seconds until a refused placement may be retried (budget_exceeded). */
  readonly retryAfterSeconds: number | undefined;
  /** The server-secret generation a key refusal is about (secret_generation_missing, server_secret_mismatch). */
  readonly generation: number | undefined;
  /**
   * The PostgreSQL SQLSTATE or connection code behind a store failure (`53300`, `42501`,
   * `ECONNREFUSED`): a fixed code of the protocol or of Node, never the server's message.
   */
  readonly dbCode: string | undefined;
  /**
   * The database's schema version, the newest this build migrates to, and which store's
   * (schema_too_new), so the refusal names both numbers and the database (docs/operations.md
   * "Upgrade"): migrate-store opens one of each.
   */
  readonly schema: SchemaTooNewInfo | undefined;

  constructor(
    code: EngineErrorCode,
    message: string,
    options: {
      fields?: readonly string[];
      retryAfterSeconds?: number;
      generation?: number;
      dbCode?: string;
      schema?: SchemaTooNewInfo;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fields = options.fields ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.generation = options.generation;
    this.dbCode = options.dbCode;
    this.schema = options.schema;
  }
}

/** What a `schema_too_new` refusal is about: which store's database, its schema, this build's newest. */
export interface SchemaTooNewInfo {
  readonly store: 'sqlite' | 'postgres';
  readonly database: number;
  readonly known: number;
}

/**
 * `schema_too_new` naming both numbers, so an operator sees which build wrote the database
 * (docs/operations.md "Upgrade"): "… (database schema 17, this build knows up to 16)".
 */
export function schemaTooNew(subject: string, schema: SchemaTooNewInfo): EngineError {
  return new EngineError(
    'schema_too_new',
    `${subject} was written by a newer sluis version (database schema ${schema.database}, this build knows up to ${schema.known})`,
    { schema },
  );
}

export function isEngineError(e: unknown, code?: EngineErrorCode): e is EngineError {
  return e instanceof EngineError && (code === undefined || e.code === code);
}
