// The sync of the WAL after each group commit (docs/engine.md "SQLite: group commit and
// durability"). The writer connection runs at `synchronous = NORMAL`, so SQLite's COMMIT writes
// the WAL frames without syncing them; this class makes them durable with `fdatasync` on the
// store's own descriptor of the `-wal` file (Linux syncs the inode's dirty pages, whichever
// descriptor wrote them): on the main thread right after the COMMIT for a small commit (what
// `synchronous = FULL` did inside it), on libuv's thread pool for a large one (a batch import's),
// so the next batch runs while it syncs. Invariants: a commit counts as durable only when a sync
// that STARTED after its COMMIT returned has completed; at most one sync is in flight on the
// pool, and the commits that complete while it runs share the next one; a failed sync is fatal —
// every waiter and every later caller is refused, since what the kernel did with the unsynced
// pages is unknown (PostgreSQL's answer to the same fault).

import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';
import { EngineError } from '../../errors.js';

/** Makes the WAL's written bytes durable off the main thread; rejects on an I/O error. */
export type SyncWal = () => Promise<void>;

/** The same on the calling thread; throws on an I/O error. */
export type SyncWalNow = () => void;

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

export class WalSync {
  readonly #sync: SyncWal;
  readonly #syncNow: SyncWalNow;
  readonly #onFatal: () => void;
  /** Commits made so far, and of them the ones known to be on disk. */
  #committed = 0;
  #durable = 0;
  #inFlight = false;
  #idle: (() => void)[] = [];
  /** Waiters in order of target: targets are commit counts, which only grow. */
  #waiters: Waiter[] = [];
  #failed: EngineError | undefined;

  constructor(sync: SyncWal, syncNow: SyncWalNow, onFatal: () => void) {
    this.#sync = sync;
    this.#syncNow = syncNow;
    this.#onFatal = onFatal;
  }

  /** The fatal error once a sync has failed; then nothing more is answered. */
  get failed(): EngineError | undefined {
    return this.#failed;
  }

  /** Called right after a COMMIT returned; starts a sync on the pool unless one is running. Returns the commit's number. */
  committed(): number {
    this.#committed++;
    this.#start();
    return this.#committed;
  }

  /**
   * Called right after a COMMIT returned: syncs on this thread, so every commit made so far is
   * durable when it returns (the WAL file's every dirty page, whichever commit wrote it). Throws
   * the fatal error if the sync fails.
   */
  committedAndSynced(): void {
    if (this.#failed !== undefined) throw this.#failed;
    this.#committed++;
    try {
      this.#syncNow();
    } catch {
      this.#fail();
      throw this.#failed;
    }
    this.#reached(this.#committed);
  }

  /**
   * Resolves once every commit made so far (or up to `target`) is durable; undefined when it
   * already is (no promise, no turn of the event loop for the common read).
   */
  whenDurable(target: number = this.#committed): Promise<void> | undefined {
    if (this.#failed !== undefined) return Promise.reject(this.#failed);
    if (target <= this.#durable) return undefined;
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ target, resolve, reject });
    });
  }

  /** Resolves when no sync is running (close waits for the last one). */
  async idle(): Promise<void> {
    if (!this.#inFlight) return;
    await new Promise<void>((r) => this.#idle.push(r));
  }

  /** Every commit up to `target` is on disk: releases the waiters it covers. */
  #reached(target: number): void {
    if (target <= this.#durable) return;
    this.#durable = target;
    let n = 0;
    while (n < this.#waiters.length && this.#waiters[n]!.target <= target) n++;
    for (const w of this.#waiters.splice(0, n)) w.resolve();
  }

  #start(): void {
    if (this.#inFlight || this.#failed !== undefined) return;
    this.#inFlight = true;
    // Every COMMIT counted so far has returned, so its frames are in the page cache.
    const target = this.#committed;
    this.#sync().then(
      () => {
        this.#inFlight = false;
        if (this.#failed !== undefined) return;
        this.#reached(target);
        if (this.#committed > this.#durable) this.#start();
        else for (const r of this.#idle.splice(0)) r();
      },
      () => {
        this.#inFlight = false;
        this.#fail();
      },
    );
  }

  #fail(): void {
    if (this.#failed !== undefined) {
      for (const r of this.#idle.splice(0)) r();
      return;
    }
    // No values in the error: the code is the whole story (docs/operations.md "Disk errors").
    // 503 to the clients waiting: nothing was acknowledged, and a retry with the same
    // requestId after the restart is answered from what is on disk.
    this.#failed = new EngineError('database_unavailable', 'the write-ahead log could not be made durable');
    for (const w of this.#waiters.splice(0)) w.reject(this.#failed);
    for (const r of this.#idle.splice(0)) r();
    this.#onFatal();
  }
}

/** The store's own descriptor of `<path>-wal`, synced with fdatasync on the thread pool or at once. */
export function walFileSync(path: string): { sync: SyncWal; syncNow: SyncWalNow; close: () => void } {
  // Read-only is enough for fdatasync on Linux, and works whatever mode SQLite gave the file.
  const fd = openSync(`${path}-wal`, 'r');
  return {
    sync: () =>
      new Promise<void>((resolve, reject) => {
        fdatasync(fd, (e) => (e === null ? resolve() : reject(e)));
      }),
    syncNow: () => fdatasyncSync(fd),
    close: () => closeSync(fd),
  };
}
