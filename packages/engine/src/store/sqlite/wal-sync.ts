// The WAL's fsync on libuv's thread pool (docs/engine.md "SQLite: group commit and durability").
// The writer connection runs at `synchronous = NORMAL`, so SQLite's COMMIT writes the WAL
// frames without syncing them; this class makes them durable with `fdatasync` on the store's
// own descriptor of the `-wal` file (Linux syncs the inode's dirty pages, whichever descriptor
// wrote them), off the main thread, and tells each waiter when every commit it depends on is on
// disk. Invariants: a commit counts as durable only when a sync that STARTED after its COMMIT
// returned has completed; at most one sync is in flight, and the commits that complete while
// it runs share the next one; a failed sync is fatal — every waiter and every later caller is
// refused, since what the kernel did with the unsynced pages is unknown (PostgreSQL's answer
// to the same fault).

import { closeSync, fdatasync, openSync } from 'node:fs';
import { EngineError } from '../../errors.js';

/** Makes the WAL's written bytes durable; rejects on an I/O error. */
export type SyncWal = () => Promise<void>;

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

export class WalSync {
  readonly #sync: SyncWal;
  readonly #onFatal: () => void;
  /** Commits made so far, and of them the ones known to be on disk. */
  #committed = 0;
  #durable = 0;
  #inFlight = false;
  #idle: (() => void)[] = [];
  /** Waiters in order of target: targets are commit counts, which only grow. */
  #waiters: Waiter[] = [];
  #failed: EngineError | undefined;

  constructor(sync: SyncWal, onFatal: () => void) {
    this.#sync = sync;
    this.#onFatal = onFatal;
  }

  /** The fatal error once a sync has failed; then nothing more is answered. */
  get failed(): EngineError | undefined {
    return this.#failed;
  }

  /** Called right after a COMMIT returned; starts a sync unless one is running. Returns the commit's number. */
  committed(): number {
    this.#committed++;
    this.#start();
    return this.#committed;
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

  #start(): void {
    if (this.#inFlight || this.#failed !== undefined) return;
    this.#inFlight = true;
    // Every COMMIT counted so far has returned, so its frames are in the page cache.
    const target = this.#committed;
    this.#sync().then(
      () => {
        this.#inFlight = false;
        this.#durable = target;
        let n = 0;
        while (n < this.#waiters.length && this.#waiters[n]!.target <= target) n++;
        for (const w of this.#waiters.splice(0, n)) w.resolve();
        if (this.#committed > this.#durable) this.#start();
        else for (const r of this.#idle.splice(0)) r();
      },
      () => {
        this.#inFlight = false;
        // No values in the error: the code is the whole story (docs/operations.md "Disk errors").
        // 503 to the clients waiting: nothing was acknowledged, and a retry with the same
        // requestId after the restart is answered from what is on disk.
        this.#failed = new EngineError(
          'database_unavailable',
          'the write-ahead log could not be made durable',
        );
        for (const w of this.#waiters.splice(0)) w.reject(this.#failed);
        for (const r of this.#idle.splice(0)) r();
        this.#onFatal();
      },
    );
  }
}

/** The store's own descriptor of `<path>-wal`, synced with fdatasync on the thread pool. */
export function walFileSync(path: string): { sync: SyncWal; close: () => void } {
  // Read-only is enough for fdatasync on Linux, and works whatever mode SQLite gave the file.
  const fd = openSync(`${path}-wal`, 'r');
  return {
    sync: () =>
      new Promise<void>((resolve, reject) => {
        fdatasync(fd, (e) => (e === null ? resolve() : reject(e)));
      }),
    close: () => closeSync(fd),
  };
}
