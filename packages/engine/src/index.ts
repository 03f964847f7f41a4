// Public API of @sluis/engine.

export { EngineError, isEngineError, type EngineErrorCode } from './errors.js';
export {
  containsBsn,
  faultCode,
  hasInvisible,
  INPUT_RULES,
  type InputFault,
  type InputRuleName,
  type TextRule,
  textFault,
} from './input-rules.js';
export { CONTACT_KEYS, PLACEMENT_KEYS } from './validation.js';
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
export { SESSION_BINDING_LABEL, ENROLMENT_CODE_LABEL, STEP_UP_LABEL } from './protocol/labels.js';
export { sessionChallenge, stepUpChallenge, SESSION_ID_LENGTH } from './protocol/session-binding.js';
export type {
  CeremonyHooks,
  Device,
  EnrolInput,
  EnrolmentCode,
  SessionInfo,
  SignInInput,
  StepUpAction,
  StepUpProof,
  WebAuthnConfig,
} from './api.js';
export {
  type ActingPerson,
  type Actor,
  type AddPersonInput,
  type AdmitOrganisationInput,
  type AgreementInput,
  type AgreementsOverviewItem,
  type AgreementStatus,
  type AgreementView,
  type AuthenticationHooks,
  type BatchAnswerOptions,
  type BatchItemResult,
  type Clock,
  type Consent,
  CONSENT_SCOPES,
  type ConsentInput,
  type ConsentScope,
  type Contact,
  type CoordinationView,
  type AttemptResult,
  type ClaimedDelivery,
  type Delivery,
  DELIVERY_STATUSES,
  type DeliveryStatus,
  type MailNotice,
  type MailNoticeStatus,
  type MailToSend,
  type EndReason,
  type ArchiveNotice,
  type Attestation,
  type LegalBasis,
  LEGAL_BASES,
  type Engine,
  type EngineConfig,
  type EngineMetrics,
  type EpochProgress,
  type EpochRecord,
  type EpochRetirement,
  type EpochKind,
  type EpochStatus,
  FOLLOW_UP_OUTCOMES,
  type FollowUpCounts,
  type FollowUpOutcome,
  type FollowUpOverviewItem,
  type FollowUpQuery,
  type FollowUpRecord,
  type Gauges,
  type GdprAccessRecord,
  type GdprAccessVia,
  type GdprAgreementRecord,
  type GdprConsentRecord,
  type GdprFollowUp,
  type GdprAccessReport,
  type GdprChanged,
  type GdprEpochs,
  type GdprObjectionChanged,
  type InboxEvent,
  type InboxEventType,
  type Informed,
  type InformedStatus,
  type KeyActivity,
  type KeyEventAction,
  type WebhookKeyRecord,
  type KeyRole,
  type KeyStatus,
  LIST_ORDERS,
  type ListOrder,
  type ListSignalsQuery,
  LOGBOOK_COLUMNS,
  type LogbookBreak,
  type LogbookColumn,
  type LogbookEntry,
  type LogbookVerification,
  type MatchKind,
  type MatchStatus,
  type MatchView,
  type MigrateSignalInput,
  MUNICIPALITY_ROLES,
  type MunicipalityRole,
  ORGANISATION_ROLES,
  type OrganisationRole,
  PERSON_ROLES,
  type Person,
  type PersonRole,
  type PersonStatus,
  type ObjectionStatus,
  type ObjectionInput,
  type ManagementInformation,
  type ManagementInformationRow,
  type MiCell,
  type MiQuery,
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
  type RekeyBatchResult,
  type SecretRotationStatus,
  type Signal,
  type SignalRef,
  type SignalStatus,
  type SignedRequest,
  type Statistics,
  type UpdateOrganisationInput,
  type Vocabulary,
  type WirePseudonym,
  type WithdrawReason,
} from './api.js';
export { createEngine, DEFAULT_ENGINE_CONFIG, type EngineOptions } from './engine.js';
export { managementInformationCsv } from './domain/management-information.js';
export { parseIpAddress, webhookAddressAllowed } from './domain/webhook-address.js';
export { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from './store/sqlite/sqlite-store.js';
// The PostgreSQL store's functions are in `@sluis/engine/postgres` (postgres.ts), so that a
// server on SQLite does not load them, and the transfer's in `@sluis/engine/transfer`
// (transfer.ts), so that no server does; their types are here.
export type { PostgresStoreOptions } from './store/postgres/pg-connect.js';
export type { PostgresStore } from './store/postgres/pg-store.js';
export { SCHEMA_VERSION } from './store/sqlite/migrations.js';
export { sqliteBindingFailure } from './store/sqlite/sqlite-driver.js';
export type { TransferOptions, TransferReport } from './store/transfer/sqlite-to-postgres.js';
export type { TransferVerification } from './store/transfer/transfer-verify.js';
export type { ConnectFailure } from './store/transfer/connect-diagnosis.js';
export {
  checkPostgresUrl,
  POSTGRES_URL_FORMS,
  type PostgresHost,
  type PostgresUrlCheck,
} from './store/postgres/pg-url.js';
export type {
  Readiness,
  SchemaMigration,
  Store,
  StoreReader,
  StoreStats,
  StoreWriter,
} from './store/store.js';
// The store conformance suite and the traits' cases: `@sluis/engine/conformance` (conformance.ts).
export type { StoreFactory } from './store/conformance.js';
export type { StoreTraits } from './store/traits.js';
