// The Store's part for the key lifecycle (docs/keys.md): server-secret rotation (re-keying
// stored values in rid order) and epoch retirement. The rotation row is locked for the rest
// of a write, so rotation steps run one after another on any number of instances (contract
// clause 5, store.ts).

import type { EpochDependants, EpochSignalCount, SecretRotationRow, StoredPseudonymRow } from '../rows.js';

/** Reads (contract: store.ts). */
export interface KeyLifecycleReader {
  /**
   * The rotation with the highest generation, if any. In a write it stays locked until the
   * write ends (PostgreSQL: FOR UPDATE; SQLite: the single writer), so rotation steps —
   * a re-keying batch, its start — run one after another and each sees the last one's cursor.
   */
  latestSecretRotation(): Promise<SecretRotationRow | undefined>;
  /** The recorded check value of server-secret generation `generation` (docs/keys.md §2.2), if any. */
  secretCheck(generation: number): Promise<Uint8Array | undefined>;
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
   * Per organisation, the signals that have no subject pseudonym under an active epoch other
   * than `epoch` (what retiring `epoch` would strand), by their state at `now`: `active` the
   * live ones, `due` those stored active but past their expiresAt, `inactive` the archived
   * ones. A due signal has ended for every reader (docs/engine.md "The life of a signal"), so
   * it does not hold the epoch in use; only its recorded expiry waits.
   */
  epochDependants(epoch: number, now: number): Promise<EpochDependants[]>;
  /**
   * Live signals per organisation at `now` (stored active, expiresAt after `now`): the count
   * over the index on (org, state) less the due ones over the index on expires_at, so its
   * cost is what retention has left to record, not the table's size. Organisations with
   * none are left out.
   */
  activeSignalCounts(
    now: number,
  ): Promise<{ readonly organisationId: string; readonly activeSignals: number }[]>;
  /**
   * Per organisation and epoch, the live signals at `now` with a subject pseudonym under that
   * epoch: migration progress (docs/keys.md §4.1), a due signal counted nowhere.
   */
  epochSignalCounts(now: number): Promise<EpochSignalCount[]>;
  /**
   * The row ids of the signals stored active that retiring `epoch` would strand (a subject
   * value under it, none under another active epoch), ascending: one pass over the stored
   * values. Due ones included: the retirement records their expiry (domain/epochs.ts).
   */
  activeSignalRidsOnlyUnder(epoch: number): Promise<number[]>;
}

/** Writes, only inside Store.write. */
export interface KeyLifecycleWriter {
  deletePseudonymsOfEpoch(epoch: number): Promise<number>;
  /** Replaces one stored value by its re-keyed successor (server-secret rotation). */
  rekeyPseudonym(row: StoredPseudonymRow, stored: Uint8Array, generation: number): Promise<void>;
  updateRequestHash(rid: number, requestHash: Uint8Array): Promise<void>;
  insertSecretRotation(row: SecretRotationRow): Promise<void>;
  updateSecretRotation(
    generation: number,
    patch: Pick<SecretRotationRow, 'cursorRid' | 'rowsRekeyed' | 'hashesRekeyed' | 'completedAt'>,
  ): Promise<void>;
  /**
   * Records the check value of server-secret generation `generation` (docs/keys.md §2.2
   * "Check values") unless one is recorded already, and returns the recorded one: the
   * first writer's, also when two instances record at once (the other one's write sees it).
   */
  recordSecretCheck(generation: number, checkValue: Uint8Array, at: number): Promise<Uint8Array>;
  /** Remembers that `signalRid` was caught up while a rotation is in progress (else no-op). */
  noteRotationCatchUp(signalRid: number): Promise<void>;
  deleteRotationCatchUps(signalRids: readonly number[]): Promise<void>;
  deleteParentPseudonyms(stored: readonly Uint8Array[]): Promise<number>;
}
