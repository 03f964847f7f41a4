// The engine's public contract: domain types and the Engine facade the server calls.
// Everything here is free of identifiers: the engine only ever sees client pseudonyms
// (re-keyed before storage, never stored as received), organisation ids and contact
// details of professionals. Times are milliseconds since the Unix epoch (UTC); dates
// without a time are 'YYYY-MM-DD'.
//
// This file is the facade of that contract: the types live in api/, one file per area
// (shared values, organisations, signals, matches, working together, GDPR, oversight, key
// lifecycle, webhook deliveries, construction, and the Engine interface in api/engine.ts)
// and are re-exported here, so every import of api.js keeps working.

export type {
  Actor,
  Contact,
  Informed,
  InformedStatus,
  Page,
  PersonPseudonyms,
  WirePseudonym,
} from './api/common.js';
export type {
  AdmitOrganisationInput,
  AuthenticationHooks,
  KeyRole,
  KeyStatus,
  Organisation,
  OrganisationStatus,
  Principal,
  PublicKeyRecord,
  SignedRequest,
  UpdateOrganisationInput,
} from './api/organisations.js';
export { LEGAL_BASES, LIST_ORDERS } from './api/signals.js';
export { LOGBOOK_COLUMNS } from './api/admin.js';
export { DELIVERY_STATUSES } from './api/deliveries.js';
export type {
  ArchiveNotice,
  Attestation,
  BatchAnswerOptions,
  BatchItemResult,
  EndReason,
  HandoverDecline,
  HandoverRequest,
  LegalBasis,
  ListOrder,
  ListSignalsQuery,
  MigrateSignalInput,
  PlacementOutcome,
  PlacementResult,
  PlaceSignalInput,
  Signal,
  SignalRef,
  SignalStatus,
  WithdrawReason,
} from './api/signals.js';
export {
  FOLLOW_UP_OUTCOMES,
  type FollowUpOutcome,
  type FollowUpOverviewItem,
  type FollowUpQuery,
  type FollowUpRecord,
  type InboxEvent,
  type InboxEventType,
  type MatchKind,
  type MatchStatus,
  type MatchView,
  type RegieAction,
  type RegieView,
} from './api/matches.js';
export {
  type AgreementInput,
  type AgreementsOverviewItem,
  type AgreementStatus,
  type AgreementView,
  type Consent,
  CONSENT_SCOPES,
  type ConsentInput,
  type ConsentScope,
  type CoordinationView,
  type Vocabulary,
} from './api/collaboration.js';
export type {
  GdprAccessRecord,
  GdprAccessVia,
  GdprAgreementRecord,
  GdprConsentRecord,
  GdprFollowUp,
  GdprAccessReport,
  GdprChanged,
  GdprEpochs,
  GdprObjectionChanged,
  ManagementInformation,
  ManagementInformationRow,
  MiCell,
  MiQuery,
  ObjectionInput,
  ObjectionStatus,
} from './api/gdpr.js';
export type {
  EngineMetrics,
  FollowUpCounts,
  Gauges,
  LogbookBreak,
  LogbookColumn,
  LogbookEntry,
  LogbookVerification,
  RetentionReport,
  Statistics,
} from './api/admin.js';
export type {
  EpochKind,
  EpochProgress,
  EpochRecord,
  EpochRetirement,
  EpochStatus,
  KeyActivity,
  KeyEventAction,
  WebhookKeyRecord,
  RekeyBatchResult,
  SecretRotationStatus,
} from './api/keys.js';
export type {
  AttemptResult,
  ClaimedDelivery,
  Delivery,
  DeliveryStatus,
  MailNotice,
  MailNoticeStatus,
  MailToSend,
} from './api/deliveries.js';
export {
  type ActingPerson,
  type AddPersonInput,
  MUNICIPALITY_ROLES,
  type MunicipalityRole,
  ORGANISATION_ROLES,
  type OrganisationRole,
  PERSON_ROLES,
  type Person,
  type PersonRole,
  type PersonStatus,
} from './api/people.js';
export type {
  CeremonyHooks,
  Device,
  EnrolInput,
  EnrolmentCode,
  SessionInfo,
  SignInInput,
  StepUpAction,
  StepUpProof,
} from './api/sign-in.js';
export {
  type Clock,
  type EngineConfig,
  type WebAuthnConfig,
  type RandomSource,
  REGIE_RULES,
  type RegieRule,
} from './api/engine-config.js';
export type { Engine } from './api/engine.js';
