// Opens the embedded SQLite store: pragmas for durability and secure deletion, forward
// migrations, one writer connection (group commit) and one read-only connection that
// sees committed data only. Invariants: an acknowledged write survives power loss
// (WAL + synchronous=FULL); deleted rows are overwritten (secure_delete) and leave the
// WAL within SCRUB_DELAY_MS of the commit that deleted them, or at once on compact()
// (checkpoint TRUNCATE; docs/engine.md "Deletion leaves no copy"); a newer or foreign
// database is refused.

import Database from 'better-sqlite3';
import { EngineError, isEngineError } from '../../errors.js';
import type { Readiness, SchemaMigration, Store, StoreReader, StoreStats, StoreWriter } from '../store.js';
import { GroupCommitWriter } from './group-commit.js';
import { migrate } from './migrations.js';
import { NonceCache } from './nonce-cache.js';
import { NonceFlusher } from './nonce-flusher.js';
import { onlineBackup } from './sqlite-backup.js';
import { mapSqliteError } from './sqlite-errors.js';
import { KeyStateCache } from './key-state-cache.js';
import {
  type ConnectionSettings,
  checkpointAtOpen,
  checkpointBusy,
  configure,
  configureConnection,
  settingsOf,
} from './sqlite-connection.js';
import { type CheckpointRound, RESET_FRAMES, WalCheckpointer } from './wal-checkpointer.js';
import { SqliteTx } from './sqlite-tx.js';

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' (tests; reads then share the writer connection). */
  readonly path: string;
  /** Used to date epoch 1 when the database is created and to prune nonces; default Date.now. */
  readonly clock?: () => number;
  /** How often claimed nonces are persisted (nonce-flusher.ts); default 250 ms. */
  readonly nonceFlushMs?: number;
  /** The bound on deleted personal data lingering in the WAL; default SCRUB_DELAY_MS (tests shorten it). */
  readonly scrubDelayMs?: number;
  /** WAL frames past which the writer resets the WAL (wal-checkpointer.ts); default RESET_FRAMES (tests lower it). */
  readonly walResetFrames?: number;
}

/**
 * After a commit that deleted or overwrote personal data (SqliteTx.takeErased), the WAL
 * is checkpointed with TRUNCATE within this many milliseconds: the old page images in the
 * WAL are the only copy secure_delete cannot reach. Deletions within the delay share one
 * checkpoint. While another process holds a read transaction open (a backup, a shell) the
 * checkpoint cannot finish; it is retried every SCRUB_DELAY_MS until it does.
 */
export const SCRUB_DELAY_MS = 1000;

export interface SqliteStore extends Store {
  readonly path: string;
  /** The schema steps this open ran on an existing database (migrations.ts). */
  readonly schemaMigration: SchemaMigration | undefined;
  /**
   * Online backup with SQLite's backup API: a consistent snapshot while writes go on.
   * The copy is written to a hidden sibling, `.<name>.partial-<12 hex>`, created exclusively
   * with mode 0600 BEFORE any page is written (it holds contact details and stored
   * pseudonyms), integrity-checked and fsynced there, and only then published at
   * `targetPath` with link(), so the target name only ever holds a complete, checked copy and
   * an existing file is never overwritten (`conflict`). On any failure, or when `signal`
   * aborts (checked between steps of the copy and before publishing; rejects with its
   * AbortError), the partial copy is removed. Partial copies of the same name that a process
   * ended at once left behind are removed first (`leftoversRemoved`; sqlite-backup.ts).
   */
  backup(
    targetPath: string,
    options?: { readonly signal?: AbortSignal },
  ): Promise<{ pages: number; leftoversRemoved: number }>;
  /**
   * The durability and deletion settings as each connection reports them (writer and
   * reader): what the store promises, read back rather than assumed (sqlite-store.test.ts).
   */
  connectionSettings(): { readonly writer: ConnectionSettings; readonly reader: ConnectionSettings };
  /**
   * How often the read connection's key and organisation rows were forgotten after a write
   * changed one (key-state-cache.ts); undefined in memory, where nothing is cached.
   */
  keyStateInvalidations(): number | undefined;
  /** The WAL checkpointer's rounds and its last report (wal-checkpointer.ts); undefined in memory. */
  walCheckpoints(): { readonly rounds: number; readonly last: CheckpointRound | undefined } | undefined;
}

const CHECKPOINT_ATTEMPTS = 5;
const CHECKPOINT_RETRY_MS = 50;

export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const memory = options.path === ':memory:';
  let db: Database.Database | undefined;
  let reader: Database.Database | undefined;
  let migration: SchemaMigration | undefined;
  try {
    db = new Database(options.path);
    // Touch the file header first: a file that is not SQLite fails here with NOTADB.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    configure(db);
    migration = migrate(db, (options.clock ?? Date.now)());
    // After the migrations (whose index builds may sort more than fits in memory): the
    // writer's savepoint journals stay in memory (docs/engine.md "Storage").
    db.pragma('temp_store = MEMORY');
    if (!memory) {
      checkpointAtOpen(db);
      reader = new Database(options.path, { readonly: true });
      configureConnection(reader);
    }
  } catch (e) {
    try {
      reader?.close();
      db?.close();
    } catch {
      // already failing
    }
    throw mapSqliteError(e);
  }
  const clock = options.clock ?? Date.now;
  const nonces = new NonceCache();
  nonces.load(
    (
      db.prepare('SELECT key_id, nonce, expires_at FROM nonces WHERE expires_at > ?').all(clock()) as {
        key_id: string;
        nonce: string;
        expires_at: number;
      }[]
    ).map((r) => ({ keyId: r.key_id, nonce: r.nonce, expiresAt: r.expires_at })),
  );
  const store = new SqliteStoreImpl(
    options.path,
    db,
    reader ?? db,
    memory ? undefined : (options.scrubDelayMs ?? SCRUB_DELAY_MS),
    { nonces, clock, flushMs: options.nonceFlushMs ?? 250 },
    options.walResetFrames ?? RESET_FRAMES,
  );
  store.schemaMigration = migration;
  return store;
}

class SqliteStoreImpl implements SqliteStore {
  readonly path: string;
  schemaMigration: SchemaMigration | undefined;
  /** One writer (Store `writeConnections`). */
  readonly writeConnections = 1;
  readonly #db: Database.Database;
  readonly #reader: Database.Database;
  readonly #readTx: StoreReader;
  readonly #writer: GroupCommitWriter;
  /** One process owns the file, so its nonces are checked in memory and persisted lazily. */
  readonly #nonces: NonceCache;
  readonly #nonceFlusher: NonceFlusher;
  /** Jobs running in this process: the only process writing the file (clause 5). */
  readonly #jobs = new Set<string>();
  readonly #writeTx: SqliteTx;
  readonly #keyState: KeyStateCache | undefined;
  readonly #checkpointer: WalCheckpointer | undefined;
  #resetting = false;
  /** undefined: in memory, no files to scrub. */
  readonly #scrubDelayMs: number | undefined;
  #scrubTimer: NodeJS.Timeout | undefined;
  /** A warning was emitted for the checkpoint still blocked: once per episode, not every retry. */
  #warned = false;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(
    path: string,
    db: Database.Database,
    reader: Database.Database,
    scrubDelayMs: number | undefined,
    replay: { nonces: NonceCache; clock: () => number; flushMs: number },
    walResetFrames: number,
  ) {
    this.path = path;
    this.#db = db;
    this.#reader = reader;
    this.#writeTx = new SqliteTx(db);
    // The read connection caches key and organisation rows (key-state-cache.ts). In memory
    // the reader is the writer's own connection, which sees its open transaction: no cache.
    const keyState = reader === db ? undefined : new KeyStateCache();
    keyState?.watch(db);
    this.#keyState = keyState;
    this.#readTx = reader === db ? this.#writeTx : new SqliteTx(reader, keyState);
    const writeTx = this.#writeTx;
    // The logbook's head a write appended stays known across the operations of one batch and
    // is forgotten wherever the batch's work is undone: a failed operation's savepoint, and the
    // transaction's end, committed or not (sqlite-core.ts `appendedHead`).
    this.#writer = new GroupCommitWriter(
      db,
      writeTx,
      () => {
        writeTx.forgetLogHead();
        keyState?.transactionEnded();
        this.#checkpointer?.committed();
      },
      () => writeTx.forgetLogHead(),
    );
    // The WAL is checkpointed on a worker thread, not inside a COMMIT (wal-checkpointer.ts).
    this.#checkpointer =
      reader === db ? undefined : new WalCheckpointer(db, path, walResetFrames, () => this.#resetWal());
    this.#scrubDelayMs = scrubDelayMs;
    this.#nonces = replay.nonces;
    this.#nonceFlusher = new NonceFlusher(
      (op) => this.#writer.write(op),
      replay.clock,
      replay.nonces,
      replay.flushMs,
    );
    this.#nonceFlusher.start();
  }

  async claimNonce(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    if (this.#closed) throw new EngineError('store_closed', 'the store is closed');
    // Synchronous check-and-insert: two concurrent claims can never both pass.
    return !this.#nonces.checkAndAdd(keyId, nonce, expiresAt, now);
  }

  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    if (this.#closed) throw new EngineError('store_closed', 'the store is closed');
    if (this.#jobs.has(name)) return undefined;
    this.#jobs.add(name);
    try {
      return await fn();
    } finally {
      this.#jobs.delete(name);
    }
  }

  async read<T>(op: (tx: StoreReader) => Promise<T>): Promise<T> {
    if (this.#closed) throw new EngineError('store_closed', 'the store is closed');
    try {
      return await op(this.#readTx);
    } catch (e) {
      throw e instanceof EngineError ? e : mapSqliteError(e);
    }
  }

  write<T>(op: (tx: StoreWriter) => Promise<T>): Promise<T> {
    // Whether it committed or not: a spurious checkpoint is harmless, a missed one is not.
    return this.#writer.write(op).finally(() => {
      if (this.#writeTx.takeErased()) this.#scheduleScrub();
    });
  }

  /** The writer's own PASSIVE checkpoint between two batches, so the next one starts the WAL again. */
  #resetWal(): void {
    if (this.#resetting || this.#closed) return;
    this.#resetting = true;
    this.#writer
      .outsideTransaction(() => this.#db.pragma('wal_checkpoint(PASSIVE)'))
      .catch(() => undefined)
      .finally(() => {
        this.#resetting = false;
      });
  }

  /** What the WAL checkpointer last reported; undefined in memory. */
  walCheckpoints(): { readonly rounds: number; readonly last: CheckpointRound | undefined } | undefined {
    const c = this.#checkpointer;
    return c === undefined ? undefined : { rounds: c.rounds, last: c.last };
  }

  /** One pending checkpoint for every deletion within the delay (docs/engine.md "Deletion leaves no copy"). */
  #scheduleScrub(): void {
    if (this.#scrubDelayMs === undefined || this.#scrubTimer !== undefined || this.#closed) return;
    this.#scrubTimer = setTimeout(() => {
      this.#checkpoint()
        .catch(() => false)
        .then((done) => {
          this.#scrubTimer = undefined;
          // Blocked by a reader (or a disk fault): try again after the same delay.
          if (!done) this.#scheduleScrub();
        });
    }, this.#scrubDelayMs);
    // The process may exit meanwhile: close() checkpoints, and the next open does too.
    this.#scrubTimer.unref();
  }

  async compact(): Promise<void> {
    if (this.#closed) throw new EngineError('store_closed', 'the store is closed');
    await this.#checkpoint();
  }

  async ready(): Promise<Readiness> {
    if (this.#closed) return { ready: false, reason: 'closed' };
    try {
      await this.read((tx) => tx.listEpochs());
      return { ready: true };
    } catch (e) {
      return { ready: false, reason: 'database', ...(isEngineError(e) ? { code: e.code } : {}) };
    }
  }

  /** True when the WAL was checkpointed and truncated. */
  async #checkpoint(): Promise<boolean> {
    if (this.#closed) return true;
    // Between batches, so no transaction of the writer is open during the checkpoint. A
    // reader (another process, a backup) can keep the checkpoint from finishing: then the
    // erased content is still in the WAL, so retry a few times and warn (code only) if it
    // stays incomplete; the next compact, scheduled scrub or close finishes it.
    for (let attempt = 0; attempt < CHECKPOINT_ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, CHECKPOINT_RETRY_MS));
      const busy = await this.#writer.outsideTransaction(() => checkpointBusy(this.#db));
      if (!busy) {
        this.#warned = false;
        return true;
      }
    }
    if (!this.#warned) {
      process.emitWarning('the WAL checkpoint after a deletion stayed incomplete', {
        code: 'SLUIS_CHECKPOINT_INCOMPLETE',
      });
    }
    this.#warned = true;
    return false;
  }

  connectionSettings(): { readonly writer: ConnectionSettings; readonly reader: ConnectionSettings } {
    if (this.#closed) throw new EngineError('store_closed', 'the store is closed');
    return { writer: settingsOf(this.#db), reader: settingsOf(this.#reader) };
  }

  keyStateInvalidations(): number | undefined {
    return this.#keyState?.invalidations;
  }

  stats(): StoreStats {
    return { ...this.#writer.stats, noncesInMemory: this.#nonces.size };
  }

  async backup(
    targetPath: string,
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<{ pages: number; leftoversRemoved: number }> {
    if (this.#closed) throw new EngineError('store_closed', 'the store is closed');
    if (this.path === ':memory:') throw new EngineError('conflict', 'an in-memory store has no file');
    return onlineBackup(this.#reader, targetPath, options.signal);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await this.#nonceFlusher.stop();
    this.#closed = true;
    clearTimeout(this.#scrubTimer);
    this.#scrubTimer = undefined;
    await this.#writer.close();
    await this.#checkpointer?.stop();
    if (this.#reader !== this.#db) this.#reader.close();
    try {
      this.#db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // a read-only or full disk keeps its WAL; it is replayed on the next open
    }
    this.#db.close();
  }
}
