// Public API of @sluis/client-sdk (browser-safe: no Node imports anywhere under this entry).

export { SluisError, isSluisError, type SluisErrorCode, type SluisErrorDetails } from './errors.js';
export { base64, base64url, bytesToHex, hexToBytesStrict, equalBytes } from './protocol/encoding.js';
export {
  CanonicalIdentifier,
  IDENTIFIER_SCHEMES,
  canonicaliseIdentifier,
  checkBsn,
  checkIdentifier,
  isValidBsn,
  type IdentifierCheck,
  type IdentifierErrorCode,
  type IdentifierScheme,
} from './protocol/identifier.js';
export {
  KEY_ID_LABEL,
  MAX_CLOCK_SKEW_SECONDS,
  PSEUDONYM_LABEL,
  REQUEST_TAG,
  SIGNATURE_NAME,
  WEBHOOK_TAG,
} from './protocol/labels.js';
export {
  MAX_EPOCH,
  PSEUDONYM_BYTES,
  PSEUDONYM_KEY_MAX_BYTES,
  PSEUDONYM_KEY_MIN_BYTES,
  PseudonymKey,
  isValidEpoch,
  isWellFormedPseudonym,
  pseudonymiseAll,
  type Pseudonym,
} from './protocol/pseudonym.js';
export {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SEED_BYTES,
  ED25519_SIGNATURE_BYTES,
  SigningKey,
  isValidPublicKey,
  keyIdFromPublicKey,
  verifyEd25519,
} from './protocol/signing-key.js';
export {
  REQUEST_COMPONENTS,
  WEBHOOK_COMPONENTS,
  contentDigest,
  randomNonce,
  requestSignatureBase,
  signRequest,
  signWebhook,
  verifyWebhook,
  webhookSignatureBase,
  type RequestTarget,
  type SignOptions,
  type SignatureHeaders,
  type SignatureParams,
  type WebhookVerification,
  type WebhookVerifyCode,
  type WebhookVerifyInput,
} from './protocol/http-signature.js';
