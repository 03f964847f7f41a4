// Wire types of the organisation routes (docs/api.md), as the SDK receives them: times
// are RFC 3339 strings, dates 'YYYY-MM-DD', ids UUIDs. Nothing here carries an
// identifier: pseudonyms exist only inside request bodies built by the client.

import type { ProblemCode, SluisErrorCode } from '../errors.js';
import type { Pseudonym } from '../protocol/pseudonym.js';

/** The professional's contact details: the only data a match reveals. */
export interface Contact {
  /** 1–100 characters. */
  readonly name: string;
  /** 1–100 characters, e.g. "jeugdconsulent". */
  readonly role: string;
  /** 6–20 characters of digits, spaces, +, -, (, ). At least one of phone and email. */
  readonly phone?: string;
  /** At most 254 characters, exactly one @. */
  readonly email?: string;
}

export type InformedStatus = 'citizen' | 'representative' | 'both' | 'not_yet';
export const INFORMED_STATUSES: readonly InformedStatus[] = ['citizen', 'representative', 'both', 'not_yet'];

export interface Informed {
  readonly status: InformedStatus;
  /** Required unless status is 'not_yet' (and then absent); not in the future. */
  readonly date?: string;
}

export type SignalStatus = 'active' | 'inactive';
/** The order of `listSignals`: placement order (the default) or the newest placed first (API 1.9.0). */
export type SignalOrder = 'oldest' | 'newest';
/** key_retired: ended because its organisation did not migrate it before its key epoch was retired. */
export type EndReason = 'ended' | 'expired' | 'erased_by_request' | 'key_retired';
export type WithdrawReason = 'ended' | 'error';
export type PlacementOutcome = 'created' | 'replayed' | 'existing';

/**
 * A signal's legal basis (docs/sdk.md "Legal basis"): under 23 the Jeugdwet; from 23 the
 * person's consent or recorded non-objection, each with an attestation.
 */
export type LegalBasis = 'jeugdwet' | 'consent' | 'no_objection';
export const LEGAL_BASES: readonly LegalBasis[] = ['jeugdwet', 'consent', 'no_objection'];

/** The professional's attestation of consent or non-objection. */
export interface Attestation {
  /** 'YYYY-MM-DD', not in the future. */
  readonly date: string;
  /** Opaque reference to the form in the organisation's own files: [A-Za-z0-9._/-]{1,64}. */
  readonly formReference?: string;
}

/**
 * The one-time notice from the historic archive (Jeugdwet 7.1.4.6): another
 * organisation's archived signal concerns the same person. Not a match.
 */
export interface ArchiveNotice {
  readonly id: string;
  readonly signalId: string;
  readonly at: string;
  readonly organisationName: string;
  readonly contact: Contact;
}

/**
 * An open request of a professional to be handed an own signal someone else holds (docs/api.md
 * "Handover requests"), as the organisation coordinator lists it.
 */
export interface HandoverRequest {
  readonly id: string;
  /** The asking professional's person id. */
  readonly requestedBy: string;
  readonly requestedAt: string;
  /** The holder's person id, or null when no one holds the signal. */
  readonly heldBy: string | null;
  readonly signal: Signal;
}

/** One of the acting professional's own handover requests the coordinator declined. */
export interface HandoverDecline {
  readonly requestedAt: string;
  readonly declinedAt: string;
}

/** A signal as its own organisation sees it. */
export interface Signal {
  readonly id: string;
  readonly status: SignalStatus;
  readonly contact: Contact;
  readonly informed: Informed;
  readonly placedAt: string;
  readonly expiresAt: string;
  readonly endedAt: string | null;
  readonly endReason: EndReason | null;
  readonly purgeAt: string | null;
  readonly epochs: readonly number[];
  readonly hasParents: boolean;
  readonly legalBasis: LegalBasis;
  /** The GDPR desk registered an objection on this signal, not yet decided. Nothing more is shown. */
  readonly underObjection: boolean;
  /**
   * The GDPR desk's restriction (art. 18) is registered on this signal; an inherited one is not
   * shown. API 1.4.0: absent from an older server.
   */
  readonly restricted?: boolean;
}

/**
 * A placement's answer: with the signal ({@link SignalPlacement}), or, when a person placed and
 * does not hold it, without ({@link PlacementHeldElsewhere}). Narrow on `heldByYou === false`.
 */
export type PlacementResult = SignalPlacement | PlacementHeldElsewhere;

export interface SignalPlacement {
  readonly outcome: PlacementOutcome;
  readonly signal: Signal;
  /** On `existing` and `replayed` when a person placed (a session, or on their behalf): they hold it. */
  readonly heldByYou?: true;
  /** Present on a created signal that received one-time archive notices. */
  readonly archiveNotices?: readonly ArchiveNotice[];
  /** The requestId used (generated when the caller gave none): pass it again to retry safely. */
  readonly requestId: string;
}

/**
 * `existing` or `replayed` when a person placed (a session, or on their behalf) and a colleague
 * holds the signal, or no one (the key placed it alone, or a transfer moved it): the server
 * gives no signal, and never says which colleague (docs/api.md "Need to know").
 */
export interface PlacementHeldElsewhere {
  readonly outcome: 'existing' | 'replayed';
  readonly heldByYou: false;
  /**
   * There is none to read: reading it throws `SluisError('signal_not_held')`. Not enumerable,
   * so spreading or serialising the result leaves it out.
   */
  readonly signal: never;
  readonly requestId: string;
}

/**
 * A refused item's result in a batch (placement or migration), the same in both answer forms.
 * `code` is the server's problem code, or the SDK's own code when the item was refused
 * locally and never sent.
 */
export interface BatchItemRefusal {
  readonly index: number;
  readonly ok: false;
  readonly code: ProblemCode | SluisErrorCode;
  readonly fields: readonly string[];
  /** True when the SDK refused the item before sending it. */
  readonly local: boolean;
  readonly requestId?: string;
}

/** One item's result in a batch (placement or migration): a placed item with its signal's view. */
export type BatchItemResult =
  | {
      readonly index: number;
      readonly ok: true;
      readonly outcome: PlacementOutcome;
      readonly signal: Signal;
      readonly requestId?: string;
    }
  | BatchItemRefusal;

/**
 * One item's result in a batch asked for with `minimal: true` (`Prefer: return=minimal`,
 * docs/api.md "POST /v1/signals/batch"): a placed item with its signal's id only — what an
 * import keeps per row (docs/sdk.md "CSV import").
 */
export type MinimalBatchItemResult =
  | {
      readonly index: number;
      readonly ok: true;
      readonly outcome: PlacementOutcome;
      readonly signal: { readonly id: string };
      readonly requestId?: string;
    }
  | BatchItemRefusal;

export interface Page<T> {
  readonly items: readonly T[];
  /** Present when there may be more; pass it back as `cursor`. */
  readonly nextCursor?: string;
}

export type MatchKind = 'person' | 'family';
export type MatchStatus = 'active' | 'ended';
export type Party = 'me' | 'counterpart';

/** A party's follow-up of a match (docs/engine.md "Follow-up outcomes"). */
export type FollowUpOutcome = 'contact_made' | 'already_in_contact' | 'no_contact_needed' | 'client_refused';
export const FOLLOW_UP_OUTCOMES: readonly FollowUpOutcome[] = [
  'contact_made',
  'already_in_contact',
  'no_contact_needed',
  'client_refused',
];
export interface FollowUpRecord {
  readonly outcome: FollowUpOutcome;
  readonly at: string;
}

export interface RegieView {
  readonly holder: Party | null;
  readonly since: string | null;
  readonly proposal: { readonly by: Party; readonly for: Party; readonly at: string } | null;
}

export interface MatchView {
  readonly id: string;
  readonly kind: MatchKind;
  readonly status: MatchStatus;
  readonly createdAt: string;
  readonly ownSignalId: string;
  /**
   * contact is null while the match is under objection or restricted (no contact is revealed
   * until the decision or the lifting), and once the counterpart's signal has ended.
   */
  readonly counterpart: { readonly organisationName: string; readonly contact: Contact | null };
  /** A signal of this match is under a pending objection; nothing more is shown. */
  readonly underObjection: boolean;
  /** The GDPR desk restricted a signal of this match (art. 18; API 1.2.0); nothing more is shown. */
  readonly restricted: boolean;
  readonly followUp: {
    /** When I recorded `contact_made` (null for another outcome or none). */
    readonly contactMadeByMe: string | null;
    readonly contactMadeByCounterpart: string | null;
    /** My recorded outcome, whichever it is. */
    readonly mine: FollowUpRecord | null;
    readonly counterpart: FollowUpRecord | null;
  };
  readonly regie: RegieView;
  /** Whether the citizen consented to coordination; scopes only (docs/api.md). */
  readonly coordination: CoordinationView;
}

/** What the citizen consented to (a fixed list). */
export type ConsentScope = 'team_meeting' | 'share_with_matched';
export const CONSENT_SCOPES: readonly ConsentScope[] = ['team_meeting', 'share_with_matched'];

export interface CoordinationView {
  /** 'anonymous' until at least one side records a current consent. */
  readonly status: 'anonymous' | 'consented';
  readonly myScopes: readonly ConsentScope[];
  readonly counterpartScopes: readonly ConsentScope[];
}

export interface ConsentInput {
  /** 'YYYY-MM-DD', not in the future. */
  readonly date: string;
  readonly scopes: readonly ConsentScope[];
  /** Opaque reference to the signed form in the organisation's own files: [A-Za-z0-9._/-]{1,64}. */
  readonly formReference?: string;
}

/** A consent on an own signal (the form reference is never shown to anyone else). */
export interface Consent {
  readonly signalId: string;
  readonly status: 'given' | 'withdrawn';
  readonly date: string;
  readonly scopes: readonly ConsentScope[];
  readonly formReference: string | null;
  readonly recordedAt: string;
  readonly withdrawnAt: string | null;
}

export type AgreementStatus = 'open' | 'done' | 'cancelled';

/** A process agreement: codes from the municipality's lists and a due date; no free text. */
export interface AgreementInput {
  readonly owner: Party;
  readonly actionKind: string;
  readonly informationCategory: string;
  readonly purpose: string;
  /** 'YYYY-MM-DD', today or later. */
  readonly dueDate: string;
}

export interface Agreement {
  readonly id: string;
  readonly owner: Party;
  readonly actionKind: string;
  readonly informationCategory: string;
  readonly purpose: string;
  readonly dueDate: string;
  readonly status: AgreementStatus;
  readonly createdAt: string;
  readonly createdBy: Party;
  readonly history: readonly { readonly status: AgreementStatus; readonly at: string; readonly by: Party }[];
}

/** The configured code lists (GET /v1/agreements/vocabulary). */
export interface Vocabulary {
  readonly consentScopes: readonly ConsentScope[];
  readonly actionKinds: readonly string[];
  readonly informationCategories: readonly string[];
  readonly purposes: readonly string[];
}

export type InboxEventType = 'match.created' | 'match.updated' | 'match.ended' | 'match.removed';

export interface InboxEvent {
  /** Opaque, increasing; persist it and resume from it. */
  readonly cursor: string;
  readonly type: InboxEventType;
  readonly at: string;
  readonly matchId: string;
  /** Null when the match was removed. */
  readonly match: MatchView | null;
}

export type RegieAction =
  | { readonly action: 'propose'; readonly for: Party }
  | { readonly action: 'accept' }
  | { readonly action: 'decline' }
  /** The holder hands regie to the counterpart. */
  | { readonly action: 'handover' };

interface WhoamiCommon {
  readonly organisation: {
    readonly id: string;
    readonly name: string;
    readonly type: string;
    readonly status: 'active' | 'suspended';
  };
  readonly budget: { readonly perDay: number; readonly usedToday: number };
  readonly epochs: readonly { readonly epoch: number; readonly status: 'active' | 'retired' }[];
}

/** `GET /v1/whoami` answered to a request signed by a key. */
export interface WhoamiByKey extends WhoamiCommon {
  readonly authenticatedBy: 'key';
  readonly key: { readonly keyId: string; readonly status: 'active' | 'revoked' };
}

/** `GET /v1/whoami` answered to a person's session: the session id is no key id and is not echoed. */
export interface WhoamiBySession extends WhoamiCommon {
  readonly authenticatedBy: 'session';
  readonly session: {
    readonly personId: string;
    readonly role: 'professional' | 'organisation_coordinator';
    readonly idleExpiresAt: string;
    readonly expiresAt: string;
  };
}

/** The organisation, its budget and the server's epochs, and what signed the request. */
export type Whoami = WhoamiByKey | WhoamiBySession;

/** What goes over the wire for one placement (pseudonyms only, built by the client). */
export interface PlacementBody {
  readonly requestId: string;
  readonly subject: readonly Pseudonym[];
  readonly parents?: readonly (readonly Pseudonym[])[];
  readonly contact: Contact;
  readonly informed: Informed;
  readonly endDate?: string;
  /** Absent: jeugdwet. */
  readonly legalBasis?: LegalBasis;
  readonly attestation?: Attestation;
}

/** What goes over the wire for one migration item. */
export interface MigrationBody {
  readonly signalId: string;
  readonly subject: readonly Pseudonym[];
  readonly parents?: readonly (readonly Pseudonym[])[];
}
