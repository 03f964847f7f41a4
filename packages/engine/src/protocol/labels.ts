// Server-side domain-separation labels (docs/protocol.md §4). Versioned; never reused.

/** stored₁ = HMAC-SHA-256(serverSecret₁, lp(label) ‖ u32be(epoch) ‖ lp(pseudonym)). */
export const STORED_PSEUDONYM_LABEL = 'sluis/stored-pseudonym/v1';
/** storedₙ = HMAC-SHA-256(serverSecretₙ, lp(label) ‖ u32be(n) ‖ lp(storedₙ₋₁)) for n ≥ 2. */
export const REKEY_LABEL = 'sluis/rekey/v1';
/**
 * A placement's idempotency hash at generation 1: the first L bytes of
 * HMAC-SHA-256(serverSecret₁, lp(label) ‖ canonical input), L = REQUEST_HASH_BYTES = 8
 * (16 for signals placed before schema step 6). It follows the stored values through a
 * rotation, keeping its length: h_g = first |h_{g−1}| bytes of
 * HMAC-SHA-256(serverSecret_g, lp(REQUEST_HASH_REKEY_LABEL) ‖ u32be(g) ‖ lp(h_{g−1})).
 */
export const REQUEST_HASH_LABEL = 'sluis/request-hash/v1';
export const REQUEST_HASH_REKEY_LABEL = 'sluis/request-hash-rekey/v1';
/**
 * A server-secret generation's check value, recorded in the store (docs/keys.md §2.2):
 * HMAC-SHA-256(serverSecret_g, lp(label) ‖ u32be(g)).
 */
export const SERVER_SECRET_CHECK_LABEL = 'sluis/server-secret-check/v1';
/** Key id = base64url(first 16 bytes of SHA-256(lp(label) ‖ publicKey)). Same as the SDK's. */
export const KEY_ID_LABEL = 'sluis/key-id/v1';
export const REQUEST_TAG = 'sluis-request-v1';
export const MAX_CLOCK_SKEW_SECONDS = 300;
/** docs/protocol.md §10.1: the hash of an enrolment code's verifier. */
export const ENROLMENT_CODE_LABEL = 'sluis/enrolment-code/v1';
/** docs/protocol.md §10.3: the WebAuthn challenge that binds a session key. */
export const SESSION_BINDING_LABEL = 'sluis/session-binding/v1';
/** docs/protocol.md §10.6: the WebAuthn challenge of a step-up, bound to session and action. */
export const STEP_UP_LABEL = 'sluis/step-up/v1';
