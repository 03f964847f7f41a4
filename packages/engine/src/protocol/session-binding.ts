// The session binding of passkey sign-in (docs/protocol.md §10.3): the WebAuthn challenge
// is SHA-256(lp(utf8("sluis/session-binding/v1")) ‖ nonce ‖ sessionPublicKey), so the
// passkey's assertion covers the browser's session key and a challenge taken for one key
// cannot start a session for another. And the enrolment code's verifier hash (§10.1).

import { createHash } from 'node:crypto';
import { ENROLMENT_CODE_LABEL, SESSION_BINDING_LABEL, STEP_UP_LABEL } from './labels.js';
import { lengthPrefixed } from './bytes.js';

/** Bytes of the server's sign-in nonce (§10.3); its base64url is the challenge id. */
export const SESSION_NONCE_BYTES = 32;
/** A session id is base64url of 24 random bytes: 32 characters, unlike a 22-character key id (§5.1). */
export const SESSION_ID_LENGTH = 32;

export function sessionChallenge(nonce: Uint8Array, sessionPublicKey: Uint8Array): Buffer {
  if (nonce.length !== SESSION_NONCE_BYTES || sessionPublicKey.length !== 32) {
    throw new RangeError('nonce or session key of the wrong length');
  }
  return createHash('sha256')
    .update(lengthPrefixed(Buffer.from(SESSION_BINDING_LABEL, 'utf8')))
    .update(nonce)
    .update(sessionPublicKey)
    .digest();
}

/**
 * The challenge of a step-up (§10.6): SHA-256(lp(utf8("sluis/step-up/v1")) ‖ nonce ‖
 * lp(utf8(sessionId)) ‖ lp(utf8(action))), so an assertion made for one action in one
 * session proves nothing for another action or in another session.
 */
export function stepUpChallenge(nonce: Uint8Array, sessionId: string, action: string): Buffer {
  if (nonce.length !== SESSION_NONCE_BYTES) throw new RangeError('nonce of the wrong length');
  return createHash('sha256')
    .update(lengthPrefixed(Buffer.from(STEP_UP_LABEL, 'utf8')))
    .update(nonce)
    .update(lengthPrefixed(Buffer.from(sessionId, 'utf8')))
    .update(lengthPrefixed(Buffer.from(action, 'utf8')))
    .digest();
}

/** SHA-256(lp(utf8("sluis/enrolment-code/v1")) ‖ utf8(verifier)) (§10.1). */
export function enrolmentVerifierHash(verifier: string): Buffer {
  return createHash('sha256')
    .update(lengthPrefixed(Buffer.from(ENROLMENT_CODE_LABEL, 'utf8')))
    .update(verifier, 'utf8')
    .digest();
}

/** A request key id that names a session rather than a registered key (§10.4). */
export function isSessionKeyId(keyId: string): boolean {
  return keyId.length === SESSION_ID_LENGTH;
}
