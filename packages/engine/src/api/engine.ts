// The Engine interface: every operation the server calls, grouped by area (the area's
// types are in the file of that area beside this one; the outboxes' operations too). The facade in engine-facade.ts
// implements it; api.ts re-exports it with every type of the contract.

import type { Readiness } from '../store/store.js';
import type { Actor, Contact, Informed, Page, PersonPseudonyms } from './common.js';
import type {
  CeremonyHooks,
  Device,
  EnrolInput,
  EnrolmentCode,
  SessionInfo,
  SignInInput,
  StepUpProof,
} from './sign-in.js';
import type {
  AdmitOrganisationInput,
  AuthenticationHooks,
  Organisation,
  Principal,
  PublicKeyRecord,
  SignedRequest,
  UpdateOrganisationInput,
} from './organisations.js';
import type {
  ArchiveNotice,
  BatchAnswerOptions,
  BatchItemResult,
  HandoverDecline,
  HandoverRequest,
  ListSignalsQuery,
  MigrateSignalInput,
  PlacementResult,
  PlaceSignalInput,
  Signal,
  SignalRef,
  WithdrawReason,
} from './signals.js';
import type {
  FollowUpOutcome,
  FollowUpOverviewItem,
  FollowUpQuery,
  InboxEvent,
  MatchView,
  RegieAction,
} from './matches.js';
import type {
  AgreementInput,
  AgreementsOverviewItem,
  AgreementStatus,
  AgreementView,
  Consent,
  ConsentInput,
  Vocabulary,
} from './collaboration.js';
import type {
  GdprAccessReport,
  GdprChanged,
  GdprEpochs,
  GdprObjectionChanged,
  ManagementInformation,
  MiQuery,
  ObjectionInput,
  ObjectionStatus,
} from './gdpr.js';
import type {
  EngineMetrics,
  Gauges,
  LogbookEntry,
  LogbookVerification,
  RetentionReport,
  Statistics,
} from './admin.js';
import type {
  EpochKind,
  EpochProgress,
  EpochRecord,
  EpochRetirement,
  KeyActivity,
  KeyEventAction,
  WebhookKeyRecord,
  RekeyBatchResult,
  SecretRotationStatus,
} from './keys.js';
import type { Outboxes } from './deliveries.js';
import type { AddPersonInput, Person } from './people.js';

/**
 * All writes go through one writer that commits concurrent operations together
 * (group commit, docs/engine.md): a returned promise resolves only after the
 * operation is durable. Every method throws EngineError on refusal; a refused
 * call changes nothing. The outboxes the server's workers drain are in deliveries.ts.
 */
export interface Engine extends Outboxes {
  // authentication (docs/protocol.md §5.4)
  authenticate(request: SignedRequest, hooks?: AuthenticationHooks): Promise<Principal>;

  // organisations (admin)
  /** A municipality person's session needs a step-up for 'organisation_admit' (§10.6); a key none. */
  admitOrganisation(actor: Actor, input: AdmitOrganisationInput, stepUp?: StepUpProof): Promise<Organisation>;
  getOrganisation(id: string): Promise<Organisation>;
  listOrganisations(): Promise<readonly Organisation[]>;
  updateOrganisation(actor: Actor, id: string, input: UpdateOrganisationInput): Promise<Organisation>;
  suspendOrganisation(actor: Actor, id: string): Promise<Organisation>;
  reinstateOrganisation(actor: Actor, id: string): Promise<Organisation>;
  /** A session needs a step-up for 'organisation_key_add' or 'admin_key_add' (§10.6); a key none. */
  addKey(
    actor: Actor,
    organisationId: string | null,
    publicKey: string,
    stepUp?: StepUpProof,
  ): Promise<PublicKeyRecord>;
  revokeKey(actor: Actor, keyId: string): Promise<PublicKeyRecord>;
  listKeys(organisationId: string | null): Promise<readonly PublicKeyRecord[]>;

  // people (docs/engine.md "People and roles"). An organisation actor manages only its own
  // organisation's people and grants only organisation roles; anyone else is `forbidden`.
  addPerson(actor: Actor, input: AddPersonInput): Promise<Person>;
  /** organisationId null: the municipality's people. */
  listPeople(actor: Actor, organisationId: string | null): Promise<readonly Person[]>;
  getPerson(actor: Actor, personId: string): Promise<Person>;
  /**
   * Marks the person removed and deletes their passkeys, sessions and enrolment code in the
   * same write: every session ends at its next request, on every instance. The person row
   * stays, so the logbook's person ids still resolve. Idempotent (a repeat deletes whatever
   * sign-in rows are left).
   */
  removePerson(actor: Actor, personId: string): Promise<Person>;

  // sign-in (docs/protocol.md §10). Coordinators (their organisation's people) and the
  // municipality (anyone) issue codes and list and remove devices; the ceremonies are public.
  /**
   * A new single-use code for the person; replaces the previous one. A session (actor.session)
   * needs a step-up made for 'enrolment_code' of this person (§10.6): `step_up_required`
   * without one. A key needs none. Never for oneself (`forbidden`).
   */
  issueEnrolmentCode(actor: Actor, personId: string, stepUp?: StepUpProof): Promise<EnrolmentCode>;
  listDevices(actor: Actor, personId: string): Promise<readonly Device[]>;
  /** Removes the device and ends its sessions at once, on every instance. */
  removeDevice(actor: Actor, personId: string, deviceId: string): Promise<void>;
  /** PublicKeyCredentialCreationOptionsJSON for the person the code names. */
  enrolmentOptions(code: unknown, hooks?: CeremonyHooks): Promise<unknown>;
  enrol(input: EnrolInput, hooks?: CeremonyHooks): Promise<{ personId: string; deviceId: string }>;
  /** A challenge committing to the session key (§10.3) and its PublicKeyCredentialRequestOptionsJSON. */
  signInOptions(sessionPublicKey: unknown): Promise<{ challengeId: string; options: unknown }>;
  signIn(input: SignInInput, hooks?: CeremonyHooks): Promise<SessionInfo>;
  /**
   * Options to register another passkey for the signed-in person (actor.personId), and the
   * step-up one of their passkeys answers first (§10.6), bound to this session.
   */
  deviceOptions(
    actor: Actor,
    sessionId: string,
  ): Promise<{ options: unknown; stepUp: { challengeId: string; options: unknown } }>;
  /** Registers it: the step-up for 'device-add' in this session, then the registration. */
  addDevice(
    actor: Actor,
    sessionId: string,
    input: { deviceName: unknown; response: unknown; stepUp?: StepUpProof },
  ): Promise<Device>;
  /**
   * A step-up (§10.6) for one act of the signed-in person in this session: removing one of
   * their passkeys, or an act that outlives the session (StepUpAction, checked here:
   * `validation_failed` on `action.<field>`).
   */
  stepUpOptions(
    actor: Actor,
    sessionId: string,
    action: unknown,
  ): Promise<{ challengeId: string; options: unknown }>;
  /** Removes one of the signed-in person's passkeys (its sessions end) with a step-up made for it. */
  removeOwnDevice(
    actor: Actor,
    sessionId: string,
    deviceId: string,
    stepUp: StepUpProof | undefined,
  ): Promise<void>;
  /** The live session; session_expired otherwise. */
  sessionInfo(sessionId: string): Promise<SessionInfo>;
  endSession(actor: Actor, sessionId: string): Promise<void>;

  // signals (organisation)
  placeSignal(actor: Actor & { kind: 'organisation' }, input: PlaceSignalInput): Promise<PlacementResult>;
  /**
   * `minimal` (`Prefer: return=minimal`): each placed item's signal as its id only, and no
   * view built for it (docs/engine.md "Batch placement").
   */
  placeSignals(
    actor: Actor & { kind: 'organisation' },
    inputs: readonly PlaceSignalInput[],
    options?: BatchAnswerOptions & { readonly minimal?: false },
  ): Promise<readonly BatchItemResult[]>;
  placeSignals(
    actor: Actor & { kind: 'organisation' },
    inputs: readonly PlaceSignalInput[],
    options: BatchAnswerOptions & { readonly minimal: true },
  ): Promise<readonly BatchItemResult<SignalRef>[]>;
  placeSignals(
    actor: Actor & { kind: 'organisation' },
    inputs: readonly PlaceSignalInput[],
    options: BatchAnswerOptions,
  ): Promise<readonly BatchItemResult<Signal | SignalRef>[]>;
  withdrawSignal(
    actor: Actor & { kind: 'organisation' },
    signalId: string,
    reason: WithdrawReason,
  ): Promise<Signal | null>;
  /** `toPersonId`: the colleague (an active person of the organisation) who becomes the placing person. */
  transferSignals(
    actor: Actor & { kind: 'organisation' },
    signalIds: readonly string[],
    contact: Contact,
    toPersonId?: string,
  ): Promise<number>;
  rectifyContact(
    actor: Actor & { kind: 'organisation' },
    signalId: string,
    contact: Contact,
  ): Promise<Signal>;
  updateInformed(
    actor: Actor & { kind: 'organisation' },
    signalId: string,
    informed: Informed,
  ): Promise<Signal>;
  /**
   * The acting person asks to be handed the signal their placement `requestId` was answered
   * `existing` for (docs/engine.md "Handover requests"). Answers nothing, whatever was found.
   */
  requestHandover(actor: Actor & { kind: 'organisation' }, requestId: string): Promise<void>;
  /** The organisation's open handover requests, oldest first. */
  listHandoverRequests(actor: Actor & { kind: 'organisation' }): Promise<HandoverRequest[]>;
  /** Declines (deletes) the organisation's handover request `id`; its asker is told (below). */
  declineHandoverRequest(actor: Actor & { kind: 'organisation' }, id: string): Promise<void>;
  /** The acting person's requests declined within DECLINE_TERM_MS, newest first; none for the key alone. */
  listHandoverDeclines(actor: Actor & { kind: 'organisation' }): Promise<HandoverDecline[]>;
  getSignal(actor: Actor & { kind: 'organisation' }, signalId: string): Promise<Signal>;
  listSignals(actor: Actor & { kind: 'organisation' }, query: ListSignalsQuery): Promise<Page<Signal>>;
  migrateSignals(
    actor: Actor & { kind: 'organisation' },
    inputs: readonly MigrateSignalInput[],
  ): Promise<readonly BatchItemResult[]>;

  // matches (organisation)
  inbox(
    actor: Actor & { kind: 'organisation' },
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<InboxEvent>>;
  getMatch(actor: Actor & { kind: 'organisation' }, matchId: string): Promise<MatchView>;
  recordContactMade(actor: Actor & { kind: 'organisation' }, matchId: string): Promise<MatchView>;
  /** Records this party's follow-up outcome; a different outcome replaces the earlier one. */
  recordFollowUp(
    actor: Actor & { kind: 'organisation' },
    matchId: string,
    outcome: FollowUpOutcome,
  ): Promise<MatchView>;
  regie(actor: Actor & { kind: 'organisation' }, matchId: string, action: RegieAction): Promise<MatchView>;

  // working together after a match (docs/engine.md "Working together after a match")
  recordConsent(
    actor: Actor & { kind: 'organisation' },
    signalId: string,
    input: ConsentInput,
  ): Promise<Consent>;
  withdrawConsent(actor: Actor & { kind: 'organisation' }, signalId: string): Promise<Consent>;
  getConsent(actor: Actor & { kind: 'organisation' }, signalId: string): Promise<Consent | null>;
  listAgreements(actor: Actor & { kind: 'organisation' }, matchId: string): Promise<readonly AgreementView[]>;
  addAgreement(
    actor: Actor & { kind: 'organisation' },
    matchId: string,
    input: AgreementInput,
  ): Promise<AgreementView>;
  setAgreementStatus(
    actor: Actor & { kind: 'organisation' },
    matchId: string,
    agreementId: string,
    status: AgreementStatus,
  ): Promise<AgreementView>;
  vocabulary(): Vocabulary;
  /** The configured organisation types an admission accepts (EngineConfig.organisationTypes). */
  organisationTypes(): readonly string[];

  // municipality
  /** One page of the follow-up overview, filtered and sorted (docs/engine.md "The follow-up overview at scale"). */
  followUpOverview(query?: FollowUpQuery): Promise<Page<FollowUpOverviewItem>>;
  agreementsOverview(actor: Actor): Promise<readonly AgreementsOverviewItem[]>;
  /**
   * GDPR requests name the person under every active epoch, or with `epochs` 'oprf' — a person
   * without a BSN (docs/protocol.md §2.2) — under every active OPRF epoch and no HMAC epoch.
   */
  gdprAccess(actor: Actor, subject: PersonPseudonyms, epochs?: GdprEpochs): Promise<GdprAccessReport>;
  gdprErase(
    actor: Actor,
    subject: PersonPseudonyms,
    epochs?: GdprEpochs,
  ): Promise<{ signals: number; matches: number; parentLinks: number }>;
  gdprRestrict(
    actor: Actor,
    subject: PersonPseudonyms,
    restricted: boolean,
    epochs?: GdprEpochs,
  ): Promise<GdprChanged>;
  /**
   * Registers an objection (status 'pending', with receivedOn) or its decision
   * (docs/engine.md "Objections"). A bare status is accepted as before: 'pending' then
   * means received today.
   */
  gdprObject(
    actor: Actor,
    subject: PersonPseudonyms,
    objection: ObjectionStatus | ObjectionInput,
    epochs?: GdprEpochs,
  ): Promise<GdprObjectionChanged>;
  runRetention(actor: Actor): Promise<RetentionReport>;
  logbook(fromSeq: number, limit: number): Promise<readonly LogbookEntry[]>;
  verifyLogbook(): Promise<LogbookVerification>;
  statistics(): Promise<Statistics>;
  /** Monthly management information with small-cell suppression (docs/engine.md). */
  managementInformation(actor: Actor, query: MiQuery): Promise<ManagementInformation>;
  /** The archive notices an own signal received (docs/engine.md "Archive notice"). */
  archiveNotices(actor: Actor & { kind: 'organisation' }, signalId: string): Promise<ArchiveNotice[]>;

  // covenant key epochs (docs/keys.md)
  listEpochs(): Promise<readonly EpochRecord[]>;
  /** An HMAC epoch by default; an OPRF epoch with `{ kind: 'oprf', publicKey }` (docs/protocol.md §9). */
  /** A municipality person's session needs a step-up for 'epoch_register' (§10.6); a key none. */
  registerEpoch(
    actor: Actor,
    epoch: number,
    registration?: { readonly kind?: EpochKind; readonly publicKey?: Uint8Array },
    stepUp?: StepUpProof,
  ): Promise<EpochRecord>;
  /**
   * Refused with `epoch_in_use` while active signals have a subject pseudonym under no
   * other active epoch, unless `force`: then those signals are ended ('key_retired').
   */
  retireEpoch(actor: Actor, epoch: number, options?: { readonly force?: boolean }): Promise<EpochRetirement>;
  /** Migration progress per organisation: active signals per epoch (docs/keys.md). */
  epochProgress(): Promise<EpochProgress>;

  // server secret and key review (docs/keys.md)
  /**
   * Starts a server-secret rotation to generation current+1 with `secret` (32 bytes from a
   * CSPRNG, already persisted by the caller). `rotation_in_progress` while one runs.
   */
  beginSecretRotation(actor: Actor, secret: Uint8Array): Promise<SecretRotationStatus>;
  /**
   * Re-keys one bounded batch of a running rotation; `done` when there is nothing left, `step`
   * and `generation` say what it did.
   */
  rekeyBatch(limit?: number): Promise<RekeyBatchResult>;
  secretRotationStatus(): Promise<SecretRotationStatus>;
  /** Logbook entries made with `keyId` in [from, to): a compromised key's placements for review. */
  keyActivity(actor: Actor, keyId: string, from: number, to: number): Promise<KeyActivity>;
  /** Appends an operational key event to the logbook (server-held keys: webhook keys). */
  recordKeyEvent(actor: Actor, action: KeyEventAction, refs: Readonly<Record<string, string>>): Promise<void>;
  /** The logbook's webhook key additions and retirements after seq `afterSeq` (docs/keys.md §4.5). */
  webhookKeyRecord(afterSeq: number): Promise<WebhookKeyRecord>;

  // operations (additions for the server's /metrics and /v1/whoami)
  /** In-process counters since start (Prometheus counters reset with the process). */
  metrics(): EngineMetrics;
  /**
   * Whether the store can serve now (the server's /readyz): not once closed or when the
   * store cannot read, with the reason; never throws (the rule per store: `Store.ready`).
   */
  ready(): Promise<Readiness>;
  /**
   * The sum of `metrics().placementRateAlertsTotal`, without building it: the server asks
   * after every POST whether an alert was raised (docs/performance.md "Eighth pass").
   */
  placementRateAlertsSinceStart(): number;
  /**
   * Runs the background job `fn` unless another run of job `name` holds it, on this
   * instance or another on the same store (docs/engine.md "Storage contract", clause 5);
   * undefined when it did not run.
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined>;
  /**
   * Counts for the /metrics gauges: Statistics without the per-epoch breakdown, read over
   * indexes only. Still O(n): callers refresh it in the background, never per scrape.
   */
  gauges(): Promise<Gauges>;
  /** An organisation's placement budget and today's (UTC) use of it. */
  budgetUsage(organisationId: string): Promise<{ perDay: number; usedToday: number }>;

  close(): Promise<void>;
}
