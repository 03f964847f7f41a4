// Versioned domain-separation labels (docs/protocol.md §1). A label is never reused
// for another purpose; a new layout gets a new version suffix.

/** Client pseudonym: HMAC-SHA-256(pseudonymKey, lp(label) ‖ u32be(epoch) ‖ lp(scheme) ‖ lp(canonical)). */
export const PSEUDONYM_LABEL = 'sluis/pseudonym/v1';
/** Key id: first 16 bytes of SHA-256(lp(label) ‖ publicKey), base64url. */
export const KEY_ID_LABEL = 'sluis/key-id/v1';
/** RFC 9421 signature label (the dictionary key in Signature-Input and Signature). */
export const SIGNATURE_NAME = 'sluis';
/** RFC 9421 `tag` parameter of an organisation's or administrator's request signature. */
export const REQUEST_TAG = 'sluis-request-v1';
/** RFC 9421 `tag` parameter of the server's webhook signature. */
export const WEBHOOK_TAG = 'sluis-webhook-v1';
/** Largest accepted difference between `created` and the verifier's clock, in seconds. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
/** OPRF epochs: the RFC 9497 PrivateInput is lp(label) ‖ u32be(epoch) ‖ lp(scheme) ‖ lp(canonical). */
export const OPRF_INPUT_LABEL = 'sluis/oprf-input/v1';
/** OPRF epochs: pseudonym = HMAC-SHA-256(oprfOutput, lp(label) ‖ u32be(epoch)). */
export const OPRF_PSEUDONYM_LABEL = 'sluis/oprf-pseudonym/v1';
/** docs/protocol.md §10.3: the WebAuthn challenge that binds a session key. */
export const SESSION_BINDING_LABEL = 'sluis/session-binding/v1';
