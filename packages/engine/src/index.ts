// Public API of @sluis/engine.

export { EngineError, isEngineError, type EngineErrorCode } from './errors.js';
export { REKEY_LABEL, STORED_PSEUDONYM_LABEL } from './protocol/labels.js';
export { PSEUDONYM_BYTES, SERVER_SECRET_BYTES, ServerSecrets } from './protocol/stored-pseudonym.js';
export {
  PublicKeyVerifier,
  contentDigest,
  isValidPublicKey,
  keyIdFromPublicKey,
  parseRequestSignature,
  requestSignatureBase,
  type ParsedSignature,
  type RequestTarget,
  type SignatureParseCode,
} from './protocol/request-signature.js';
