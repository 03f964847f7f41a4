// The Store's part for signals, their stored pseudonyms and the archive notices between
// them. The per-person critical section (contract clause 4, store.ts) is entered by the
// lookups by stored value, so two writes about one person run one after the other and
// matching is exact; retention's row claims keep two overlapping runs apart (clause 5).

import type { ListOrder, SignalStatus } from '../../api.js';
import type {
  ArchiveNoticeRow,
  NewPlacement,
  NewSignal,
  PseudonymRole,
  SignalPatch,
  SignalRow,
  StoredPseudonymRow,
} from '../rows.js';

/** Reads (contract: store.ts). */
export interface SignalReader {
  getSignal(id: string): Promise<SignalRow | undefined>;
  getSignalByRid(rid: number): Promise<SignalRow | undefined>;
  getSignalByRequest(organisationRid: number, requestId: string): Promise<SignalRow | undefined>;
  /**
   * Signals with a pseudonym of `role` equal to one of `stored` (indexed, O(log n) each).
   * In a write it first enters the per-person section of each value (contract clause 4).
   */
  findSignalsByStored(stored: readonly Uint8Array[], role: PseudonymRole): Promise<SignalRow[]>;
  /**
   * Enters the per-person section (clause 4) of every value of `stored` at once, in the
   * store's one lock order, without reading: what a batch does before its first item, so
   * that two batches about the same people wait for each other once instead of
   * deadlocking item by item. Outside a write it does nothing; SQLite: nothing to do (its
   * single writer is the section).
   */
  enterPersonSections(stored: readonly Uint8Array[]): Promise<void>;
  pseudonymsOf(signalRid: number): Promise<StoredPseudonymRow[]>;
  /**
   * Per signal of `signalRids` (same order), the epochs of its subject pseudonyms, distinct and
   * ascending — what `pseudonymsOf(rid)` gives for role subject; [] for a rid that names no
   * signal. The batch path reads them for every signal its items may answer `existing` with,
   * at once (docs/performance.md "Twenty-sixth pass: bulk, the removals together").
   * PostgreSQL: one statement; SQLite: the rows' pfx in IN lists of up to 128, then a range
   * read per prefix.
   */
  subjectEpochsOf(signalRids: readonly number[]): Promise<number[][]>;
  /**
   * The held parent rows (`held` ≠ 0) among the parent rows of the values `stored`, each
   * with its value and its hold: what a new child signal naming that parent inherits and
   * what keeps it out of family matching (indexed by value, O(log n + links) each).
   */
  heldParentLinks(stored: readonly Uint8Array[]): Promise<{ stored: Uint8Array; held: number }[]>;
  /**
   * The batch path's lookups in one call (docs/engine.md "Batch placement"): per value of
   * `stored` (same order), the signals with a pseudonym of `role` equal to it, in rid order
   * — what `findSignalsByStored([value], role)` answers for each. In a write it first enters
   * the per-person section of every value (clause 4), in the store's one lock order.
   * PostgreSQL: one statement; SQLite: a few, each an IN list of up to 128 values.
   */
  signalsByStoredValues(stored: readonly Uint8Array[], role: PseudonymRole): Promise<SignalRow[][]>;
  /**
   * The organisation's signals whose request id is one of `requestIds` (compared as
   * `getSignalByRequest` does, case-insensitively), in rid order: the batch path's replay
   * check for every item at once. A plain read: the (organisation, requestId) pair is
   * unique, and a concurrent insert of a pair makes the later insert a 'conflict'.
   */
  signalsByRequestIds(organisationRid: number, requestIds: readonly string[]): Promise<SignalRow[]>;
  /**
   * Own signals in rid order after `afterRid` (0: from the first); with `personRid`, only
   * those that person placed (the signal's placing person, null after a transfer to a
   * contact). With a status, as of `status.at`: a row stored active whose expiresAt is ≤
   * `at` is inactive (docs/engine.md "The life of a signal"), whether or not retention has
   * recorded it. `newest`: in descending rid order, those before `afterRid` (0: from the
   * last) — the default order's index walked backwards, so it costs what that order costs.
   */
  listSignals(
    organisationRid: number,
    status: { readonly status: SignalStatus; readonly at: number } | undefined,
    afterRid: number,
    limit: number,
    personRid?: number,
    order?: ListOrder,
  ): Promise<SignalRow[]>;
  /**
   * Active signals whose expiry is ≤ now, oldest first. In a write each row returned is
   * claimed to commit: a concurrent write (a retention run on another instance) passes
   * over it, and one changed by a write that committed meanwhile is not returned, so two
   * runs never expire one signal twice (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the
   * single writer).
   */
  signalsExpiringBy(now: number, limit: number): Promise<SignalRow[]>;
  /** Signals whose purge time is ≤ now, oldest first; in a write claimed as signalsExpiringBy. */
  signalsPurgeableBy(now: number, limit: number): Promise<SignalRow[]>;

  /** The archive notices given for the new signal `signalRid`, oldest first. */
  archiveNoticesOf(signalRid: number): Promise<ArchiveNoticeRow[]>;
}

/** Writes, only inside Store.write. */
export interface SignalWriter {
  insertSignal(row: NewSignal): Promise<number>;
  updateSignal(rid: number, patch: SignalPatch): Promise<void>;
  /**
   * Records the signal as expired (inactive, ended at `endedAt`, purged at `purgeAt`) only
   * if it is still active, and answers whether this write changed it. Two writes that both
   * found it active (a placement and a retention run; on PostgreSQL at READ COMMITTED) see
   * one `true`: the other waits for the row and finds it inactive (docs/engine.md "The life
   * of a signal").
   */
  expireSignal(rid: number, endedAt: number, purgeAt: number): Promise<boolean>;
  /**
   * Deletes the signal, its stored pseudonyms and its consent (its matches must be deleted
   * first), the archive notices about it as the archived side, and unlinks (signalRid
   * null) the notices it received, which keep their pair.
   */
  deleteSignal(rid: number): Promise<void>;
  insertPseudonyms(rows: readonly StoredPseudonymRow[]): Promise<void>;
  /**
   * Sets (`on`) or clears the hold bit `bit` (PARENT_HOLD) on every parent row of the values
   * `stored`, and answers the rids of the signals whose row changed (in rid order, distinct).
   */
  holdParentLinks(stored: readonly Uint8Array[], bit: number, on: boolean): Promise<number[]>;
  /**
   * The batch path's signal rows (docs/engine.md "Batch placement"): inserts every signal
   * of `rows` with its stored pseudonyms, as `insertSignal` + `insertPseudonyms` would one
   * after the other, in few statements (a contact counted once per distinct contact,
   * multi-row inserts). Returns the rids in row order, increasing: each row's rid is above
   * every rid before it, as separate inserts would give. When it throws (a duplicate id or
   * (organisation, requestId): 'conflict') some rows may have been written: the caller
   * must fail the whole write operation, which is then rolled back (clause 1).
   */
  insertPlacements(rows: readonly NewPlacement[]): Promise<number[]>;
  /**
   * Draws `count` rids for this write's next `insertPlacements` now, so that it need
   * not draw them then (PostgreSQL: the draw goes in a round trip the write makes anyway,
   * docs/engine.md "Coalesced placements"; SQLite: nothing, its single writer draws at the
   * insert). The contract of `insertPlacements` is unchanged: its rids increase in row
   * order and lie above every rid this write inserted before. A reservation too small for
   * the rows, or one followed by `insertSignal` in the write, is dropped and the rids drawn
   * at the insert; the rids it does not use are never given out (rids may have gaps). Call
   * it after entering the per-person sections of the values the rows will hold, so that
   * the rids lie above every signal of those persons committed before, and outside any
   * savepoint (a savepoint rolled back does not restore a reservation it used).
   */
  reserveSignalRids(count: number): Promise<void>;

  /**
   * Records an archive notice unless its (archivedSignalRid, organisationRid) pair has
   * one: true when inserted, false (nothing changed) when the pair was noticed before.
   * Two concurrent inserts of one pair: exactly one is true (the pair is unique).
   */
  insertArchiveNotice(row: ArchiveNoticeRow): Promise<boolean>;
}
