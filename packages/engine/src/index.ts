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
export * from './api.js';
export { createEngine, DEFAULT_ENGINE_CONFIG, type EngineOptions } from './engine.js';
export { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from './store/sqlite/sqlite-store.js';
export { SCHEMA_VERSION } from './store/sqlite/migrations.js';
export type {
  Store,
  StoreReader,
  StoreStats,
  StoreWriter,
} from './store/store.js';
export { runStoreConformance, type StoreFactory } from './store/conformance.js';
