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
// The row types live by area in rows.ts, match-rows.ts and outbox-rows.ts and are
// re-exported here, so importers of store.js keep working; this file holds the reader,
// writer and store interfaces themselves.

import type {
  DeliveryStatus,
  FollowUpCounts,
  MailNoticeStatus,
  MatchKind,
  MatchStatus,
  SignalStatus,
} from '../api.js';
import type {
  ArchiveNoticeRow,
  EpochDependants,
  EpochRow,
  KeyRow,
  LogCheckpoint,
  LogHead,
  LogbookHead,
  LogRow,
  NewOrganisation,
  NewPerson,
  NewPlacement,
  NewSignal,
  NonceRow,
  OrganisationRow,
  PersonPatch,
  PersonRow,
  PlacementHourRow,
  PseudonymRole,
  SecretRotationRow,
  SignalPatch,
  SignalRow,
  StatisticRow,
  StoreCounts,
  StoredPseudonymRow,
} from './rows.js';
import type {
  AgreementEntryRow,
  ConsentRow,
  FollowUpPage,
  FollowUpPageQuery,
  MatchPatch,
  MatchRow,
  NewMatch,
} from './match-rows.js';
import type {
  DeliveryRow,
  EventRow,
  MailNoticePatch,
  MailNoticeRow,
  NewDelivery,
  NewMailNotice,
  OutboxClaim,
} from './outbox-rows.js';
import type { SignInReader, SignInWriter } from './sign-in-store.js';

export type * from './sign-in-store.js';

export type * from './rows.js';
export type * from './match-rows.js';
export type * from './outbox-rows.js';

/** Reads. On the read side they see committed data only. */
export interface StoreReader extends SignInReader {
  getOrganisation(id: string): Promise<OrganisationRow | undefined>;
  getOrganisationByRid(rid: number): Promise<OrganisationRow | undefined>;
  listOrganisations(): Promise<OrganisationRow[]>;
  getKey(keyId: string): Promise<KeyRow | undefined>;
  /** undefined: every key; null: admin keys; a rid: that organisation's keys. */
  listKeys(organisationRid?: number | null): Promise<KeyRow[]>;
  listEpochs(): Promise<EpochRow[]>;
  getEpoch(epoch: number): Promise<EpochRow | undefined>;

  // people (docs/engine.md "People and roles")
  /** The person with public id `id`, removed or not; `organisationId` joined from organisations. */
  getPerson(id: string): Promise<PersonRow | undefined>;
  /**
   * The people of one organisation (a rid) or of the municipality (null), removed ones
   * included, in rid (creation) order.
   */
  listPeople(organisationRid: number | null): Promise<PersonRow[]>;

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
   * Own signals in rid order after `afterRid`; with `personRid`, only those that person
   * placed (the signal's placing person, null after a transfer to a contact).
   */
  listSignals(
    organisationRid: number,
    status: SignalStatus | undefined,
    afterRid: number,
    limit: number,
    personRid?: number,
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

  /** The archive notices given for the new signal `signalRid`, oldest first. */
  archiveNoticesOf(signalRid: number): Promise<ArchiveNoticeRow[]>;
  /**
   * The management-information counters of the months fromMonth..toMonth (yyyymm, both
   * included), ordered by month, organisation type and metric.
   */
  statistics(fromMonth: number, toMonth: number): Promise<StatisticRow[]>;

  getConsent(signalRid: number): Promise<ConsentRow | undefined>;
  /** A match's agreement entries in seq order. */
  agreementEntries(matchRid: number): Promise<AgreementEntryRow[]>;
  /** Matches that have at least one agreement entry, in rid order. */
  matchesWithAgreements(): Promise<MatchRow[]>;

  eventsAfter(organisationRid: number, afterCursor: number, limit: number): Promise<EventRow[]>;

  getMailNotice(id: string): Promise<MailNoticeRow | undefined>;
  /** Newest first; every status when `status` is undefined. */
  listMailNotices(status: MailNoticeStatus | undefined, limit: number): Promise<MailNoticeRow[]>;
  /** The person with row id `rid`, removed or not (the mail outbox names people by rid). */
  getPersonByRid(rid: number): Promise<PersonRow | undefined>;
  getDelivery(id: string): Promise<DeliveryRow | undefined>;
  listDeliveries(status: DeliveryStatus | undefined, limit: number): Promise<DeliveryRow[]>;

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
  /** The checkpointed head of the purged entries; undefined when nothing was ever purged. */
  logCheckpoint(): Promise<LogCheckpoint | undefined>;
  /**
   * When the reveal of match `matchId` to signing key `keyId` was last logged (the time
   * given to setRevealLogged), or undefined. Marks are per key and match, not per entry.
   */
  lastRevealLogged(keyId: string, matchId: string): Promise<number | undefined>;

  unexpiredNonces(now: number): Promise<NonceRow[]>;
  /** In a write, both enter the organisation's budget section first (contract clause 4). */
  placementHour(organisationRid: number, hour: number): Promise<PlacementHourRow | undefined>;
  placementsSince(organisationRid: number, fromHour: number): Promise<number>;

  counts(): Promise<StoreCounts>;

  // key lifecycle (docs/keys.md)
  /**
   * The rotation with the highest generation, if any. In a write it stays locked until the
   * write ends (PostgreSQL: FOR UPDATE; SQLite: the single writer), so rotation steps —
   * a re-keying batch, its start — run one after another and each sees the last one's cursor.
   */
  latestSecretRotation(): Promise<SecretRotationRow | undefined>;
  maxSignalRid(): Promise<number>;
  /** (rid, requestHash) of signals with afterRid < rid ≤ upToRid, in rid order. */
  signalHashesInRange(
    afterRid: number,
    upToRid: number,
    limit: number,
  ): Promise<{ readonly rid: number; readonly requestHash: Uint8Array }[]>;
  /** Stored pseudonyms of the signals with afterRid < rid ≤ upToRid. */
  pseudonymsInRange(afterRid: number, upToRid: number): Promise<StoredPseudonymRow[]>;
  /** Signals whose catch-up ran during a rotation (they are caught up again after it). */
  pendingRotationCatchUps(limit: number): Promise<number[]>;
  /**
   * Per organisation, the signals (active and archived) that have no subject pseudonym
   * under an active epoch other than `epoch`: what retiring `epoch` would strand.
   */
  epochDependants(epoch: number): Promise<EpochDependants[]>;
  /** Active signals per organisation (over an index, without reading the signals). */
  activeSignalCounts(): Promise<{ readonly organisationId: string; readonly activeSignals: number }[]>;
  /**
   * The row ids of the active signals that retiring `epoch` would strand (a subject value
   * under it, none under another active epoch), ascending: one pass over the stored values.
   */
  activeSignalRidsOnlyUnder(epoch: number): Promise<number[]>;
  /**
   * For the gauges of /metrics, one organisation's signals by state: two counts over its
   * part of an index (no table read, no join). The engine counts organisation by
   * organisation and yields between them, so no single read holds the event loop long.
   */
  signalStateCounts(organisationRid: number): Promise<{ readonly active: number; readonly inactive: number }>;
  /** For the gauges of /metrics: matches of one status and kind (over an index). */
  matchCount(status: MatchStatus, kind: MatchKind): Promise<number>;
}

/** Writes, only inside Store.write. Constraint violations throw EngineError 'conflict'. */
export interface StoreWriter extends StoreReader, SignInWriter {
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
  /**
   * Enters the organisation's budget section (clause 4) if no other write holds it, or
   * lets go of it within `patienceMs`: true when entered (or held already), false when
   * another write held it that long — never a longer wait. Calls sent behind a `false` ran
   * outside the section; the caller drops their answers (docs/engine.md "Coalesced
   * placements"). SQLite: always true (one writer).
   */
  tryBudgetSection(organisationRid: number, patienceMs?: number): Promise<boolean>;
  insertOrganisation(row: NewOrganisation): Promise<number>;
  updateOrganisation(
    rid: number,
    patch: Partial<Pick<OrganisationRow, 'status' | 'webhookUrl' | 'placementBudgetPerDay' | 'matchEmail'>>,
  ): Promise<void>;
  insertKey(row: Omit<KeyRow, 'organisationId'>): Promise<void>;
  updateKey(keyId: string, patch: Pick<KeyRow, 'status' | 'revokedAt'>): Promise<void>;
  insertEpoch(row: EpochRow): Promise<void>;
  /**
   * Inserts a person; returns its rid. A duplicate `id` is a 'conflict'. `roles` is stored
   * as given (the domain has validated it) and read back in the same order.
   */
  insertPerson(row: NewPerson): Promise<number>;
  /** Changes the given fields of the person with `rid` (absent fields stay); no-op for an unknown rid. */
  updatePerson(rid: number, patch: PersonPatch): Promise<void>;
  updateEpoch(epoch: number, patch: Pick<EpochRow, 'status' | 'retiredAt'>): Promise<void>;

  insertSignal(row: NewSignal): Promise<number>;
  updateSignal(rid: number, patch: SignalPatch): Promise<void>;
  /**
   * Deletes the signal, its stored pseudonyms and its consent (its matches must be deleted
   * first), the archive notices about it as the archived side, and unlinks (signalRid
   * null) the notices it received, which keep their pair.
   */
  deleteSignal(rid: number): Promise<void>;
  insertPseudonyms(rows: readonly StoredPseudonymRow[]): Promise<void>;
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
  deletePseudonymsOfEpoch(epoch: number): Promise<number>;
  /** Replaces one stored value by its re-keyed successor (server-secret rotation). */
  rekeyPseudonym(row: StoredPseudonymRow, stored: Uint8Array, generation: number): Promise<void>;
  updateRequestHash(rid: number, requestHash: Uint8Array): Promise<void>;
  insertSecretRotation(row: SecretRotationRow): Promise<void>;
  updateSecretRotation(
    generation: number,
    patch: Pick<SecretRotationRow, 'cursorRid' | 'rowsRekeyed' | 'hashesRekeyed' | 'completedAt'>,
  ): Promise<void>;
  /** Remembers that `signalRid` was caught up while a rotation is in progress (else no-op). */
  noteRotationCatchUp(signalRid: number): Promise<void>;
  deleteRotationCatchUps(signalRids: readonly number[]): Promise<void>;
  deleteParentPseudonyms(stored: readonly Uint8Array[]): Promise<number>;

  insertMatch(row: NewMatch): Promise<number>;
  /** `insertMatch` for several rows in few statements (the batch path); a duplicate pair or id is a 'conflict' that fails the operation, as `insertPlacements`. */
  insertMatches(rows: readonly NewMatch[]): Promise<void>;
  updateMatch(rid: number, patch: MatchPatch): Promise<void>;
  /**
   * Deletes the match, its agreement entries and every inbox event, pending delivery and
   * pending match notice about it.
   */
  deleteMatch(rid: number): Promise<void>;

  /**
   * Records an archive notice unless its (archivedSignalRid, organisationRid) pair has
   * one: true when inserted, false (nothing changed) when the pair was noticed before.
   * Two concurrent inserts of one pair: exactly one is true (the pair is unique).
   */
  insertArchiveNotice(row: ArchiveNoticeRow): Promise<boolean>;
  /**
   * Adds `by` (≥ 1) to one management-information counter, creating it at 0. An atomic
   * increment (an upsert): concurrent adds, on one instance or several, lose none.
   */
  addStatistic(month: number, organisationType: string, metric: number, by: number): Promise<void>;

  /** Inserts or replaces the signal's consent. */
  setConsent(row: ConsentRow): Promise<void>;
  /** Appends one entry; a duplicate (matchRid, seq) is a 'conflict'. */
  appendAgreementEntry(row: AgreementEntryRow): Promise<void>;

  /** The organisation's next cursor, allocated under a lock held to commit (contract clause 4). */
  appendEvent(row: Omit<EventRow, 'cursor'>): Promise<number>;
  /**
   * `appendEvent` for several rows (the batch path): returns each row's cursor, in row
   * order; an organisation's rows get consecutive cursors in row order. Its cursor locks
   * (clause 4) are taken in organisation rid order, so two batches notifying the same
   * organisations cannot deadlock.
   */
  appendEvents(rows: readonly Omit<EventRow, 'cursor'>[]): Promise<number[]>;
  deleteEventsBefore(at: number): Promise<number>;

  insertDelivery(row: NewDelivery): Promise<void>;
  /**
   * Claims up to `limit` deliveries that are pending, due (nextAttemptAt ≤ now) and not
   * leased (claimedUntil null or ≤ now), oldest due first: sets their claim to `claim`
   * and returns them as claimed. Concurrency (clause 5): of concurrent claims, on one
   * instance or several, no row is returned to two whose leases overlap — PostgreSQL locks
   * the rows `FOR UPDATE SKIP LOCKED` (a row another claim holds is skipped, one it has
   * just claimed is re-checked and left), SQLite's single writer runs claims one at a time.
   * A lease that ends without a recorded attempt (a crashed sender) frees the row again.
   */
  claimDeliveries(now: number, claim: OutboxClaim, limit: number): Promise<DeliveryRow[]>;
  /** Sets the delivery's state fields and ends its claim (claim and claimedUntil null). */
  updateDelivery(
    id: string,
    patch: Pick<DeliveryRow, 'status' | 'attempts' | 'nextAttemptAt' | 'lastErrorCode' | 'deliveredAt'>,
  ): Promise<void>;
  deleteDeliveredBefore(at: number): Promise<number>;

  /** Queues one match notice; a duplicate id is a 'conflict'. */
  insertMailNotice(row: NewMailNotice): Promise<void>;
  /** As `claimDeliveries`, for pending match notices (docs/engine.md "Match notice e-mail"). */
  claimMailNotices(now: number, claim: OutboxClaim, limit: number): Promise<MailNoticeRow[]>;
  /** Sets the notice's state fields and ends its claim (no-op for an unknown id). */
  updateMailNotice(id: string, patch: MailNoticePatch): Promise<void>;
  /** Deletes sent and dropped notices done before `at`; pending ones stay. Returns how many. */
  deleteDoneMailNoticesBefore(at: number): Promise<number>;

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
  /** Inserts or replaces the (keyId, matchId) reveal mark with time `at`. */
  setRevealLogged(keyId: string, matchId: string, at: number): Promise<void>;
  /** Deletes reveal marks older than `at` (their window has passed). */
  deleteRevealMarksBefore(at: number): Promise<number>;

  insertNonces(rows: readonly NonceRow[]): Promise<void>;
  deleteExpiredNonces(now: number): Promise<number>;
  setPlacementHour(organisationRid: number, hour: number, row: PlacementHourRow): Promise<void>;
  /** Adds `by` to the hour's count (a new hour starts at 0, not alerted); the row after it. */
  addToPlacementHour(organisationRid: number, hour: number, by: number): Promise<PlacementHourRow>;
  deletePlacementHoursBefore(hour: number): Promise<number>;
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

export interface Store {
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
  stats(): StoreStats;
  close(): Promise<void>;
}
