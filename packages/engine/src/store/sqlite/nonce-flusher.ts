// Lazy persistence of the nonces the SQLite store has been asked to claim (docs/engine.md
// "Nonces"): every flush interval the new ones join whatever write batch commits next.
// Replays are refused by the in-memory NonceCache, which one process owns with its file, so
// a slow or failed flush cannot let one pass; the table only carries nonces across a restart.

import type { StoreWriter } from '../store.js';
import type { NonceCache } from './nonce-cache.js';

type Write = (op: (tx: StoreWriter) => Promise<void>) => Promise<void>;

export class NonceFlusher {
  readonly #write: Write;
  readonly #clock: () => number;
  readonly #nonces: NonceCache;
  readonly #flushMs: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #flushing: Promise<void> | undefined;

  constructor(write: Write, clock: () => number, nonces: NonceCache, flushMs: number) {
    this.#write = write;
    this.#clock = clock;
    this.#nonces = nonces;
    this.#flushMs = flushMs;
  }

  /** Flushes every interval; the timer does not keep the process alive. */
  start(): void {
    this.#timer = setInterval(() => void this.flush(), this.#flushMs);
    this.#timer.unref();
  }

  /**
   * Persists newly seen nonces. They join whatever write batch is committing next, so
   * this costs no extra fsync under load. A crash can lose the last interval's nonces:
   * acceptable, see docs/engine.md "Nonces".
   */
  flush(): Promise<void> {
    if (this.#flushing !== undefined) return this.#flushing;
    const rows = this.#nonces.takePending();
    // One clock reading for both prunes. A flush without new nonces prunes only the cache; the
    // table's expired rows wait for the next flush with rows (and are skipped at load).
    const now = this.#clock();
    this.#nonces.prune(now);
    if (rows.length === 0) return Promise.resolve();
    this.#flushing = this.#write(async (tx) => {
      await tx.insertNonces(rows);
      await tx.deleteExpiredNonces(now);
    })
      .catch(() => {
        // Disk full or read-only: the nonces stay in memory, which is what refuses replays
        // now, and are queued again so a restart after the fault still knows them.
        this.#nonces.requeue(rows, this.#clock());
      })
      .finally(() => {
        this.#flushing = undefined;
      });
    return this.#flushing;
  }

  /** Stops the timer, waits for a flush under way, then persists what is left. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.#flushing !== undefined) await this.#flushing;
    await this.flush();
  }
}
