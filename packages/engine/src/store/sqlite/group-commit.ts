// The single writer with group commit (docs/engine.md "SQLite: group commit and durability").
// Concurrent write operations are run one after another inside ONE transaction, each in its
// own SAVEPOINT, and committed with one durable COMMIT; only then do their promises settle.
// Invariants: acknowledged = durable (nothing resolves before COMMIT returns); a failing
// operation rolls back only itself; a failed COMMIT rejects every operation of the
// batch and leaves the connection usable for the next batch. Whoever keeps state that mirrors
// the transaction (the logbook's head, sqlite-core.ts `appendedHead`) is told where work is
// undone (`rolledBack`) and where the transaction ends (`ended`).

import type Database from 'better-sqlite3';
import { EngineError } from '../../errors.js';
import type { StoreWriter } from '../store.js';
import { mapSqliteError } from './sqlite-errors.js';

interface Job {
  readonly op: (tx: StoreWriter) => Promise<unknown>;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

/** Upper bound on operations per batch, so one batch cannot delay its first caller for long. */
const MAX_BATCH = 512;

interface GroupCommitStats {
  commits: number;
  operations: number;
  failedOperations: number;
}

export class GroupCommitWriter {
  readonly #db: Database.Database;
  readonly #tx: StoreWriter;
  #queue: Job[] = [];
  #maintenance: (() => void)[] = [];
  #scheduled = false;
  #running: Promise<void> | undefined;
  #closed = false;
  readonly stats: GroupCommitStats = { commits: 0, operations: 0, failedOperations: 0 };
  /** Prepared once: `exec` would parse these again for every operation of every batch. */
  readonly #sql: Record<'begin' | 'savepoint' | 'release' | 'rollbackTo' | 'commit', Database.Statement>;

  /**
   * Runs when a batch's transaction has ended — committed, rolled back, its COMMIT failed or its
   * BEGIN — before any of its operations settles.
   */
  readonly #ended: () => void;

  /**
   * Runs when an operation has failed, before its savepoint is rolled back and before the next
   * operation of the batch runs (sqlite-core.ts `forgetLogHead`).
   */
  readonly #rolledBack: () => void;

  constructor(
    db: Database.Database,
    tx: StoreWriter,
    ended: () => void = () => undefined,
    rolledBack: () => void = () => undefined,
  ) {
    this.#db = db;
    this.#tx = tx;
    this.#ended = ended;
    this.#rolledBack = rolledBack;
    this.#sql = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      savepoint: db.prepare('SAVEPOINT op'),
      release: db.prepare('RELEASE op'),
      rollbackTo: db.prepare('ROLLBACK TO op'),
      commit: db.prepare('COMMIT'),
    };
  }

  write<T>(op: (tx: StoreWriter) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new EngineError('store_closed', 'the store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ op, resolve: resolve as (v: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Runs `fn` between batches, with no transaction open (e.g. a WAL checkpoint). */
  outsideTransaction<T>(fn: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new EngineError('store_closed', 'the store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.#maintenance.push(() => {
        try {
          resolve(fn());
        } catch (e) {
          reject(mapSqliteError(e));
        }
      });
      this.#schedule();
    });
  }

  /** Waits until every queued operation has settled, then refuses new ones. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#running !== undefined || this.#queue.length > 0 || this.#maintenance.length > 0) {
      if (this.#running === undefined) await this.#drain();
      else await this.#running;
    }
  }

  #schedule(): void {
    if (this.#scheduled || this.#running !== undefined) return;
    this.#scheduled = true;
    // setImmediate runs after pending I/O callbacks, so requests that arrived while the
    // previous COMMIT was syncing join this batch.
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#running === undefined) void this.#drain();
    });
  }

  #drain(): Promise<void> {
    const run = (async () => {
      while (this.#queue.length > 0 || this.#maintenance.length > 0) {
        if (this.#queue.length > 0) await this.#runBatch(this.#queue.splice(0, MAX_BATCH));
        for (const m of this.#maintenance.splice(0)) m();
      }
    })();
    this.#running = run.finally(() => {
      this.#running = undefined;
      // Work queued between the loop's last check and here must not be stranded.
      if (this.#queue.length > 0 || this.#maintenance.length > 0) this.#schedule();
    });
    return this.#running;
  }

  async #runBatch(batch: Job[]): Promise<void> {
    const db = this.#db;
    const sql = this.#sql;
    try {
      sql.begin.run();
    } catch (e) {
      const err = mapSqliteError(e);
      this.#ended();
      for (const j of batch) j.reject(err);
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    for (let i = 0; i < batch.length; i++) {
      const job = batch[i]!;
      try {
        sql.savepoint.run();
        const value = await job.op(this.#tx);
        sql.release.run();
        outcomes.push({ ok: true, value });
      } catch (e) {
        this.#rolledBack();
        if (!db.inTransaction) {
          // SQLite rolled back the whole transaction (e.g. SQLITE_FULL): nothing of this
          // batch is durable, so every operation of it fails.
          const err = mapSqliteError(e);
          this.#ended();
          this.stats.failedOperations += batch.length;
          for (const j of batch) j.reject(err);
          return;
        }
        try {
          sql.rollbackTo.run();
          sql.release.run();
        } catch (rollbackError) {
          this.#abort(batch, rollbackError);
          return;
        }
        outcomes.push({ ok: false, error: toEngineError(e) });
      }
    }
    try {
      sql.commit.run();
    } catch (e) {
      this.#abort(batch, e);
      return;
    }
    // Synchronously after the COMMIT and before any operation settles (key-state-cache.ts).
    this.#ended();
    this.stats.commits++;
    for (let i = 0; i < batch.length; i++) {
      const o = outcomes[i]!;
      const job = batch[i]!;
      if (o.ok) {
        this.stats.operations++;
        job.resolve(o.value);
      } else {
        this.stats.failedOperations++;
        job.reject(o.error);
      }
    }
  }

  #abort(batch: Job[], e: unknown): void {
    try {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
    } catch {
      // the connection stays open; the next BEGIN reports the fault if it persists
    }
    this.#ended();
    const err = mapSqliteError(e);
    this.stats.failedOperations += batch.length;
    for (const j of batch) j.reject(err);
  }
}

function toEngineError(e: unknown): unknown {
  if (e instanceof EngineError) return e;
  const mapped = mapSqliteError(e);
  // A non-SQLite exception (a bug in an operation) becomes `internal` with the original as
  // its cause, so the server can log where it came from (stack frames only, never sent).
  if (mapped.code === 'internal' && !isSqliteError(e)) {
    return new EngineError('internal', mapped.message, { cause: e });
  }
  return mapped;
}

function isSqliteError(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}
