// The Store's part for matches and what hangs on them: consent, agreement entries and the
// follow-up overview. A match pair is unique (contract clause 6, store.ts): of two writes
// inserting one pair, the later is a 'conflict'.

import type { FollowUpCounts, MatchStatus } from '../../api.js';
import type {
  AgreementEntryRow,
  ConsentRow,
  FollowUpPage,
  FollowUpPageQuery,
  MatchPatch,
  MatchRow,
  NewMatch,
} from '../match-rows.js';

/** Reads (contract: store.ts). */
export interface MatchReader {
  getMatch(id: string): Promise<MatchRow | undefined>;
  getMatchByPair(a: number, b: number): Promise<MatchRow | undefined>;
  matchesOfSignal(signalRid: number): Promise<MatchRow[]>;
  listMatches(status: MatchStatus): Promise<MatchRow[]>;
  /**
   * Follow-up counts over the matches of `status`: `matches` of them, `withoutOutcome` with
   * neither outcomeA nor outcomeB set, and per outcome the number of sides (a or b) that
   * hold it. One aggregate pass; conformance case "follow-up counts".
   */
  followUpCounts(status: MatchStatus): Promise<FollowUpCounts>;
  /**
   * One page of the follow-up overview (FollowUpPageQuery states the walk, the filters, the
   * order and the keyset). Each row carries both parties' signal id and organisation (id,
   * name, type), read in the same query. Bounded whatever the table's size and the filters'
   * selectivity: an index on (status, createdAt, id) walked in order for at most `scan`
   * matches, filters applied to those, `limit` rows held; `scannedTo` says where a walk that
   * stopped short of `limit` rows ended (docs/performance.md "Follow-up overview"). Read in
   * one read transaction. Conformance case "follow-up page".
   */
  followUpPage(query: FollowUpPageQuery): Promise<FollowUpPage>;

  getConsent(signalRid: number): Promise<ConsentRow | undefined>;
  /** A match's agreement entries in seq order. */
  agreementEntries(matchRid: number): Promise<AgreementEntryRow[]>;
  /** Matches that have at least one agreement entry, in rid order. */
  matchesWithAgreements(): Promise<MatchRow[]>;
}

/** Writes, only inside Store.write. */
export interface MatchWriter {
  insertMatch(row: NewMatch): Promise<number>;
  /** `insertMatch` for several rows in few statements (the batch path); a duplicate pair or id is a 'conflict' that fails the operation, as `insertPlacements`. */
  insertMatches(rows: readonly NewMatch[]): Promise<void>;
  updateMatch(rid: number, patch: MatchPatch): Promise<void>;
  /**
   * Deletes the match, its agreement entries and every inbox event, webhook delivery
   * (pending or delivered) and match notice (pending, sent or dropped) about it, so an
   * erasure, a withdrawal in error or a purge leaves none of them behind (docs/privacy.md
   * §4; the `match.removed` the caller queues after it is the only one that follows).
   */
  deleteMatch(rid: number): Promise<void>;

  /** Inserts or replaces the signal's consent. */
  setConsent(row: ConsentRow): Promise<void>;
  /** Appends one entry; a duplicate (matchRid, seq) is a 'conflict'. */
  appendAgreementEntry(row: AgreementEntryRow): Promise<void>;
}
