// Matches, the inbox and follow-up. A match shows each party the other party's contact
// details and nothing else; a removed match leaves no details behind in the inbox.

import type { Contact } from './common.js';
import type { CoordinationView } from './collaboration.js';

export type MatchKind = 'person' | 'family';

/**
 * What a matched party recorded as the follow-up of a match (docs/engine.md "Follow-up
 * outcomes"): contact made, or why none is needed — already in contact with the counterpart
 * (the main reason matches get no contact), no contact needed, the client refused.
 */
export type FollowUpOutcome = 'contact_made' | 'already_in_contact' | 'no_contact_needed' | 'client_refused';
export const FOLLOW_UP_OUTCOMES: readonly FollowUpOutcome[] = [
  'contact_made',
  'already_in_contact',
  'no_contact_needed',
  'client_refused',
];

/** One party's recorded follow-up: the outcome and when it was recorded. */
export interface FollowUpRecord {
  readonly outcome: FollowUpOutcome;
  readonly at: number;
}
/**
 * active: both signals active and before their expiresAt. ended: one side inactive (kept
 * while both are archived), or past its expiresAt before the expiry is recorded.
 */
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
    /**
     * null while the match is under objection (no contact is revealed until the decision) or
     * restricted (until the restriction is lifted), and once the counterpart's signal is no
     * longer active: withdrawn, past its expiresAt (recorded or not) or ended by a key
     * retirement (docs/engine.md "What a match reveals").
     */
    readonly contact: Contact | null;
  };
  /**
   * A signal of this match is under a pending objection (docs/engine.md "Objections"):
   * nothing more about the objection is shown.
   */
  readonly underObjection: boolean;
  /**
   * The GDPR desk restricted the processing of a signal of this match (art. 18): no contact
   * is revealed to either party until it is lifted (docs/engine.md "What a match reveals").
   * Told apart from `underObjection`; both may be true.
   */
  readonly restricted: boolean;
  readonly followUp: {
    /** When the viewer recorded `contact_made` (null for any other outcome or none). */
    readonly contactMadeByMe: number | null;
    readonly contactMadeByCounterpart: number | null;
    /** The viewer's recorded outcome, whichever it is. */
    readonly mine: FollowUpRecord | null;
    readonly counterpart: FollowUpRecord | null;
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

/**
 * A page request of the municipality's follow-up overview (docs/engine.md "The follow-up
 * overview at scale"). Every filter is optional; they combine with AND.
 */
export interface FollowUpQuery {
  /** Matches with no outcome after this many days are `overdue` (0–3650, default 14). */
  readonly noContactAfterDays?: number;
  /** The matches' status (default 'active'). */
  readonly status?: MatchStatus;
  /**
   * 'none': neither party recorded an outcome; 'overdue': none, and older than
   * noContactAfterDays; 'recorded': at least one party recorded one.
   */
  readonly followUp?: 'none' | 'overdue' | 'recorded';
  /** At least one party recorded this outcome. */
  readonly outcome?: FollowUpOutcome;
  /** Age of the match in whole days since its creation, inclusive bounds (0–3650). */
  readonly minAgeDays?: number;
  readonly maxAgeDays?: number;
  /** At least one party's organisation is of this (configured) type. */
  readonly organisationType?: string;
  /** By creation time: 'oldest' first (default) or 'newest' first. */
  readonly sort?: 'oldest' | 'newest';
  /** The `nextCursor` of the previous page, with the same filters and sort. */
  readonly cursor?: string;
  /** 1–500, default 100. */
  readonly limit?: number;
}

export interface FollowUpOverviewItem {
  readonly matchId: string;
  readonly kind: MatchKind;
  readonly status: MatchStatus;
  readonly createdAt: number;
  readonly parties: readonly {
    readonly organisationId: string;
    readonly organisationName: string;
    readonly organisationType: string;
    readonly signalId: string;
    /** When this party recorded `contact_made` (null for any other outcome or none). */
    readonly contactMadeAt: number | null;
    readonly followUp: FollowUpRecord | null;
  }[];
  readonly regie: { readonly organisationId: string | null; readonly since: number | null };
  /** True when no party recorded any follow-up outcome within noContactAfterDays. */
  readonly overdue: boolean;
}
