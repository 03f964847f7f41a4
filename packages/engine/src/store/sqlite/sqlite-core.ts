// The base of the SQLite store's reader/writer (sqlite-tx.ts) on one better-sqlite3
// connection: the statement cache every method prepares through (each statement prepared
// once, bound with parameters, never string-built from values), savepoints, batch items and
// the record of a write that erased personal data. The methods are async only to honour the
// Store contract; they run synchronously on the connection, so the single writer's
// transaction is never interleaved with another writer.
//
// The methods of the contract are added one aggregate per file, each class extending the one
// before (sqlite-organisations.ts, sqlite-people.ts, sqlite-notices.ts, sqlite-sign-in.ts,
// sqlite-signals.ts, sqlite-matches.ts, sqlite-mail.ts, sqlite-events.ts,
// sqlite-bookkeeping.ts, sqlite-rotation.ts, sqlite-placements.ts), so no method only hands a
// call on (as on PostgreSQL, pg-core.ts).

import type Database from 'better-sqlite3';
import type { LogHead } from '../rows.js';
import type { KeyStateCache } from './key-state-cache.js';
import { runBatchItem } from './sqlite-batch.js';
import { type Prepare, statementCache } from './statement-cache.js';

export class SqliteCore {
  protected readonly db: Database.Database;
  /** The connection's statement cache (statement-cache.ts). */
  protected readonly st: Prepare;
  /** The same for statements read for their first column's value alone (`pluck`). */
  protected readonly value: Prepare;
  /** The same for statements whose rows are read as arrays of their columns (`raw`). */
  protected readonly array: Prepare;
  /** On the read connection of a file store only (key-state-cache.ts); never on the writer. */
  protected readonly keyState: KeyStateCache | undefined;

  /** Nesting depth of savepoint(): names repeat per depth, so their statements are prepared once. */
  #depth = 0;

  /**
   * Set by every write that deletes or overwrites personal data (a contact, a stored
   * pseudonym, a request hash, a signal's or match's row): the store then checkpoints the
   * WAL within its bound (sqlite-store.ts, docs/engine.md "Deletion leaves no copy").
   */
  protected erased = false;

  /**
   * The entry the writer appended last (sqlite-bookkeeping.ts `appendLogEntry`): the chain's
   * head for as long as nothing else moves it, so a write that appends many entries (a batch's
   * `signal.found` entries, one per `existing` item) reads the head once (docs/performance.md
   * "Twenty-seventh pass: bulk, the logbook's head read once"), and so do the operations of one
   * group commit, each chaining onto the one before ("Thirty-seventh pass"). Forgotten wherever
   * the head can move otherwise — a savepoint rolled back, an entry inserted as it is, a purge —
   * and by the group commit (`forgetLogHead`) when an operation fails (its savepoint is rolled
   * back) and when the batch's transaction ends, committed or not: so it never outlives the
   * transaction that appended it, and never names an entry that was undone. The one writer
   * connection writes the logbook only inside the group commit's transactions, which hold the
   * file's write lock from BEGIN IMMEDIATE to COMMIT: nothing else moves the head while it is
   * kept. A read connection never appends, so its `appendedHead` stays unset.
   */
  protected appendedHead: LogHead | undefined;

  /** `keyState`: the read connection's cache of key and organisation rows (key-state-cache.ts). */
  constructor(db: Database.Database, keyState?: KeyStateCache) {
    this.db = db;
    this.st = statementCache(db);
    this.value = statementCache(db, 'value');
    this.array = statementCache(db, 'array');
    this.keyState = keyState;
  }

  /** Where the group commit undoes work or ends its transaction: the next append reads the chain's head (`appendedHead`). */
  forgetLogHead(): void {
    this.appendedHead = undefined;
  }

  /** True once since the last call when a write deleted or overwrote personal data. */
  takeErased(): boolean {
    const e = this.erased;
    this.erased = false;
    return e;
  }

  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const name = `nested_${++this.#depth}`;
    try {
      this.st(`SAVEPOINT ${name}`).run();
      try {
        const r = await fn();
        this.st(`RELEASE ${name}`).run();
        return r;
      } catch (e) {
        this.appendedHead = undefined;
        if (this.db.inTransaction) {
          this.st(`ROLLBACK TO ${name}`).run();
          this.st(`RELEASE ${name}`).run();
        }
        throw e;
      }
    } finally {
      this.#depth--;
    }
  }

  batchItem<T>(fn: () => Promise<T>): Promise<T> {
    return runBatchItem(this.st, () => this.db.inTransaction, fn);
  }

  async enterPersonSections(_stored: readonly Uint8Array[]): Promise<void> {
    // The single writer runs one write operation at a time: the section is already held.
  }
}
