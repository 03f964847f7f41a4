// The engine's public contract: domain types and the Engine facade the server calls.
// Everything here is free of identifiers: the engine only ever sees client pseudonyms
// (re-keyed before storage, never stored as received), organisation ids and contact
// details of professionals. Times are milliseconds since the Unix epoch (UTC); dates
// without a time are 'YYYY-MM-DD'.

import type { EngineErrorCode } from './errors.js';

// ---------------------------------------------------------------------------
// Shared value types
// ---------------------------------------------------------------------------

/** A client pseudonym as it arrives on the wire (docs/protocol.md §3). */
export interface WirePseudonym {
  readonly epoch: number;
  /** 32 bytes, canonical base64url without padding. */
  readonly value: string;
}

/**
 * One person as the client sends it: one pseudonym per active covenant key epoch
 * (normally one; two during a key rotation's overlap, docs/keys.md).
 */
export type PersonPseudonyms = readonly WirePseudonym[];

/** The professional's contact details: the only data a match reveals. */
export interface Contact {
  /** 1–100 characters. */
  readonly name: string;
  /** 1–100 characters, e.g. "jeugdconsulent". */
  readonly role: string;
  /** 6–20 characters of digits, spaces, +, -, (, ). At least one of phone and email. */
  readonly phone?: string;
  /** At most 254 characters, one @. */
  readonly email?: string;
}

export type InformedStatus = 'citizen' | 'representative' | 'both' | 'not_yet';

/** Attestation that the citizen (12+) and/or legal representative was informed. */
export interface Informed {
  readonly status: InformedStatus;
  /** Required unless status is 'not_yet'; not in the future. */
  readonly date?: string;
}

export type Actor =
  | { readonly kind: 'organisation'; readonly organisationId: string; readonly keyId: string }
  | { readonly kind: 'admin'; readonly keyId: string }
  | { readonly kind: 'system' };

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; absent when there is nothing more right now. */
  readonly nextCursor?: string;
}

// ---------------------------------------------------------------------------
// Organisations and keys (covenant)
// ---------------------------------------------------------------------------

export type OrganisationStatus = 'active' | 'suspended';

export interface Organisation {
  readonly id: string;
  /** 1–200 characters. Revealed to matched parties. */
  readonly name: string;
  /** From the configurable list EngineConfig.organisationTypes. */
  readonly type: string;
  readonly status: OrganisationStatus;
  /** HTTPS URL for match notifications, or null for pull only. */
  readonly webhookUrl: string | null;
  readonly placementBudgetPerDay: number;
  readonly createdAt: number;
}

export type KeyRole = 'organisation' | 'admin';
export type KeyStatus = 'active' | 'revoked';

export interface PublicKeyRecord {
  /** Derived from the public key (docs/protocol.md §5.1). */
  readonly keyId: string;
  readonly role: KeyRole;
  /** Null for admin keys. */
  readonly organisationId: string | null;
  /** 32 bytes, base64url. */
  readonly publicKey: string;
  readonly status: KeyStatus;
  readonly addedAt: number;
  readonly revokedAt: number | null;
}

export interface AdmitOrganisationInput {
  readonly name: string;
  readonly type: string;
  /** 1–2 Ed25519 public keys, base64url. */
  readonly publicKeys: readonly string[];
  readonly webhookUrl?: string | null;
  readonly placementBudgetPerDay?: number;
}

export interface UpdateOrganisationInput {
  readonly webhookUrl?: string | null;
  readonly placementBudgetPerDay?: number;
}

/** Who is calling, as established by Engine.authenticate. */
export type Principal =
  | {
      readonly kind: 'organisation';
      readonly organisationId: string;
      readonly organisationName: string;
      readonly keyId: string;
    }
  | { readonly kind: 'admin'; readonly keyId: string };

export interface SignedRequest {
  /** Upper case. */
  readonly method: string;
  /** Raw path as on the request line. */
  readonly path: string;
  /** Raw query without '?', '' when absent. */
  readonly query: string;
  readonly body: Uint8Array;
  readonly signatureInput: string | undefined;
  readonly signature: string | undefined;
  readonly contentDigest: string | undefined;
}

// ---------------------------------------------------------------------------
// Signals
// ---------------------------------------------------------------------------

export type SignalStatus = 'active' | 'inactive';
/** Why a signal became inactive. 'error' withdrawals are deleted, not archived. */
/** key_retired: ended by a forced retirement of its only covenant key epoch (docs/keys.md). */
export type EndReason = 'ended' | 'expired' | 'erased_by_request' | 'key_retired';
export type WithdrawReason = 'ended' | 'error';

export interface PlaceSignalInput {
  /** Client-chosen UUID; a retry with the same id returns the same signal. */
  readonly requestId: string;
  readonly subject: PersonPseudonyms;
  /** 0–2 parents, for family matching. */
  readonly parents?: readonly PersonPseudonyms[];
  readonly contact: Contact;
  readonly informed: Informed;
  /** Optional client-computed end date (e.g. the 23rd birthday); capped at the active term. */
  readonly endDate?: string;
}

/**
 * A signal as its own organisation sees it. Never shown to other organisations. It has no
 * restriction flag: a restriction is inherited from another organisation's signal for the
 * same person, so showing it would tell the placer that someone else signalled a
 * restricted person (the restriction is a match-time rule, docs/engine.md).
 */
export interface Signal {
  readonly id: string;
  readonly organisationId: string;
  readonly status: SignalStatus;
  readonly contact: Contact;
  readonly informed: Informed;
  readonly placedAt: number;
  /** When it stops being active (end date or active term, whichever is first). */
  readonly expiresAt: number;
  readonly endedAt: number | null;
  readonly endReason: EndReason | null;
  /** When the archived signal is purged; null while active. */
  readonly purgeAt: number | null;
  /** Covenant key epochs the signal has pseudonyms under (migration progress). */
  readonly epochs: readonly number[];
  readonly hasParents: boolean;
}

/**
 * created: a new signal. replayed: same requestId as before, same payload.
 * existing: this organisation already has an active signal for this person (no change).
 */
export type PlacementOutcome = 'created' | 'replayed' | 'existing';

export interface PlacementResult {
  readonly outcome: PlacementOutcome;
  readonly signal: Signal;
}

export type BatchItemResult =
  | { readonly index: number; readonly ok: true; readonly outcome: PlacementOutcome; readonly signal: Signal }
  | {
      readonly index: number;
      readonly ok: false;
      readonly code: EngineErrorCode;
      readonly fields: readonly string[];
    };

export interface ListSignalsQuery {
  readonly status?: SignalStatus;
  readonly cursor?: string;
  /** 1–500, default 100. */
  readonly limit?: number;
}

export interface MigrateSignalInput {
  readonly signalId: string;
  /** The same person under the new epoch(s). */
  readonly subject: PersonPseudonyms;
  readonly parents?: readonly PersonPseudonyms[];
}

// ---------------------------------------------------------------------------
// Matches, inbox, follow-up
// ---------------------------------------------------------------------------

export type MatchKind = 'person' | 'family';
/** active: both signals active. ended: one side inactive (kept while both are archived). */
export type MatchStatus = 'active' | 'ended';

export interface RegieView {
  /** Who holds regie, from the viewer's perspective. */
  readonly holder: 'me' | 'counterpart' | null;
  readonly since: number | null;
  /** An open proposal: who proposed it and for whom. */
  readonly proposal: {
    readonly by: 'me' | 'counterpart';
    readonly for: 'me' | 'counterpart';
    readonly at: number;
  } | null;
}

/** A match as one of its two parties sees it: the other party's contact details and nothing else. */
export interface MatchView {
  readonly id: string;
  readonly kind: MatchKind;
  readonly status: MatchStatus;
  readonly createdAt: number;
  /** The viewer's own signal in this match. */
  readonly ownSignalId: string;
  readonly counterpart: {
    readonly organisationName: string;
    readonly contact: Contact;
  };
  readonly followUp: {
    readonly contactMadeByMe: number | null;
    readonly contactMadeByCounterpart: number | null;
  };
  readonly regie: RegieView;
  /**
   * Whether the citizen consented to coordination (docs/engine.md "Working together").
   * Scopes only: the date and the form reference of a consent are never shown to the
   * counterpart.
   */
  readonly coordination: CoordinationView;
}

export type InboxEventType =
  | 'match.created'
  /** The counterpart's contact changed (transfer, rectification) or follow-up/regie changed. */
  | 'match.updated'
  /** One of the signals became inactive; the match stays readable as historic. */
  | 'match.ended'
  /** Deleted: a signal was withdrawn as 'error', erased, or purged. No details remain. */
  | 'match.removed';

export interface InboxEvent {
  /** Opaque, strictly increasing per organisation; pass it back as the cursor. */
  readonly cursor: string;
  readonly type: InboxEventType;
  readonly at: number;
  readonly matchId: string;
  /** The match's current view; null when removed. */
  readonly match: MatchView | null;
}

export type RegieAction =
  /** Propose that `for` holds regie. */
  | { readonly action: 'propose'; readonly for: 'me' | 'counterpart' }
  /** Accept the counterpart's open proposal. */
  | { readonly action: 'accept' }
  /** Decline the counterpart's open proposal. */
  | { readonly action: 'decline' }
  /** The holder hands regie to the counterpart (recorded; no acceptance needed). */
  | { readonly action: 'handover' };

export interface FollowUpOverviewItem {
  readonly matchId: string;
  readonly kind: MatchKind;
  readonly status: MatchStatus;
  readonly createdAt: number;
  readonly parties: readonly {
    readonly organisationId: string;
    readonly organisationName: string;
    readonly signalId: string;
    readonly contactMadeAt: number | null;
  }[];
  readonly regie: { readonly organisationId: string | null; readonly since: number | null };
  /** True when no party recorded contact within noContactAfterDays. */
  readonly overdue: boolean;
}

// ---------------------------------------------------------------------------
// Working together after a match: consent, agreements (issue 7)
// ---------------------------------------------------------------------------

/** What the citizen (or legal representative) consented to. A fixed list, not configurable. */
export type ConsentScope = 'team_meeting' | 'share_with_matched';
export const CONSENT_SCOPES: readonly ConsentScope[] = Object.freeze(['team_meeting', 'share_with_matched']);

export interface ConsentInput {
  /** The day the consent was given ('YYYY-MM-DD', not in the future). */
  readonly date: string;
  /** 1–2 distinct scopes. */
  readonly scopes: readonly ConsentScope[];
  /**
   * Optional opaque reference to the signed form in the organisation's own files:
   * 1–64 of [A-Za-z0-9._/-], no run of 8 or more digits (it must not be able to hold a
   * BSN or a sentence). Stored; shown only to the organisation that recorded it.
   */
  readonly formReference?: string;
}

/** A signal's consent as its own organisation sees it. */
export interface Consent {
  readonly signalId: string;
  /** given: current; withdrawn: the citizen withdrew it (kept as a fact, without effect). */
  readonly status: 'given' | 'withdrawn';
  readonly date: string;
  readonly scopes: readonly ConsentScope[];
  readonly formReference: string | null;
  readonly recordedAt: number;
  readonly withdrawnAt: number | null;
}

/** The coordination status of a match from the viewer's perspective. */
export interface CoordinationView {
  /** 'consented' when at least one side holds a current consent; otherwise 'anonymous'. */
  readonly status: 'anonymous' | 'consented';
  /** Scopes of the current consent on the viewer's signal (empty: none). */
  readonly myScopes: readonly ConsentScope[];
  /** Scopes of the current consent on the counterpart's signal (empty: none). */
  readonly counterpartScopes: readonly ConsentScope[];
}

export type AgreementStatus = 'open' | 'done' | 'cancelled';

/**
 * One process agreement: who does what, with which kind of information, for which
 * purpose, by when. Every field is a code from a list the municipality configures:
 * there is no free-text field at all (docs/engine.md "Why no free text").
 */
export interface AgreementInput {
  readonly owner: 'me' | 'counterpart';
  /** From EngineConfig.agreementActionKinds. */
  readonly actionKind: string;
  /** From EngineConfig.agreementInformationCategories. */
  readonly informationCategory: string;
  /** From EngineConfig.agreementPurposes. */
  readonly purpose: string;
  /** 'YYYY-MM-DD', today or later. */
  readonly dueDate: string;
}

export interface AgreementView {
  readonly id: string;
  readonly owner: 'me' | 'counterpart';
  readonly actionKind: string;
  readonly informationCategory: string;
  readonly purpose: string;
  readonly dueDate: string;
  /** The latest status update (an agreement starts 'open'). */
  readonly status: AgreementStatus;
  readonly createdAt: number;
  readonly createdBy: 'me' | 'counterpart';
  /** Every status update, oldest first (append-only). */
  readonly history: readonly {
    readonly status: AgreementStatus;
    readonly at: number;
    readonly by: 'me' | 'counterpart';
  }[];
}

/** What the municipality sees of the agreements: counts and overdue items, never the lists. */
export interface AgreementsOverviewItem {
  readonly matchId: string;
  readonly matchStatus: MatchStatus;
  readonly counts: {
    readonly total: number;
    readonly open: number;
    readonly done: number;
    readonly cancelled: number;
    readonly overdue: number;
  };
  /** Open agreements past their due date: which one, by when, whose — not what. */
  readonly overdue: readonly {
    readonly agreementId: string;
    readonly dueDate: string;
    readonly ownerOrganisationId: string | null;
  }[];
}

/** The configured code lists, so clients can offer them (and render them in words). */
export interface Vocabulary {
  readonly consentScopes: readonly ConsentScope[];
  readonly actionKinds: readonly string[];
  readonly informationCategories: readonly string[];
  readonly purposes: readonly string[];
}

// ---------------------------------------------------------------------------
// GDPR (municipality only)
// ---------------------------------------------------------------------------

export interface GdprAccessReport {
  readonly signals: readonly {
    readonly signalId: string;
    readonly organisationId: string;
    readonly organisationName: string;
    readonly status: SignalStatus;
    readonly placedAt: number;
    readonly expiresAt: number;
    readonly endedAt: number | null;
    readonly purgeAt: number | null;
    readonly informed: Informed;
    readonly restricted: boolean;
    readonly objection: ObjectionStatus | null;
  }[];
  readonly matches: readonly {
    readonly matchId: string;
    readonly kind: MatchKind;
    readonly status: MatchStatus;
    readonly createdAt: number;
    readonly organisationNames: readonly [string, string];
  }[];
}

export type ObjectionStatus = 'pending' | 'upheld' | 'rejected';

// ---------------------------------------------------------------------------
// Retention, logbook, statistics
// ---------------------------------------------------------------------------

export interface RetentionReport {
  readonly expired: number;
  readonly purgedSignals: number;
  readonly purgedMatches: number;
  readonly ranAt: number;
}

export interface LogbookEntry {
  readonly seq: number;
  readonly at: number;
  readonly actor: Actor;
  /** e.g. 'signal.placed', 'match.created', 'match.revealed', 'organisation.suspended'. */
  readonly action: string;
  /** Ids only: signalId, matchId, organisationId, keyId, requestId. Never pseudonyms or contact details. */
  readonly refs: Readonly<Record<string, string>>;
  /** Codes and counts only. */
  readonly details: Readonly<Record<string, string | number | boolean>>;
  /** Hex SHA-256 of the previous entry ('' for the first). */
  readonly prevHash: string;
  /** Hex SHA-256(prevHash ‖ canonical JSON of the entry without hashes). */
  readonly hash: string;
}

export interface LogbookVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly headHash: string;
  /** First sequence number that fails, when not ok. */
  readonly firstBadSeq?: number;
}

export interface Statistics {
  readonly organisations: { readonly active: number; readonly suspended: number };
  readonly signals: { readonly active: number; readonly inactive: number };
  readonly matches: { readonly active: number; readonly ended: number; readonly family: number };
  /** Active signals per covenant key epoch (migration progress), per organisation. */
  readonly epochs: readonly {
    readonly organisationId: string;
    readonly epoch: number;
    readonly activeSignals: number;
  }[];
}

// ---------------------------------------------------------------------------
// The facade
// ---------------------------------------------------------------------------

/**
 * All writes go through one writer that commits concurrent operations together
 * (group commit, docs/engine.md): a returned promise resolves only after the
 * operation is durable. Every method throws EngineError on refusal; a refused
 * call changes nothing.
 */
export interface Engine {
  // authentication (docs/protocol.md §5.4)
  authenticate(request: SignedRequest): Promise<Principal>;

  // organisations (admin)
  admitOrganisation(actor: Actor, input: AdmitOrganisationInput): Promise<Organisation>;
  getOrganisation(id: string): Promise<Organisation>;
  listOrganisations(): Promise<readonly Organisation[]>;
  updateOrganisation(actor: Actor, id: string, input: UpdateOrganisationInput): Promise<Organisation>;
  suspendOrganisation(actor: Actor, id: string): Promise<Organisation>;
  reinstateOrganisation(actor: Actor, id: string): Promise<Organisation>;
  addKey(actor: Actor, organisationId: string | null, publicKey: string): Promise<PublicKeyRecord>;
  revokeKey(actor: Actor, keyId: string): Promise<PublicKeyRecord>;
  listKeys(organisationId: string | null): Promise<readonly PublicKeyRecord[]>;

  // signals (organisation)
  placeSignal(actor: Actor & { kind: 'organisation' }, input: PlaceSignalInput): Promise<PlacementResult>;
  placeSignals(
    actor: Actor & { kind: 'organisation' },
    inputs: readonly PlaceSignalInput[],
  ): Promise<readonly BatchItemResult[]>;
  withdrawSignal(
    actor: Actor & { kind: 'organisation' },
    signalId: string,
    reason: WithdrawReason,
  ): Promise<Signal | null>;
  transferSignals(
    actor: Actor & { kind: 'organisation' },
    signalIds: readonly string[],
    contact: Contact,
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
  regie(actor: Actor & { kind: 'organisation' }, matchId: string, action: RegieAction): Promise<MatchView>;

  // working together after a match (issue 7)
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

  // municipality
  followUpOverview(noContactAfterDays: number): Promise<readonly FollowUpOverviewItem[]>;
  agreementsOverview(actor: Actor): Promise<readonly AgreementsOverviewItem[]>;
  gdprAccess(actor: Actor, subject: PersonPseudonyms): Promise<GdprAccessReport>;
  gdprErase(actor: Actor, subject: PersonPseudonyms): Promise<{ signals: number; matches: number }>;
  gdprRestrict(actor: Actor, subject: PersonPseudonyms, restricted: boolean): Promise<{ signals: number }>;
  gdprObject(actor: Actor, subject: PersonPseudonyms, status: ObjectionStatus): Promise<{ signals: number }>;
  runRetention(actor: Actor): Promise<RetentionReport>;
  logbook(fromSeq: number, limit: number): Promise<readonly LogbookEntry[]>;
  verifyLogbook(): Promise<LogbookVerification>;
  statistics(): Promise<Statistics>;

  // covenant key epochs (docs/keys.md)
  listEpochs(): Promise<readonly EpochRecord[]>;
  registerEpoch(actor: Actor, epoch: number): Promise<EpochRecord>;
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
  /** Re-keys one bounded batch of a running rotation; `done` when there is nothing left. */
  rekeyBatch(limit?: number): Promise<{ readonly done: boolean; readonly completed: boolean }>;
  secretRotationStatus(): Promise<SecretRotationStatus>;
  /** Logbook entries made with `keyId` in [from, to): a compromised key's placements for review. */
  keyActivity(actor: Actor, keyId: string, from: number, to: number): Promise<KeyActivity>;
  /** Appends an operational key event to the logbook (server-held keys: webhook keys). */
  recordKeyEvent(actor: Actor, action: KeyEventAction, refs: Readonly<Record<string, string>>): Promise<void>;

  // webhook outbox, drained by the server's delivery worker
  dueDeliveries(limit: number): Promise<readonly Delivery[]>;
  recordDeliveryAttempt(
    deliveryId: string,
    result: { ok: true } | { ok: false; code: string },
  ): Promise<void>;
  listDeliveries(query: { status?: DeliveryStatus; limit?: number }): Promise<readonly Delivery[]>;

  // operations (additions for the server's /metrics and /v1/whoami)
  /** In-process counters since start (Prometheus counters reset with the process). */
  metrics(): EngineMetrics;
  /**
   * Counts for the /metrics gauges: Statistics without the per-epoch breakdown, read over
   * indexes only. Still O(n): callers refresh it in the background, never per scrape.
   */
  gauges(): Promise<Gauges>;
  /** An organisation's placement budget and today's (UTC) use of it. */
  budgetUsage(organisationId: string): Promise<{ perDay: number; usedToday: number }>;

  close(): Promise<void>;
}

export type Gauges = Pick<Statistics, 'organisations' | 'signals' | 'matches'>;

export interface EngineMetrics {
  /** Created placements since start, by organisation id (sluis_placements_total). */
  readonly placementsTotal: Readonly<Record<string, number>>;
  /** alert.placement_rate entries since start, by organisation id (sluis_placement_rate_alerts_total). */
  readonly placementRateAlertsTotal: Readonly<Record<string, number>>;
  /** Durable commits of the single writer (one per group-commit batch). */
  readonly commits: number;
  /** Write operations committed / rolled back alone. */
  readonly writeOperations: number;
  readonly failedWriteOperations: number;
  /** Nonces remembered for replay protection. */
  readonly nonceCacheSize: number;
}

export type EpochStatus = 'active' | 'retired';

export interface EpochRecord {
  readonly epoch: number;
  readonly status: EpochStatus;
  readonly registeredAt: number;
  readonly retiredAt: number | null;
}

export interface EpochRetirement {
  readonly epoch: EpochRecord;
  readonly storedPseudonymsDeleted: number;
  /** Active signals ended with reason 'key_retired' (forced retirement only). */
  readonly signalsEnded: number;
  /** Archived signals left without any subject pseudonym: unlinkable, purged on schedule. */
  readonly archivedUnlinked: number;
  readonly organisations: readonly {
    readonly organisationId: string;
    readonly signalsEnded: number;
    readonly archivedUnlinked: number;
  }[];
}

export interface EpochProgress {
  readonly epochs: readonly EpochRecord[];
  readonly organisations: readonly {
    readonly organisationId: string;
    readonly organisationName: string;
    readonly activeSignals: number;
    /** Active signals with a subject pseudonym under each epoch. */
    readonly byEpoch: readonly { readonly epoch: number; readonly activeSignals: number }[];
    /**
     * Per active epoch: active signals that retiring it would end (no subject pseudonym
     * under any other active epoch). Zero for every epoch but one = fully migrated.
     */
    readonly stranded: readonly { readonly epoch: number; readonly activeSignals: number }[];
  }[];
}

export interface SecretRotationStatus {
  /** The generation new rows are written at. */
  readonly generation: number;
  /** The latest rotation, null when the secret was never rotated. */
  readonly rotation: {
    readonly generation: number;
    readonly status: 'running' | 'completed';
    readonly startedAt: number;
    readonly completedAt: number | null;
    readonly signalsTotal: number;
    readonly signalsDone: number;
    readonly rowsRekeyed: number;
    readonly pendingCatchUps: number;
  } | null;
}

export interface KeyActivity {
  readonly keyId: string;
  readonly from: number;
  readonly to: number;
  /** Signals placed with the key in the window, with what became of them. */
  readonly placements: readonly {
    readonly signalId: string;
    readonly at: number;
    readonly seq: number;
    readonly status: 'active' | 'inactive' | 'deleted';
  }[];
  /** Every logbook entry made with the key in the window (ids, codes, counts only). */
  readonly entries: readonly LogbookEntry[];
  /** True when more than the returned maximum matched. */
  readonly truncated: boolean;
}

export type KeyEventAction = 'webhook_key.added' | 'webhook_key.signing' | 'webhook_key.retired';

export type DeliveryStatus = 'pending' | 'delivered';

/**
 * A webhook notification waiting in the persisted outbox. The payload names only the
 * event type, the match id and the inbox cursor: the receiver fetches details through
 * its authenticated inbox, so no contact detail ever travels in a webhook body.
 */
export interface Delivery {
  readonly id: string;
  readonly organisationId: string;
  readonly url: string;
  readonly payload: { readonly type: InboxEventType; readonly matchId: string; readonly cursor: string };
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastErrorCode: string | null;
  readonly createdAt: number;
  readonly deliveredAt: number | null;
}

// ---------------------------------------------------------------------------
// Construction (implemented in engine.ts and store/sqlite/*)
// ---------------------------------------------------------------------------

export type RegieRule = 'first_signaller' | 'none' | 'organisation_type';
export const REGIE_RULES: readonly RegieRule[] = Object.freeze([
  'first_signaller',
  'none',
  'organisation_type',
]);

export interface EngineConfig {
  /** Days a signal stays active at most; default and maximum 730 (2 years). */
  readonly activeTermDays: number;
  /** Days an inactive signal is archived before purge; default 1826, at most 1827 (5 years, Jeugdwet). */
  readonly archiveTermDays: number;
  /** Match signals of the same organisation (different professionals); default false. */
  readonly sameOrganisationMatching: boolean;
  /**
   * Covenant rule for regie on a new match; default 'first_signaller'. 'organisation_type':
   * the party whose organisation type ranks highest in regieOrganisationTypes leads (a tie
   * or two unlisted types fall back to the first signaller). 'none' leaves it open.
   */
  readonly regieRule: RegieRule;
  /** Organisation types in order of precedence for regieRule 'organisation_type'. */
  readonly regieOrganisationTypes: readonly string[];
  /** Action kinds of process agreements (codes, [a-z][a-z0-9_]*). */
  readonly agreementActionKinds: readonly string[];
  /** Kinds of information an agreement works with. */
  readonly agreementInformationCategories: readonly string[];
  /** Purposes of process agreements. */
  readonly agreementPurposes: readonly string[];
  /** Allowed organisation types. */
  readonly organisationTypes: readonly string[];
  /** Budget of placements per organisation per UTC day unless set per organisation; default 1000. */
  readonly defaultPlacementBudgetPerDay: number;
  /** Placements in one hour above which an anomaly alert is logged; default 200. */
  readonly placementAlertPerHour: number;
  /** Accepted clock skew of signed requests in seconds; default and maximum 300. */
  readonly clockSkewSeconds: number;
  /**
   * TEST ONLY: also accept `http://` webhook URLs whose host is 127.0.0.1, [::1] or
   * localhost, so end-to-end tests can run a receiver on loopback. Default false; the
   * server refuses to enable it when NODE_ENV=production.
   */
  readonly allowLoopbackHttpWebhooks: boolean;
}

/** Milliseconds since the Unix epoch. Injected so tests can move time. */
export type Clock = () => number;
/** n bytes from a CSPRNG. Injected so tests can be deterministic. */
export type RandomSource = (n: number) => Uint8Array;
