// Replay protection (docs/protocol.md §5): a nonce seen for a key is refused until the
// request's timestamp has left the accepted window. Check-and-insert is synchronous, so
// two concurrent requests with one nonce can never both pass. Memory is bounded by the
// request rate × window: entries expire at created + skew and are pruned in insertion
// order. New nonces are persisted lazily (see Authenticator) and reloaded at start-up.

import type { NonceRow } from '../store/store.js';

export class NonceCache {
  readonly #seen = new Map<string, number>();
  #pending: NonceRow[] = [];
  #inserts = 0;

  /** False (and records it) when the nonce was not seen yet; true when it is a replay. */
  checkAndAdd(keyId: string, nonce: string, expiresAt: number, now: number): boolean {
    const k = `${keyId} ${nonce}`;
    const prev = this.#seen.get(k);
    if (prev !== undefined && prev > now) return true;
    this.#seen.delete(k);
    this.#seen.set(k, expiresAt);
    this.#pending.push({ keyId, nonce, expiresAt });
    if (++this.#inserts % 1024 === 0) this.prune(now);
    return false;
  }

  load(rows: readonly NonceRow[]): void {
    for (const r of [...rows].sort((a, b) => a.expiresAt - b.expiresAt)) {
      this.#seen.set(`${r.keyId} ${r.nonce}`, r.expiresAt);
    }
  }

  /** Drops expired entries from the front (insertion order ≈ expiry order). */
  prune(now: number): void {
    for (const [k, exp] of this.#seen) {
      if (exp > now) break;
      this.#seen.delete(k);
    }
  }

  takePending(): NonceRow[] {
    const p = this.#pending;
    this.#pending = [];
    return p;
  }

  get size(): number {
    return this.#seen.size;
  }
}
