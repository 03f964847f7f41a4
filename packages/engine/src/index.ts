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
// The domain types and the Engine facade (api.ts), listed one by one so that nothing
// becomes public by accident.
export {
  type Actor,
  type AdmitOrganisationInput,
  type AgreementInput,
  type AgreementsOverviewItem,
  type AgreementStatus,
  type AgreementView,
  type AuthenticationHooks,
  type BatchItemResult,
  type Clock,
  type Consent,
  CONSENT_SCOPES,
  type ConsentInput,
  type ConsentScope,
  type Contact,
  type CoordinationView,
  type Delivery,
  type DeliveryStatus,
  type EndReason,
  type Engine,
  type EngineConfig,
  type EngineMetrics,
  type EpochProgress,
  type EpochRecord,
  type EpochRetirement,
  type EpochStatus,
  type FollowUpOverviewItem,
  type Gauges,
  type GdprAccessReport,
  type InboxEvent,
  type InboxEventType,
  type Informed,
  type InformedStatus,
  type KeyActivity,
  type KeyEventAction,
  type KeyRole,
  type KeyStatus,
  type ListSignalsQuery,
  type LogbookEntry,
  type LogbookVerification,
  type MatchKind,
  type MatchStatus,
  type MatchView,
  type MigrateSignalInput,
  type ObjectionStatus,
  type Organisation,
  type OrganisationStatus,
  type Page,
  type PersonPseudonyms,
  type PlacementOutcome,
  type PlacementResult,
  type PlaceSignalInput,
  type Principal,
  type PublicKeyRecord,
  type RandomSource,
  REGIE_RULES,
  type RegieAction,
  type RegieRule,
  type RegieView,
  type RetentionReport,
  type SecretRotationStatus,
  type Signal,
  type SignalStatus,
  type SignedRequest,
  type Statistics,
  type UpdateOrganisationInput,
  type Vocabulary,
  type WirePseudonym,
  type WithdrawReason,
} from './api.js';
export { createEngine, DEFAULT_ENGINE_CONFIG, type EngineOptions } from './engine.js';
export { parseIpAddress, webhookAddressAllowed } from './domain/webhook-address.js';
export { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from './store/sqlite/sqlite-store.js';
export {
  openPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from './store/postgres/pg-store.js';
export { SCHEMA_VERSION } from './store/sqlite/migrations.js';
export type {
  Store,
  StoreReader,
  StoreStats,
  StoreWriter,
} from './store/store.js';
export { runStoreConformance, type StoreFactory, type StoreTraits } from './store/conformance.js';
