// The Store's part for the hash-chained logbook (domain/logbook.ts), its purge checkpoint,
// the reveal marks, and the server-secret generation fence. Reads and appends in a write
// enter the logbook section (contract clause 4, store.ts): one chain, no fork, no gap; a
// write is fenced against a newer secret generation under the same section (clause 5).

import type { LogbookHead, LogCheckpoint, LogHead, LogRow } from '../rows.js';

/**
 * The actions logEntriesWithAction reads: the rare ones each store's partial index
 * `logbook_key_actions` holds (docs/engine.md "Logbook"), so the read costs what their
 * entries cost, not the whole logbook, and a placement's entry adds no index insert.
 * Another action needs its own schema step on both stores, with the index's predicate.
 */
export type IndexedLogAction = 'webhook_key.added' | 'webhook_key.retired';

/** Reads (contract: store.ts). */
export interface LogbookReader {
  /** The chain's head; in a write it first enters the logbook section (contract clause 4). */
  lastLogEntry(): Promise<LogHead | undefined>;
  /**
   * The chain's head and the newest server-secret generation recorded (1 when none), read
   * together after entering the logbook section in a write: a rotation records its
   * generation under that section, so a write that reads generation g here commits before
   * any rotation to g + 1 can (contract clause 5, "server-secret generation").
   */
  logbookHead(): Promise<LogbookHead>;
  /** Entries with seq ≥ fromSeq in seq order (none of them purged: purged ones are gone). */
  logEntries(fromSeq: number, limit: number): Promise<LogRow[]>;
  /**
   * Entries with seq > afterSeq whose action is one of `actions`, in seq order, at most
   * `limit`, read from the partial index `logbook_key_actions` (only those entries), for
   * rare actions read from a cursor (the webhook key record, docs/keys.md §4.5 "Several instances").
   */
  logEntriesWithAction(
    afterSeq: number,
    actions: readonly IndexedLogAction[],
    limit: number,
  ): Promise<LogRow[]>;
  /** The checkpointed head of the purged entries; undefined when nothing was ever purged. */
  logCheckpoint(): Promise<LogCheckpoint | undefined>;
  /**
   * When the reveal of match `matchId` to signing key `keyId` was last logged (the time
   * given to setRevealLogged), or undefined. Marks are per key and match, not per entry.
   */
  lastRevealLogged(keyId: string, matchId: string): Promise<number | undefined>;
}

/** Writes, only inside Store.write. */
export interface LogbookWriter {
  /**
   * Inserts `row` as it is, at once, with no chaining of its own. The write's earlier
   * appends may still be deferred (`appendLogEntry`): a write that also appends reads the
   * head first (`lastLogEntry`, which sees them) and chains `row` onto it. The next append
   * chains onto the head, which may be `row`.
   */
  insertLogEntry(row: LogRow): Promise<void>;
  /**
   * Appends one entry at the chain's head: `entry` is given the newest entry, or the
   * checkpointed head when every entry was purged, or undefined in an empty logbook, and
   * returns the row to insert (seq one above it, its hash chained onto it: domain/logbook.ts).
   * Enters the logbook section (contract clause 4) like `lastLogEntry`, but a store may
   * defer the call to the end of the write operation, just before COMMIT, so the section
   * that every logged write shares is held only for the last statements (PostgreSQL does,
   * docs/engine.md "Storage contract"); `entry` must therefore be pure. Inside the same
   * write `lastLogEntry` and `logEntries` see the entry; in a savepoint that is rolled back
   * it is dropped. Appends of one write are chained in the order they were made.
   */
  appendLogEntry(entry: (head: LogHead | undefined) => LogRow): Promise<void>;
  /**
   * The fence of a write that derived stored values at server-secret generation `used`
   * (contract clause 5): the write fails whole with EngineError 'secret_generation_stale'
   * when the store's generation, read under the logbook section (which the write then holds
   * to its end), is newer than `used`. A store may defer the read to the end of the write,
   * with the logbook append (PostgreSQL does: the section is then held for the last round
   * trips only), so the refusal may come from `write` itself rather than from this call; a
   * read of the logbook inside the write brings it forward. A rotation records its
   * generation under the same section, so a write that passes its fence commits before any
   * rotation past `used` can read the signals to re-key.
   */
  fenceGeneration(used: number): Promise<void>;
  /**
   * Purges the logbook up to and including `checkpoint.seq` and records `checkpoint` (the
   * purged head) in the same write, replacing an older one. Returns the entries deleted.
   * A checkpoint below the current one, or one whose seq is the newest entry's or beyond,
   * is a 'conflict' (the chain must go on from a stored entry's successor).
   */
  purgeLogThrough(checkpoint: LogCheckpoint): Promise<number>;
  /**
   * Inserts or replaces the (keyId, matchId) reveal mark with time `at`, only while match
   * `matchId` exists: for a match deleted (or being deleted) by another write it records
   * nothing. A concurrent write that deletes the match (an erasure, a withdrawal in error, a
   * purge: domain/lifecycle.ts removeSignal) therefore never leaves a mark of it: either this
   * write commits first and that write's deleteRevealMarksOfMatch sees the mark, or its delete
   * of the match comes first and no mark is made (PostgreSQL: the insert locks the match row
   * FOR KEY SHARE; docs/privacy.md §2 art. 17).
   */
  setRevealLogged(keyId: string, matchId: string, at: number): Promise<void>;
  /** Deletes reveal marks older than `at` (their window has passed). */
  deleteRevealMarksBefore(at: number): Promise<number>;
  /**
   * Deletes every key's reveal mark of match `matchId` (an erased match: docs/privacy.md §2
   * art. 17); a seek of reveal_marks_match, not a scan.
   */
  deleteRevealMarksOfMatch(matchId: string): Promise<number>;
}
