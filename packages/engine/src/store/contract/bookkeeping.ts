// The Store's part for bookkeeping: the replay nonces' rows (loaded and flushed in bulk by
// the SQLite store's nonce cache; the claim shared by every instance is Store.claimNonce),
// the placement budget per organisation and hour, the management-information statistics,
// and the counts behind /metrics. Budget reads in a write enter the organisation's budget
// section (contract clause 4, store.ts), so check and charge are one atomic step.

import type { MatchKind, MatchStatus } from '../../api.js';
import type { DueCounts, NonceRow, PlacementHourRow, StatisticRow, StoreCounts } from '../rows.js';

/** Reads (contract: store.ts). */
export interface BookkeepingReader {
  /**
   * The management-information counters of the months fromMonth..toMonth (yyyymm, both
   * included), ordered by month, organisation type and metric.
   */
  statistics(fromMonth: number, toMonth: number): Promise<StatisticRow[]>;

  unexpiredNonces(now: number): Promise<NonceRow[]>;
  /** In a write, both enter the organisation's budget section first (contract clause 4). */
  placementHour(organisationRid: number, hour: number): Promise<PlacementHourRow | undefined>;
  placementsSince(organisationRid: number, fromHour: number): Promise<number>;

  counts(): Promise<StoreCounts>;

  /**
   * For the gauges of /metrics, one organisation's signals by state: two counts over its
   * part of an index (no table read, no join). The engine counts organisation by
   * organisation and yields between them, so no single read holds the event loop long.
   */
  signalStateCounts(organisationRid: number): Promise<{ readonly active: number; readonly inactive: number }>;
  /** For the gauges of /metrics: matches of one status and kind (over an index). */
  matchCount(status: MatchStatus, kind: MatchKind): Promise<number>;
  /**
   * The due signals at `now` and the active matches they are in (DueCounts), which the
   * gauges and the statistics count as inactive and ended, as every read shows them
   * (docs/engine.md "The life of a signal"). Walks the due part of the index on
   * (expires_at) of the active signals and each one's matches by the pair indexes: its cost
   * is what retention has left to record, not the table's size.
   */
  dueCounts(now: number): Promise<DueCounts>;
}

/** Writes, only inside Store.write. */
export interface BookkeepingWriter {
  /**
   * Adds `by` (≥ 1) to one management-information counter, creating it at 0. An atomic
   * increment (an upsert): concurrent adds, on one instance or several, lose none.
   */
  addStatistic(month: number, organisationType: string, metric: number, by: number): Promise<void>;

  /**
   * Persists claimed nonces (the SQLite store's lazy flush; docs/engine.md "Nonces"). A nonce
   * stored already with another expiry: SQLite, keyed by expiry, keeps both rows until
   * `deleteExpiredNonces` passes the older; PostgreSQL keeps the stored row.
   */
  insertNonces(rows: readonly NonceRow[]): Promise<void>;
  deleteExpiredNonces(now: number): Promise<number>;
  /**
   * Enters the organisation's budget section (clause 4) if no other write holds it, or
   * lets go of it within `patienceMs`: true when entered (or held already), false when
   * another write held it that long — never a longer wait. Only reads may be sent behind
   * a try not answered yet: when it answers false they ran outside the section, and the
   * caller drops their answers (docs/engine.md "Coalesced placements"); a write sent there
   * could commit outside it. A second try sent meanwhile waits for the first one's answer
   * (true only once entered). SQLite: always true (one writer).
   */
  tryBudgetSection(organisationRid: number, patienceMs?: number): Promise<boolean>;
  setPlacementHour(organisationRid: number, hour: number, row: PlacementHourRow): Promise<void>;
  /** Adds `by` to the hour's count (a new hour starts at 0, not alerted); the row after it. */
  addToPlacementHour(organisationRid: number, hour: number, by: number): Promise<PlacementHourRow>;
  deletePlacementHoursBefore(hour: number): Promise<number>;
}

/** A trait of the store, for the engine's own bounds on concurrent writes (part of Store). */
export interface WriteConcurrency {
  /**
   * How many writes can be in their transactions at once, each on a connection of its own:
   * PostgreSQL the pool size (`maxConnections`), SQLite 1 (one writer). The coalescer's lanes
   * take at most all but 3 of them (docs/engine.md "Coalesced placements").
   */
  readonly writeConnections: number;
}
