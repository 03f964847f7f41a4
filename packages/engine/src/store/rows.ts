// The row types of the narrow Store interface (store.ts): the values the domain reads and
// writes, as every implementation must round-trip them. Rows hold internal rids, public
// ids, stored (server re-keyed) pseudonyms and professionals' contact details — never a
// client pseudonym as received. Here organisations, keys, people, signals and their stored
// pseudonyms, epochs and rotations, the logbook and the bookkeeping rows; the matches' rows
// in match-rows.ts, the inbox and outboxes' in outbox-rows.ts, sign-in's in contract/sign-in.ts.

import type {
  Contact,
  EndReason,
  EpochKind,
  EpochStatus,
  FollowUpCounts,
  Informed,
  KeyRole,
  KeyStatus,
  LegalBasis,
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
  /**
   * The GDPR desk's restriction was registered on this signal (docs/engine.md "GDPR requests
   * (municipality only)"), not only inherited at placement: only then does its own
   * organisation's view say `restricted` (an inherited one would tell the placer that the
   * person has another signal). False in rows written before it was recorded: not shown
   * until the desk restricts the person again.
   */
  readonly restrictionRegistered: boolean;
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
  /** `signal.id` as its 16 bytes, when the caller made the id from them (a store converts the text otherwise). */
  readonly idBytes?: Uint8Array;
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
    | 'restrictionRegistered'
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
  /**
   * A parent row's hold (docs/engine.md "GDPR requests (municipality only)"): bits of
   * PARENT_HOLD, set while the parent person is restricted or under a pending objection.
   * Absent (0) on every subject row and on a free parent link.
   */
  readonly held?: number;
}

/** The bits of a parent link's hold: the parent's restriction (art. 18) and pending objection (art. 21). */
export const PARENT_HOLD = { restricted: 1, objection: 2 } as const;

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

/** Per organisation: signals that would be left without a subject pseudonym, by state at a time. */
export interface EpochDependants {
  readonly organisationId: string;
  /** Stored active, expiresAt still ahead. */
  readonly active: number;
  /** Stored active, expiresAt passed: ended, its expiry not yet recorded. */
  readonly due: number;
  readonly inactive: number;
}

/** Live signals of one organisation with a subject pseudonym under one epoch. */
export interface EpochSignalCount {
  readonly organisationId: string;
  readonly epoch: number;
  readonly activeSignals: number;
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

/**
 * What the expiries not yet recorded take from the active counts (store `dueCounts`): the
 * signals stored active whose expiresAt passed (domain/views.ts `isDue`), and the matches
 * stored active with such a signal on either side — by kind, and their follow-up as
 * `followUpCounts` counts it. Each match once, also when both its signals are due.
 */
export interface DueCounts {
  readonly signals: number;
  readonly matches: { readonly person: number; readonly family: number };
  readonly followUp: FollowUpCounts;
}

/** The stored rows' counts: a due signal is still `active` here (statistics move it, DueCounts). */
export interface StoreCounts {
  readonly organisations: { readonly active: number; readonly suspended: number };
  readonly signals: { readonly active: number; readonly inactive: number };
  readonly matches: { readonly active: number; readonly ended: number; readonly family: number };
}
