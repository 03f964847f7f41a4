// Replay protection (docs/protocol.md §5): a nonce seen for a key is refused until the
// request's timestamp has left the accepted window — created + skew, at most 600 s after
// it was first seen. Check-and-insert is synchronous, so two concurrent requests with one
// nonce can never both pass. Memory is bounded by the request rate × window: entries are
// kept in per-second expiry buckets and pruned by expiry (not insertion order, which a
// request with a future `created` would otherwise pin). New nonces are persisted lazily
// (nonce-flusher.ts); a failed flush re-queues them, and they are reloaded at start-up.

import type { NonceRow } from '../store.js';

export class NonceCache {
  readonly #seen = new Map<string, number>();
  /** Expiry second → keys expiring in it (a key may linger in an old bucket; checked on prune). */
  readonly #buckets = new Map<number, string[]>();
  #pending: NonceRow[] = [];
  #inserts = 0;

  /** False (and records it) when the nonce was not seen yet; true when it is a replay. */
  checkAndAdd(keyId: string, nonce: string, expiresAt: number, now: number): boolean {
    const k = `${keyId} ${nonce}`;
    const prev = this.#seen.get(k);
    if (prev !== undefined && prev > now) return true;
    this.#remember(k, expiresAt);
    this.#pending.push({ keyId, nonce, expiresAt });
    if (++this.#inserts % 1024 === 0) this.prune(now);
    return false;
  }

  #remember(k: string, expiresAt: number): void {
    this.#seen.set(k, expiresAt);
    const second = Math.ceil(expiresAt / 1000);
    const bucket = this.#buckets.get(second);
    if (bucket === undefined) this.#buckets.set(second, [k]);
    else bucket.push(k);
  }

  load(rows: readonly NonceRow[]): void {
    for (const r of rows) {
      const k = `${r.keyId} ${r.nonce}`;
      if ((this.#seen.get(k) ?? 0) < r.expiresAt) this.#remember(k, r.expiresAt);
    }
  }

  /** Drops every entry whose expiry has passed, whatever order they came in. */
  prune(now: number): void {
    for (const [second, keys] of this.#buckets) {
      if (second * 1000 > now) continue;
      for (const k of keys) {
        const exp = this.#seen.get(k);
        if (exp !== undefined && exp <= now) this.#seen.delete(k);
      }
      this.#buckets.delete(second);
    }
  }

  takePending(): NonceRow[] {
    const p = this.#pending;
    this.#pending = [];
    return p;
  }

  /** Puts back rows whose persistence failed (disk full, read-only), dropping expired ones. */
  requeue(rows: readonly NonceRow[], now: number): void {
    this.#pending = [...rows.filter((r) => r.expiresAt > now), ...this.#pending];
  }

  get size(): number {
    return this.#seen.size;
  }
}
