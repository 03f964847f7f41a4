// The row types of the narrow Store interface (store.ts): the values the domain reads and
// writes, as every implementation must round-trip them. Rows hold internal rids, public
// ids, stored (server re-keyed) pseudonyms and professionals' contact details — never a
// client pseudonym as received.

import type {
  AgreementStatus,
  ConsentScope,
  Contact,
  DeliveryStatus,
  EndReason,
  EpochKind,
  EpochStatus,
  FollowUpOutcome,
  InboxEventType,
  Informed,
  KeyRole,
  KeyStatus,
  LegalBasis,
  MailNoticeStatus,
  MatchKind,
  MatchStatus,
  ObjectionStatus,
  OrganisationStatus,
  PersonRole,
  PersonStatus,
  SignalStatus,
} from '../api.js';

/** Internal row ids (`rid`) never leave the engine; public ids are random UUIDs. */
export interface OrganisationRow {
  readonly rid: number;
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly status: OrganisationStatus;
  readonly webhookUrl: string | null;
  readonly placementBudgetPerDay: number;
  readonly createdAt: number;
  /**
   * Opted in to the match notice e-mail to its professionals (docs/engine.md "Match
   * notice e-mail"); false for every organisation admitted before schema step 13.
   */
  readonly matchEmail: boolean;
}

/** An organisation to insert: `matchEmail` defaults to false (not opted in). */
export type NewOrganisation = Omit<OrganisationRow, 'rid' | 'matchEmail'> & { readonly matchEmail?: boolean };

export interface KeyRow {
  readonly keyId: string;
  readonly role: KeyRole;
  readonly organisationRid: number | null;
  readonly organisationId: string | null;
  readonly publicKey: Uint8Array;
  readonly status: KeyStatus;
  readonly addedAt: number;
  readonly revokedAt: number | null;
}

/** A person of an organisation (organisationRid set) or of the municipality (null). */
export interface PersonRow {
  readonly rid: number;
  readonly id: string;
  readonly organisationRid: number | null;
  /** The organisation's public id (joined on read); null for the municipality. */
  readonly organisationId: string | null;
  readonly displayName: string;
  readonly email: string | null;
  /** Non-empty, without duplicates, in PERSON_ROLES order. */
  readonly roles: readonly PersonRole[];
  readonly status: PersonStatus;
  readonly createdAt: number;
  readonly removedAt: number | null;
}

export type NewPerson = Omit<PersonRow, 'rid' | 'organisationId'>;
export type PersonPatch = Partial<Pick<PersonRow, 'roles' | 'status' | 'removedAt' | 'email'>>;

export interface SignalRow {
  readonly rid: number;
  readonly id: string;
  readonly organisationRid: number;
  readonly status: SignalStatus;
  readonly endReason: EndReason | null;
  readonly contact: Contact;
  readonly informed: Informed;
  readonly placedAt: number;
  readonly expiresAt: number;
  readonly endedAt: number | null;
  readonly purgeAt: number | null;
  readonly restricted: boolean;
  readonly objection: ObjectionStatus | null;
  readonly hasParents: boolean;
  /** How many parents (0-2) the placement named: bounds what a key-epoch migration may add. */
  readonly parentsAtPlacement: number;
  /** The signal's legal basis (docs/engine.md "Legal basis"); jeugdwet for rows placed before it was recorded. */
  readonly legalBasis: LegalBasis;
  /**
   * The pending objection came from another signal of the person at placement, not from
   * the desk's registration on this one: it restricts, but is never shown to the placer
   * (that would tell it the person has another signal; docs/engine.md "Objections").
   */
  readonly objectionInherited: boolean;
  /** Client-chosen UUID of the placement (idempotency). */
  readonly requestId: string;
  /**
   * Keyed HMAC of the canonical placement input, re-keyed with every server-secret
   * generation (protocol/labels.ts): 8 bytes, 16 for signals placed before schema step 6.
   */
  readonly requestHash: Uint8Array;
  /**
   * The person (people.rid) who placed the signal when a person acted (on behalf, or by a
   * session), else null; null again after a transfer (docs/engine.md "Match notice
   * e-mail"). Only the match notice e-mail reads it.
   */
  readonly personRid: number | null;
}

/** A signal to insert: `personRid` defaults to null (placed by an organisation key alone). */
export type NewSignal = Omit<SignalRow, 'rid' | 'personRid'> & { readonly personRid?: number | null };
/**
 * A signal and its stored pseudonyms, inserted together by `insertPlacements` (the batch
 * path, docs/engine.md "Batch placement").
 */
export interface NewPlacement {
  readonly signal: NewSignal;
  readonly pseudonyms: readonly Omit<StoredPseudonymRow, 'signalRid'>[];
}
export type SignalPatch = Partial<
  Pick<
    SignalRow,
    | 'status'
    | 'endReason'
    | 'contact'
    | 'informed'
    | 'expiresAt'
    | 'endedAt'
    | 'purgeAt'
    | 'restricted'
    | 'objection'
    | 'objectionInherited'
    | 'hasParents'
    | 'personRid'
  >
>;

/**
 * The one-time notice from the historic archive (docs/engine.md "Archive notice"): at most
 * one per (archived signal, new signaller's organisation), kept while the archived signal
 * is, so the pair is never noticed twice even after the new signal is gone.
 */
export interface ArchiveNoticeRow {
  /** Public UUID of the notice. */
  readonly id: string;
  readonly archivedSignalRid: number;
  /** The new signaller's organisation: the only party that is told. */
  readonly organisationRid: number;
  /** The new signal the notice was given for; null once that signal is deleted. */
  readonly signalRid: number | null;
  readonly at: number;
}

/**
 * One counter of the management information (docs/engine.md "Management information"):
 * `value` events of `metric` (STATISTIC_METRICS) in calendar month `month` (yyyymm, UTC)
 * for organisations of type `organisationType`. Only ever incremented.
 */
export interface StatisticRow {
  readonly month: number;
  readonly organisationType: string;
  readonly metric: number;
  readonly value: number;
}

export type PseudonymRole = 'subject' | 'parent';

/** A stored (server re-keyed) pseudonym: 32 bytes. Never a client pseudonym. */
export interface StoredPseudonymRow {
  readonly stored: Uint8Array;
  readonly signalRid: number;
  readonly epoch: number;
  readonly generation: number;
  readonly role: PseudonymRole;
}

export type Side = 'a' | 'b';

export interface MatchRow {
  readonly rid: number;
  readonly id: string;
  readonly kind: MatchKind;
  readonly status: MatchStatus;
  /** Signal rids with a < b: the unique pair. */
  readonly a: number;
  readonly b: number;
  readonly createdAt: number;
  readonly endedAt: number | null;
  /**
   * When side a (b) recorded its follow-up outcome, and which one (docs/engine.md
   * "Follow-up outcomes"). Named for the first outcome there was: the time is set for
   * every outcome, and both are null together.
   */
  readonly contactMadeA: number | null;
  readonly contactMadeB: number | null;
  readonly outcomeA: FollowUpOutcome | null;
  readonly outcomeB: FollowUpOutcome | null;
  readonly regieHolder: Side | null;
  readonly regieSince: number | null;
  readonly proposalBy: Side | null;
  readonly proposalFor: Side | null;
  readonly proposalAt: number | null;
}

export type NewMatch = Omit<MatchRow, 'rid'>;

/**
 * One page request of the follow-up overview (store `followUpPage`). The walk: the matches
 * of `status` within createdFrom..createdTo, in (createdAt, id) order — ascending or
 * descending — strictly after `after` in that order, the first `scan` of them. Of those,
 * the rows every other non-null filter holds for (AND), at most `limit` of them.
 */
export interface FollowUpPageQuery {
  readonly status: MatchStatus;
  /** Inclusive bounds on createdAt. */
  readonly createdFrom: number | null;
  readonly createdTo: number | null;
  /** true: outcomeA and outcomeB both null; false: at least one set. */
  readonly withoutOutcome: boolean | null;
  /** outcomeA or outcomeB equals it. */
  readonly outcome: FollowUpOutcome | null;
  /** The organisation of signal a or of signal b has this type. */
  readonly organisationType: string | null;
  readonly order: 'asc' | 'desc';
  /** Keyset position: the last row of the previous page. `id` compares as the 16 UUID bytes (= lower-case text order). */
  readonly after: FollowUpPosition | null;
  readonly limit: number;
  /**
   * At most this many matches are examined (docs/performance.md "Follow-up overview"): a
   * page's cost is bounded whatever the filters let through.
   */
  readonly scan: number;
}

/** A keyset position in the follow-up order. */
export interface FollowUpPosition {
  readonly createdAt: number;
  readonly id: string;
}

/** One page from the store (`followUpPage`). */
export interface FollowUpPage {
  readonly rows: FollowUpRow[];
  /**
   * Set when fewer than `limit` rows passed and the walk stopped at `scan` matches with
   * more to come: the position of the last match examined, where the next page starts.
   */
  readonly scannedTo: FollowUpPosition | null;
}

/** One party of a follow-up row: its signal and organisation (absent when either is gone). */
export interface FollowUpParty {
  readonly signalId: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly organisationType: string;
}

export interface FollowUpRow {
  readonly match: MatchRow;
  readonly a: FollowUpParty | null;
  readonly b: FollowUpParty | null;
}
export type MatchPatch = Partial<Omit<MatchRow, 'rid' | 'id' | 'a' | 'b' | 'kind' | 'createdAt'>>;

/** The current consent of a signal (one per signal; a new recording replaces it). */
export interface ConsentRow {
  readonly signalRid: number;
  /** 'YYYY-MM-DD'. */
  readonly date: string;
  readonly scopes: readonly ConsentScope[];
  /** Opaque reference to the signed form in the organisation's own files. */
  readonly formReference: string | null;
  readonly recordedAt: number;
  readonly withdrawnAt: number | null;
}

/**
 * One entry of a match's append-only agreements list: an agreement (`kind` 'agreement',
 * with owner, codes and due date) or a status update of one (`kind` 'status'). There
 * is no update or single-entry delete: entries go only with their match.
 */
export interface AgreementEntryRow {
  readonly matchRid: number;
  /** 1, 2, … per match, in append order. */
  readonly seq: number;
  readonly kind: 'agreement' | 'status';
  /** The agreement's public id (for a status update: the agreement it updates). */
  readonly agreementId: string;
  /** Which signal side owns the action (agreements only). */
  readonly owner: Side | null;
  readonly actionKind: string | null;
  readonly informationCategory: string | null;
  readonly purpose: string | null;
  /** 'YYYY-MM-DD' (agreements only). */
  readonly dueDate: string | null;
  /** The new status (status updates only). */
  readonly status: AgreementStatus | null;
  /** Which side appended the entry. */
  readonly bySide: Side;
  readonly at: number;
}

export interface EventRow {
  /** The organisation's own event number (its inbox cursor): 1, 2, … per organisation, never reused. */
  readonly cursor: number;
  readonly organisationRid: number;
  readonly type: InboxEventType;
  readonly matchId: string;
  readonly at: number;
}

export interface DeliveryRow {
  readonly id: string;
  readonly organisationRid: number;
  readonly organisationId: string;
  readonly url: string;
  readonly type: InboxEventType;
  readonly matchId: string;
  readonly cursor: number;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastErrorCode: string | null;
  readonly createdAt: number;
  readonly deliveredAt: number | null;
  /** The claim it is being sent under (a random UUID per claim), or null (store.ts clause 5). */
  readonly claim: string | null;
  /** When that claim's lease ends (ms); the row may be claimed again from then on. */
  readonly claimedUntil: number | null;
}

export type NewDelivery = Omit<DeliveryRow, 'organisationId' | 'claim' | 'claimedUntil'>;

/**
 * A claim on outbox rows (webhook deliveries, match notices): a random token and the end
 * of its lease. Rows claimed under it are sent by its holder alone until the lease ends.
 */
export interface OutboxClaim {
  readonly token: string;
  readonly until: number;
}

/**
 * One match notice e-mail in the persisted outbox (docs/engine.md "Match notice e-mail"):
 * to a person, about a match. It holds no address and no text: the address is read from
 * the person at send time, and the message says only that there is a new match.
 */
export interface MailNoticeRow {
  readonly id: string;
  readonly personRid: number;
  /** The person's public id (joined on read). */
  readonly personId: string;
  readonly matchId: string;
  readonly status: MailNoticeStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  /** A stable code (e.g. smtp_unavailable, no_email_address); never server text. */
  readonly lastErrorCode: string | null;
  readonly createdAt: number;
  /** When it was sent or dropped; null while pending. */
  readonly doneAt: number | null;
  /** The claim it is being sent under, or null (as DeliveryRow.claim). */
  readonly claim: string | null;
  readonly claimedUntil: number | null;
}

export type NewMailNotice = Omit<MailNoticeRow, 'personId' | 'claim' | 'claimedUntil'>;
export type MailNoticePatch = Pick<
  MailNoticeRow,
  'status' | 'attempts' | 'nextAttemptAt' | 'lastErrorCode' | 'doneAt'
>;

/** A logbook row as stored: prevHash is the previous row's hash and is not stored twice. */
export interface LogRow {
  readonly seq: number;
  readonly at: number;
  /** Canonical JSON of the actor, refs and details. */
  readonly actor: string;
  readonly action: string;
  readonly refs: string;
  readonly details: string;
  /** 32 bytes. */
  readonly hash: Uint8Array;
}

/** The newest entry's seq and hash: all an append chains onto (its text is not read). */
export type LogHead = Pick<LogRow, 'seq' | 'hash'>;

/**
 * The logbook head together with the store's server-secret generation (the newest in the
 * rotation records, 1 when there is none), read in one statement under the logbook section:
 * the fence that keeps an instance from writing at a generation another instance has moved
 * past (docs/engine.md "Storage contract", clause 5).
 */
export interface LogbookHead {
  readonly last: LogHead | undefined;
  readonly secretGeneration: number;
}

/**
 * The newest purged logbook entry (docs/engine.md "Logbook retention"): its seq, time and
 * hash, from which verification and the export continue (entry seq + 1's prevHash).
 */
export type LogCheckpoint = Pick<LogRow, 'seq' | 'at' | 'hash'>;

export interface EpochRow {
  readonly epoch: number;
  readonly status: EpochStatus;
  /**
   * Fixed at registration (docs/protocol.md §7): 'hmac' (a shared covenant key, §3) or
   * 'oprf' (a key held by the pseudonym service only, §9). Rows written before the kind
   * existed read as 'hmac'. The kind changes nothing in storage or matching: both give
   * 32-byte client pseudonyms that are re-keyed alike (§4).
   */
  readonly kind: EpochKind;
  /** 'oprf' epochs: the service's 32-byte ristretto255 public key; 'hmac': null. */
  readonly publicKey: Uint8Array | null;
  readonly registeredAt: number;
  readonly retiredAt: number | null;
}

/**
 * One server-secret rotation to `generation` (docs/keys.md): signals with rid ≤
 * maxSignalRid were placed before it began and are re-keyed in rid order; cursorRid is
 * how far the background job got (persisted with each batch, so it resumes after a crash).
 */
export interface SecretRotationRow {
  readonly generation: number;
  readonly startedAt: number;
  readonly completedAt: number | null;
  readonly maxSignalRid: number;
  readonly cursorRid: number;
  readonly rowsRekeyed: number;
  readonly hashesRekeyed: number;
}

/** Per organisation: signals that would be left without a subject pseudonym. */
export interface EpochDependants {
  readonly organisationId: string;
  readonly active: number;
  readonly inactive: number;
}

export interface NonceRow {
  readonly keyId: string;
  readonly nonce: string;
  readonly expiresAt: number;
}

export interface PlacementHourRow {
  readonly count: number;
  readonly alerted: boolean;
}

export interface StoreCounts {
  readonly organisations: { readonly active: number; readonly suspended: number };
  readonly signals: { readonly active: number; readonly inactive: number };
  readonly matches: { readonly active: number; readonly ended: number; readonly family: number };
  readonly epochs: readonly {
    readonly organisationId: string;
    readonly epoch: number;
    readonly activeSignals: number;
  }[];
}

// --- sign-in (docs/protocol.md §10) ---------------------------------------------------------

/** A person's one outstanding enrolment code: its selector and SHA-256 of its verifier (§10.1). */
export interface EnrolmentCodeRow {
  readonly personRid: number;
  /** The person's public id (joined on read). */
  readonly personId: string;
  readonly selector: string;
  /** 32 bytes; the verifier itself is never stored. */
  readonly verifierHash: Uint8Array;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** A registered passkey (a "device"). Only its public key is held. */
export interface DeviceRow {
  readonly rid: number;
  /** Public id (a UUID). */
  readonly id: string;
  readonly personRid: number;
  /** The person's public id (joined on read). */
  readonly personId: string;
  /** The WebAuthn credential id, base64url. */
  readonly credentialId: string;
  /** The COSE public key as the authenticator gave it. */
  readonly publicKey: Uint8Array;
  /** The last signature counter seen (0: the authenticator keeps none). */
  readonly counter: number;
  readonly name: string;
  readonly transports: readonly string[];
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}
export type NewDevice = Omit<DeviceRow, 'rid' | 'personId'>;
export type NewEnrolmentCode = Omit<EnrolmentCodeRow, 'personId'>;

export type ChallengePurpose = 'enrol' | 'sign_in' | 'add_device';

/** A WebAuthn challenge handed out and not yet answered (single use, short-lived). */
export interface ChallengeRow {
  readonly id: string;
  readonly purpose: ChallengePurpose;
  /** base64url of the challenge bytes the authenticator signs over. */
  readonly challenge: string;
  /** The person it was issued for (enrol, add_device); null for sign-in (discoverable). */
  readonly personRid: number | null;
  /** Sign-in: the 32-byte Ed25519 session key the challenge commits to (§10.3). */
  readonly sessionKey: Uint8Array | null;
  readonly expiresAt: number;
}

/** A signed-in session: its Ed25519 public key signs every request (§10.4). */
export interface SessionRow {
  /** The request key id of the session (§10.4): 32 base64url characters. */
  readonly id: string;
  readonly personRid: number;
  /** The person's public id (joined on read). */
  readonly personId: string;
  readonly deviceRid: number;
  readonly publicKey: Uint8Array;
  readonly createdAt: number;
  /** Ends unless a request comes before it; moved on by requests. */
  readonly idleExpiresAt: number;
  /** Ends at the latest. */
  readonly expiresAt: number;
}
export type NewSession = Omit<SessionRow, 'personId'>;
