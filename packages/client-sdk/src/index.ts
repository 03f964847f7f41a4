// Public API of @sluis/client-sdk (browser-safe: no Node imports anywhere under this entry).

export {
  PROBLEM_CODES,
  SluisError,
  isSluisError,
  toProblemCode,
  type ProblemCode,
  type SluisErrorCode,
  type SluisErrorDetails,
} from './errors.js';
export { base64, base64url, bytesToHex, hexToBytesStrict, equalBytes } from './protocol/encoding.js';
export {
  CanonicalIdentifier,
  IDENTIFIER_SCHEMES,
  canonicaliseIdentifier,
  checkBsn,
  checkIdentifier,
  checkSubstitute,
  isValidBsn,
  type IdentifierCheck,
  type IdentifierErrorCode,
  type IdentifierScheme,
} from './protocol/identifier.js';
export { TEXT_RULES, textFaultOf, type TextFault } from './client/text-rules.js';
export {
  SUBSTITUTE_SCHEME,
  SURNAME_PREFIXES,
  canonicalSurname,
  type SubstituteIdentifierInput,
} from './protocol/substitute-identifier.js';
export {
  KEY_ID_LABEL,
  MAX_CLOCK_SKEW_SECONDS,
  OPRF_INPUT_LABEL,
  OPRF_PSEUDONYM_LABEL,
  PSEUDONYM_LABEL,
  REQUEST_TAG,
  SESSION_BINDING_LABEL,
  SIGNATURE_NAME,
  WEBHOOK_TAG,
} from './protocol/labels.js';
export {
  EPOCH_KINDS,
  isPseudonymiser,
  pseudonymiseEach,
  type EpochKind,
  type Pseudonymiser,
} from './protocol/pseudonymiser.js';
export {
  MAX_EVALUATE_BATCH,
  OPRF_ELEMENT_BYTES,
  OPRF_MODE,
  OPRF_PROOF_BYTES,
  OPRF_SUITE,
  checkElement,
  isValidOprfPublicKey,
  oprfInput,
  pseudonymFromOutput,
  type ElementCheck,
} from './protocol/oprf.js';
export { OprfPseudonymiser, type OprfPseudonymiserOptions } from './client/oprf-pseudonymiser.js';
export {
  PseudonymServiceClient,
  cachedCredential,
  createPseudonymServiceClient,
  evaluateTimeoutMs,
  type PseudonymCredential,
  type Evaluation,
  type PseudonymService,
  type PseudonymServiceOptions,
  type PublishedOprfKey,
} from './client/pseudonym-service-client.js';
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
export type { Device, EnrolmentCode, Me, Person } from './client/people-requests.js';
export {
  challengeBindsKey,
  generateSessionKey,
  isRequestSigner,
  keySigner,
  type RequestSigner,
  sessionChallenge,
  sessionSigner,
  signRequestWith,
} from './protocol/request-signer.js';
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
  CREDENTIAL_COMPONENTS,
  CREDENTIAL_HEADER,
  REQUEST_COMPONENTS,
  WEBHOOK_COMPONENTS,
  contentDigest,
  randomNonce,
  requestSignatureBase,
  signRequest,
  type CoveredHeader,
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

// The API client (docs/sdk.md).
export { SluisClient, createClient } from './client/client.js';
export { MAX_BATCH_ITEMS, type BatchOptions, type MigrateOptions } from './client/batches.js';
export type { ClientOptions } from './client/client-options.js';
export type { MigrateSignalInput, ParentInput, PlaceSignalInput } from './client/placement.js';
// Validate and pseudonymise without sending, so a page can show what will be sent first.
export { preparePlacement, substituteAllowed } from './client/placement.js';
export type { PlacementBody } from './client/types.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './client/retry-policy.js';
export type { FetchLike } from './client/transport.js';
export {
  ACTIVE_TERM_DAYS,
  endDateFromDateOfBirth,
  formatDate,
  lastActiveDay,
  parseDate,
  type CalendarDate,
} from './client/dates.js';
export { isUuid, uuidV4, uuidV5, webCryptoRandom, type RandomSource } from './client/uuid.js';
export type {
  IncomingWebhook,
  WebhookNotification,
  WebhookResult,
} from './client/webhook.js';
export { CONSENT_SCOPES, FOLLOW_UP_OUTCOMES, LEGAL_BASES } from './client/types.js';
export type {
  Agreement,
  ArchiveNotice,
  Attestation,
  AgreementInput,
  AgreementStatus,
  BatchItemRefusal,
  BatchItemResult,
  MinimalBatchItemResult,
  Consent,
  ConsentInput,
  ConsentScope,
  Contact,
  CoordinationView,
  EndReason,
  FollowUpOutcome,
  FollowUpRecord,
  HandoverDecline,
  HandoverRequest,
  InboxEvent,
  InboxEventType,
  Informed,
  InformedStatus,
  LegalBasis,
  MatchKind,
  MatchStatus,
  MatchView,
  Page,
  Party,
  PlacementOutcome,
  PlacementHeldElsewhere,
  PlacementResult,
  SignalPlacement,
  RegieAction,
  RegieView,
  Signal,
  SignalOrder,
  SignalStatus,
  Vocabulary,
  Whoami,
  WithdrawReason,
} from './client/types.js';
// The citizen's report of one match, rendered on the organisation's side.
export { type CitizenReportInput, formatReportDate, renderCitizenReport } from './report/citizen-report.js';
// The citizen's GDPR access report (who received or viewed the signal), in Dutch or English.
export { type AccessReportInput, renderAccessReport } from './report/access-report.js';
export {
  DEFAULT_LABELS,
  type LabelTable,
  type ReportLabels,
  type ReportLanguage,
} from './report/report-labels.js';
export { parsePseudonymKey, parseSigningKey, signingKeyToPem } from './keys/key-text.js';
