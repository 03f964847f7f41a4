// The `@sluis/engine/protocol` entry: request-signature verification (docs/protocol.md §5)
// and the replay memory, without the store or the domain. The pseudonym service verifies
// requests with exactly this code, so both servers accept and refuse the same requests.

export {
  PublicKeyVerifier,
  contentDigest,
  isValidPublicKey,
  keyIdFromPublicKey,
  credentialRequestSignatureBase,
  parseRequestSignature,
  requestSignatureBase,
  type ParsedSignature,
  type RequestTarget,
  type SignatureParseCode,
} from './request-signature.js';
export { NonceCache } from '../store/sqlite/nonce-cache.js';
export { bearerCheck } from './bearer-check.js';
export { isLoggableErrorCode } from './error-code.js';
export { CappedBuckets, type Bucket } from './capped-buckets.js';
export {
  AuthFailureLimiter,
  DEFAULT_AUTH_FAILURE_LIMIT,
  clientAddress,
  isProxyEntry,
  isTrustedPeer,
  trustedProxyList,
  type AuthFailureLimitOptions,
} from './auth-failure-limit.js';
export {
  CREDENTIAL_LABEL,
  MAX_CREDENTIAL_CHARS,
  decodeCredential,
  encodeCredentialClaims,
  issueCredential,
  type CredentialClaims,
  type DecodedCredential,
} from './oprf-credential.js';
