// The narrow storage interface of the engine (kysely style: only what the domain needs),
// and the contract every implementation keeps under concurrent writers — one SQLite
// process, or several server instances on one PostgreSQL (docs/engine.md "Storage
// contract"). The conformance suite (store/conformance.ts) tests each clause on every store.
//
// 1. Durability and atomicity. `write` resolves only after its durable commit; a failing
//    operation changes nothing (it is rolled back alone); reads see committed data only.
//    An operation that goes on after a refused call wraps that call in `tx.savepoint`
//    (PostgreSQL aborts the transaction at a failed statement), or, for one item of a
//    batch, in `tx.batchItem` (all or nothing, with or without a savepoint: its guarantee
//    below; docs/engine.md "Batch placement").
// 2. Isolation. A write operation runs in one transaction at READ COMMITTED or stronger;
//    the sections below are what makes the engine's read-then-write steps exact. SQLite
//    gives more (one writer: a write sees no concurrent change at all).
// 3. Retries. An implementation may run a write operation more than once (PostgreSQL
//    repeats it on a serialization failure or deadlock); only the last run commits. So an
//    operation does nothing outside `tx` that a repeat would double: no I/O, no counter
//    in memory — what the caller needs to know travels in the operation's result.
// 4. Critical sections, each held from the call until the write commits or rolls back:
//    - per person: `findSignalsByStored` in a write enters the section of every stored
//      value it looks up, so two writes about one person run one after the other and the
//      second sees the first's signals (matching exact, one active signal per person per
//      organisation). SQLite: the single writer; PostgreSQL: a transaction-scoped advisory
//      lock per value.
//    - per organisation's budget: `placementsSince` and `placementHour` in a write enter
//      the organisation's budget section, so check and charge are one atomic step.
//    - per organisation's people, and the municipality's: `enterPeopleSection`, so a count of
//      the organisation's active coordinators (the municipality's administrators) and the
//      removal that depends on it are one atomic step.
//    - the epochs: `enterEpochSection`, so reading an epoch's status and registering or
//      retiring it are one atomic step (a retirement run on two instances logs once).
//    - the logbook: `lastLogEntry` and `appendLogEntry` in a write enter the chain's
//      section, so an append of seq + 1 onto the head is never raced: one chain, no fork,
//      no gap (`appendLogEntry` may be deferred to just before COMMIT: PostgreSQL does).
//    - inbox cursors: `appendEvent` takes the organisation's next cursor under a lock held
//      to commit, so an organisation's cursors commit in increasing order and a reader
//      that has seen cursor c never later finds a new event below c.
//    Sections are entered in the order the operation calls them; a deadlock between two
//    writes is broken by the store and the losing operation retried (clause 3).
// 5. Shared by every instance on the store: nonces (`claimNonce`: a nonce claimed on one
//    instance is refused on every other), key and organisation status (read per request,
//    never cached past it), job exclusivity (`exclusive`: retention and secret rotation run
//    on one instance at a time; each stays exact when two runs overlap all the same, through
//    the row claims of signalsExpiringBy/signalsPurgeableBy and the rotation row lock of
//    latestSecretRotation), and outbox claims (`claimDeliveries`, `claimMailNotices`:
//    a row is leased to one claim at a time, so the webhook and mail outboxes are drained
//    by every instance at once and each row is sent by one of them), and the server-secret
//    generation (`logbookHead`, `fenceGeneration`: the newest rotation record, read under
//    the logbook section, which the rotation's own record is written under too — an
//    operation that derived stored values at an older generation is refused there and
//    repeated, so no instance writes or looks up at a generation another one has moved past).
// 6. Unique: a match pair, an (organisation, requestId) pair, a logbook seq; a violation
//    is EngineError 'conflict'. Nothing here ever receives a client pseudonym — only
//    stored (re-keyed) values.
//
// The reader and writer are composed here from their parts by area, each method with its
// guarantee beside it in store/contract/: organisations.ts (organisations, keys, epochs,
// people), signals.ts (signals, stored pseudonyms, archive notices), matches.ts (matches,
// consent, agreements, follow-up), outbox.ts (inbox events, webhook deliveries, mail
// notices), logbook.ts (the chain, reveal marks, the generation fence), bookkeeping.ts
// (nonces, the budget, statistics, gauges), key-lifecycle.ts (rotation, epoch retirement),
// sign-in.ts, handover.ts (handing one signal over) and access-requests.ts (the GDPR access
// requests that found a signal). This file re-exports them and the
// row types (rows.ts, match-rows.ts, outbox-rows.ts), so importers need store.js alone.

import type { AccessRequestReader, AccessRequestWriter } from './contract/access-requests.js';
import type { BookkeepingReader, BookkeepingWriter, WriteConcurrency } from './contract/bookkeeping.js';
import type { KeyLifecycleReader, KeyLifecycleWriter } from './contract/key-lifecycle.js';
import type { LogbookReader, LogbookWriter } from './contract/logbook.js';
import type { MatchReader, MatchWriter } from './contract/matches.js';
import type { OrganisationReader, OrganisationWriter } from './contract/organisations.js';
import type { OutboxReader, OutboxWriter } from './contract/outbox.js';
import type { HandoverReader, HandoverWriter } from './contract/handover.js';
import type { SignInReader, SignInWriter } from './contract/sign-in.js';
import type { SignalReader, SignalWriter } from './contract/signals.js';

export type * from './contract/access-requests.js';
export type * from './contract/bookkeeping.js';
export type * from './contract/key-lifecycle.js';
export type * from './contract/logbook.js';
export type * from './contract/matches.js';
export type * from './contract/organisations.js';
export type * from './contract/outbox.js';
export type * from './contract/sign-in.js';
export type * from './contract/handover.js';
export type * from './contract/signals.js';

export type * from './rows.js';
export type * from './match-rows.js';
export type * from './outbox-rows.js';

/** Reads. On the read side they see committed data only. */
export interface StoreReader
  extends OrganisationReader,
    SignalReader,
    MatchReader,
    OutboxReader,
    LogbookReader,
    BookkeepingReader,
    KeyLifecycleReader,
    SignInReader,
    HandoverReader,
    AccessRequestReader {}

/** Writes, only inside Store.write. Constraint violations throw EngineError 'conflict'. */
export interface StoreWriter
  extends StoreReader,
    OrganisationWriter,
    SignalWriter,
    MatchWriter,
    OutboxWriter,
    LogbookWriter,
    BookkeepingWriter,
    KeyLifecycleWriter,
    SignInWriter,
    HandoverWriter,
    AccessRequestWriter {
  /** Runs `fn` in a nested savepoint: when it throws, only its changes are rolled back. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn`, one item of a batch operation that goes on after a refused item
   * (docs/engine.md "Batch placement"). Guarantee: the item is all or nothing — when `fn`
   * throws, either nothing it wrote remains and the operation may go on (the error is
   * rethrown as is), or the whole operation fails (`batchItem` rethrows an Error that is
   * not an EngineError, so no caller mistakes it for the item's refusal, and the write is
   * rejected and rolled back whole). PostgreSQL runs `fn` in
   * a savepoint (a lock wait may time out after the item's first write, and a failed
   * statement aborts the transaction). SQLite runs it WITHOUT one: its single writer waits
   * for no lock and undoes a failed statement alone, so an item refused before its first
   * write (all of the placement's refusals) left nothing; one that throws after writing
   * fails the operation. That spares each item a savepoint and the page images SQLite
   * journals per savepoint (docs/performance.md "Bulk").
   */
  batchItem<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * The schema steps a store's open ran on an existing database: from its version to this
 * build's (docs/operations.md "Upgrade"); the server logs it as `schema_migrated`.
 */
export interface SchemaMigration {
  readonly from: number;
  readonly to: number;
}

export interface StoreStats {
  /** Durable COMMITs so far (one per group-commit batch). */
  readonly commits: number;
  /** Write operations committed so far. */
  readonly operations: number;
  /** Write operations that failed and were rolled back alone. */
  readonly failedOperations: number;
  /** Nonces held in memory for replay checks (SQLite); absent where they live only in the database. */
  readonly noncesInMemory?: number;
}

/**
 * Whether a store can serve now, and when not, which part failed (docs/operations.md "Database
 * and role"): `closed`; `database`, its read on the store's connections; `nonce_pool`, PostgreSQL's
 * separate connections for replay-nonce claims, without which no signed request is served. `code`
 * is the engine's error code of the failure and `dbCode` the database's (e.g. `53300`): codes
 * only, for the log, never a message.
 */
export type Readiness =
  | { readonly ready: true }
  | {
      readonly ready: false;
      /** `server_secret`: the engine's own, not a store's (the store records a generation whose key file is not loaded). */
      readonly reason: 'closed' | 'database' | 'nonce_pool' | 'server_secret';
      readonly code?: string;
      readonly dbCode?: string;
    };

export interface Store extends WriteConcurrency {
  /** Runs `op` with read-only access to committed data. */
  read<T>(op: (tx: StoreReader) => Promise<T>): Promise<T>;
  /**
   * Runs `op` in one transaction (contract clauses 1-4): SQLite batches concurrent writes
   * into one transaction of its single writer, each in its own savepoint; PostgreSQL runs
   * each on its own pooled connection. Resolves only after the durable commit; a throwing
   * `op` is rolled back alone. `op` may be run more than once (clause 3), so it must do
   * no I/O and change no state other than through `tx`.
   *
   * Deletion bound (docs/engine.md "Deletion leaves no copy"): when `op` deleted or
   * overwrote personal data — `deleteSignal`, `updateSignal` with a `contact`,
   * `deletePseudonymsOfEpoch`, `deleteParentPseudonyms`, `rekeyPseudonym`,
   * `updateRequestHash`, `deleteMatch`, `setConsent` — SQLite makes the old content
   * unrecoverable from its files within a bounded time after the commit, without a call
   * to `compact()` (a wal_checkpoint(TRUNCATE) within SCRUB_DELAY_MS = 1 s). PostgreSQL
   * does not meet this bound: dead row versions and WAL keep it (docs/leakage.md §3.7).
   */
  write<T>(op: (tx: StoreWriter) => Promise<T>): Promise<T>;
  /**
   * Replay protection shared by every instance (clause 5): records (keyId, nonce) until
   * `expiresAt` and answers true, or answers false when it is recorded and unexpired at
   * `now`. Of two concurrent claims of one nonce, on one instance or two, exactly one is
   * true. Durability: SQLite persists claims lazily (docs/engine.md "Nonces"); PostgreSQL
   * commits each claim without waiting for its WAL flush (a database crash can forget
   * the claims of its last fraction of a second).
   */
  claimNonce(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean>;
  /**
   * Runs `fn` unless another run of the job `name` holds it, on this instance or another
   * (clause 5): then answers undefined without running it. Held until `fn` settles; a
   * crashed holder releases it (PostgreSQL: a session advisory lock on its connection —
   * so a lost connection also releases it while `fn` still runs: a job under it must stay
   * exact when two runs overlap, as retention and rekeying do through row locks).
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined>;
  /**
   * At once (bulk deletions: purge, erasure, epoch retirement): as the deletion bound, now.
   * PostgreSQL: `VACUUM (INDEX_CLEANUP ON)` of every table, which frees the space without
   * zeroing it (docs/leakage.md §3.7 says what stays and for how long).
   */
  compact(): Promise<void>;
  /**
   * Whether this store can serve requests now (the server's /readyz,
   * docs/operations.md "Database and role"): not once closed or when a read fails, with the
   * reason. Never throws. PostgreSQL: one read on the pool and one statement on the nonce-claim
   * pool; when one fails only because the database has no connection left for a new one (53300)
   * while that pool's own connections answered within the statement timeout, that pool is
   * serving; the store is ready when both are.
   */
  ready(): Promise<Readiness>;
  stats(): StoreStats;
  close(): Promise<void>;
}
