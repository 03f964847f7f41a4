// Group commit for an append-only file of the service (logbook.ts, nonce-file.ts): writes are
// counted, and a caller that needs its writes on disk waits for one fdatasync, on libuv's thread
// pool, that covers every write made before it began; the next one starts when it ends, so
// concurrent callers share syncs and the event loop goes on meanwhile. The descriptor may be
// replaced (a rotation, a rewrite) while a sync runs on the old one: only the descriptor being
// synced waits for that sync to close it, any other is closed when it is replaced.

import { closeSync, fdatasync } from 'node:fs';

interface Waiter {
  /** The write this caller needs on disk (the count of writes when it asked). */
  readonly upTo: number;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

export interface GroupSyncOptions {
  /** The file's name, for the error of a sync asked for while no descriptor is open. */
  readonly name: string;
  /**
   * After a failed fdatasync, drop the descriptor: its owner then writes the file anew (a retried
   * fdatasync can report success for pages the failed one dropped).
   */
  readonly dropAfterFailedSync: boolean;
}

export class GroupSync {
  readonly #options: GroupSyncOptions;
  #fd: number | undefined;
  /** Writes made, and how many of them an fsync (or a file written anew) has made durable. */
  #written = 0;
  #synced = 0;
  #syncing: Promise<void> | undefined;
  /** The descriptor the running fdatasync is on. */
  #syncingFd: number | undefined;
  #waiting: Waiter[] = [];

  constructor(fd: number | undefined, options: GroupSyncOptions) {
    this.#fd = fd;
    this.#options = options;
  }

  /** The open descriptor; undefined when there is none (closed, or dropped after a failure). */
  get fd(): number | undefined {
    return this.#fd;
  }

  /** Some write is not yet known to be on disk. */
  get pending(): boolean {
    return this.#written > this.#synced;
  }

  /** Counts one write made on the descriptor. */
  wrote(): void {
    this.#written++;
  }

  /** Every write so far is on disk (the owner fsynced, or wrote the file anew): their callers go on. */
  synced(): void {
    this.#synced = this.#written;
    this.#settle(this.#written, null);
  }

  /**
   * Resolves once every write made so far is on disk; rejects when the fdatasync that covers
   * them failed (those writes may be lost) or no descriptor is open.
   */
  durable(): Promise<void> {
    const upTo = this.#written;
    if (upTo <= this.#synced) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.#waiting.push({ upTo, resolve, reject }));
    this.#sync();
    return done;
  }

  /**
   * Puts `fd` (or none) in place of the descriptor. The old one is closed now, unless the running
   * fdatasync is on it: that one closes it when it ends.
   */
  replace(fd: number | undefined): void {
    if (this.#fd !== undefined && this.#fd !== this.#syncingFd) closeSync(this.#fd);
    this.#fd = fd;
  }

  /** Resolves when the fdatasync under way, if any, has ended. */
  async idle(): Promise<void> {
    await this.#syncing;
  }

  /** One fdatasync for every write made so far; the next one starts when it ends. */
  #sync(): void {
    if (this.#syncing !== undefined || this.#waiting.length === 0) return;
    const fd = this.#fd;
    if (fd === undefined) {
      this.#settle(Number.POSITIVE_INFINITY, new Error(`${this.#options.name} not open`));
      return;
    }
    const upTo = this.#written;
    this.#syncingFd = fd;
    this.#syncing = new Promise<void>((ended) =>
      fdatasync(fd, (err) => {
        this.#syncing = undefined;
        this.#syncingFd = undefined;
        if (fd !== this.#fd) closeSync(fd); // replaced while it ran
        if (err === null) {
          this.#synced = Math.max(this.#synced, upTo);
          this.#settle(upTo, null);
        } else {
          // Every write made on this descriptor since the last good sync may be lost.
          if (this.#options.dropAfterFailedSync && fd === this.#fd) this.replace(undefined);
          this.#settle(Number.POSITIVE_INFINITY, err);
        }
        ended();
        this.#sync();
      }),
    );
  }

  /** Settles the callers whose writes are covered by `upTo` (rejected with `err` if given). */
  #settle(upTo: number, err: Error | null): void {
    if (this.#waiting.length === 0) return;
    const covered = this.#waiting.filter((w) => w.upTo <= upTo);
    this.#waiting = this.#waiting.filter((w) => w.upTo > upTo);
    for (const w of covered) {
      if (err === null) w.resolve();
      else w.reject(err);
    }
  }
}
