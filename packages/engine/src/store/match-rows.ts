// The row types of matches (store.ts): a match and its patch, the follow-up page query and
// its rows, consent and the agreement log. Stored values only, never a client pseudonym.

import type { AgreementStatus, ConsentScope, FollowUpOutcome, MatchKind, MatchStatus } from '../api.js';

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
  /**
   * Leaves out the matches with a signal stored active whose expiresAt ≤ dueBy: due
   * (domain/views.ts `isDue`), so the match reads as ended (`matchAsRecorded`).
   */
  readonly dueBy: number | null;
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
