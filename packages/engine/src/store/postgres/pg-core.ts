// The base of the PostgreSQL store's reader/writer (pg-tx.ts): one object per read or per
// run of a write operation, on the pool (reads) or on the write's transaction. Every
// statement is a parameterised tagged template, never string-built from values (two run as
// fixed text with bound parameters through `sql.unsafe`, so that postgres.js leaves them
// unprepared: pg-signals.ts `listSignalsQuery`, pg-events.ts `holderEventsQuery`), and every
// failure is mapped to an engine code (pg-errors.ts; a lost connection by the store, after
// its repeats). In a write the calls that open a
// critical section (docs/engine.md "Storage contract", clause 4) take their
// transaction-scoped advisory lock first, once per transaction; what a savepoint rolls
// back (its locks, its deferred tail) is forgotten with it.
//
// The methods of the contract are added one aggregate per file, each class extending the
// one before (pg-sign-in.ts, pg-organisations.ts, pg-signals.ts, pg-matches.ts, pg-events.ts,
// pg-bookkeeping.ts, pg-rotation.ts), so no method only hands a call on.

import type postgres from 'postgres';
import type { PseudonymRole } from '../store.js';
import { isAbortedTransaction, isConnectionLoss, mapPgError } from './pg-errors.js';
import type { SharedStatement } from './pg-shared-statements.js';
import { PgTail } from './pg-tail.js';

/** What reads of one store share (pg-store.ts): the key statement, answered as rows. */
export interface SharedReads {
  readonly key: SharedStatement<string, Row[]>;
}

// biome-ignore lint/suspicious/noExplicitAny: rows of postgres.js are untyped
export type Row = any;
// biome-ignore lint/suspicious/noExplicitAny: the pool and a transaction share this shape
export type Sql = postgres.Sql<any>;

/**
 * A statement as fixed text and the values it binds as parameters, for `unnamed`, which hands
 * the text to `sql.unsafe` as it is: nothing escapes it.
 */
export interface Statement {
  /**
   * Constant SQL with `$n` placeholders only: built from fixed fragments and column lists,
   * never from a value and never from an identifier taken from input (every value goes into
   * `params`).
   */
  readonly text: string;
  /**
   * The values of `$1`…`$n`, in order; never empty: without parameters postgres.js sends the
   * text as a simple query, which may hold several statements.
   */
  readonly params: readonly number[];
}

/**
 * Runs `s` as the unnamed statement: `sql.unsafe` with parameters, which postgres.js does not
 * prepare, so PostgreSQL plans it for its values at every run and no connection's plan cache
 * turns it generic (docs/performance.md "Three scans made seeks").
 */
export const unnamed = (sql: Sql, s: Statement): postgres.PendingQuery<Row[]> =>
  sql.unsafe(s.text, [...s.params]);

export const roleCode = (r: PseudonymRole) => (r === 'subject' ? 0 : 1);
export const roleOf = (n: number): PseudonymRole => (n === 0 ? 'subject' : 'parent');
export const buf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export class PgCore {
  #sql: Sql;
  /** True inside a write: the sections of clause 4 are entered (else a plain read). */
  protected readonly write: boolean;
  /** Locks this transaction holds already (they are held to its end). */
  protected readonly held = new Set<string>();
  /** Logbook appends and statistics increments, written just before COMMIT (pg-tail.ts). */
  protected readonly tail = new PgTail();

  /** The instance's statements shared by concurrent reads (pg-shared-statements.ts); absent in tools. */
  protected readonly shared: SharedReads | undefined;

  constructor(sql: Sql, write: boolean, shared?: SharedReads) {
    this.#sql = sql;
    this.write = write;
    this.shared = shared;
  }

  /**
   * Runs one statement, mapping its failure to an engine code — except a lost connection,
   * passed on as it is so that the store runs the read or the write (before COMMIT) again
   * (docs/engine.md "Storage contract", clause 3; pg-store.ts maps it when it gives up).
   */
  protected async q(run: (sql: Sql) => Promise<Row[]>): Promise<Row[]> {
    try {
      return await run(this.#sql);
    } catch (e) {
      throw isAbortedTransaction(e) || isConnectionLoss(e) ? e : mapPgError(e);
    }
  }

  /**
   * A section counts as held from the moment its lock statement is sent, not from its
   * answer: statements on the write's one connection run in the order they are sent, so
   * any statement sent after it — also one pipelined before its answer came, as a
   * coalesced group's reads are (placement-coalescer.ts) — runs inside the section. A lock
   * statement that fails aborts the transaction (or the savepoint, which restores `held`).
   */
  protected async lock(name: string, run: (sql: Sql) => Promise<Row[]>): Promise<void> {
    if (!this.write || this.held.has(name)) return;
    this.held.add(name);
    await this.q(run);
  }

  /**
   * Enters section `name` (if not held yet) and runs `read` in the same round trip: the two
   * statements are pipelined on the transaction's connection and run in order, and under
   * READ COMMITTED the read takes its snapshot after the lock is granted, so it sees every
   * write of the section's previous holder.
   */
  protected async inSection(
    name: string,
    lock: (sql: Sql) => Promise<Row[]>,
    read: (sql: Sql) => Promise<Row[]>,
  ): Promise<Row[]> {
    if (!this.write || this.held.has(name)) return this.q(read);
    this.held.add(name);
    const [, rows] = await this.q(async (sql) => (await Promise.all([lock(sql), read(sql)])) as Row[]);
    return rows as Row[];
  }
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    // postgres.js scopes a failed statement to the innermost savepoint of its own `sql`, so
    // the statements of `fn` run on the savepoint's (one operation runs its calls in turn).
    const outer = this.#sql;
    // ROLLBACK TO SAVEPOINT releases the locks taken since the savepoint, advisory ones
    // included: a section entered inside a savepoint that fails must be entered again by
    // the next call that needs it (docs/engine.md "Storage contract", clause 4).
    const heldBefore = [...this.held];
    const tailBefore = this.tail.snapshot();
    try {
      return (await (outer as unknown as postgres.TransactionSql).savepoint(async (inner) => {
        this.#sql = inner as unknown as Sql;
        try {
          return await fn();
        } finally {
          this.#sql = outer;
        }
      })) as T;
    } catch (e) {
      this.held.clear();
      for (const name of heldBefore) this.held.add(name);
      this.tail.restore(tailBefore);
      throw isConnectionLoss(e) ? e : mapPgError(e);
    }
  }

  /**
   * Writes the deferred tail (pg-tail.ts): by the store just before COMMIT, and by a read
   * of the logbook or the statistics inside the write, which must see what it appended.
   */
  async flushTail(): Promise<void> {
    if (!this.write) return;
    const lock = this.tail.needsLogbook && !this.held.has('logbook');
    await this.q(async (sql) => {
      await this.tail.flush(sql, lock);
      return [];
    });
    if (lock) this.held.add('logbook');
  }

  /** A savepoint (store.ts `batchItem`): a lock wait may time out after the item's first write. */
  batchItem<T>(fn: () => Promise<T>): Promise<T> {
    return this.savepoint(fn);
  }
}
