// Replay protection (docs/protocol.md §5): a nonce seen for a key is refused until the
// request's timestamp has left the accepted window — created + skew, at most 600 s after
// it was first seen. Check-and-insert is synchronous, so two concurrent requests with one
// nonce can never both pass. Memory is bounded by the request rate × window: entries are
// kept in per-second expiry buckets and pruned by expiry (not insertion order, which a
// request with a future `created` would otherwise pin). New nonces are persisted lazily
// (nonce-flusher.ts); a failed flush re-queues them, and they are reloaded at start-up.
//
// Each entry is one flat string and a small integer (docs/engine.md "Nonces": ≈ 109 bytes a
// nonce). The key id and nonce arrive as slices of the request's Signature-Input header; a key
// concatenated from them would keep both slices and through them the whole header alive for
// the window (≈ 365 bytes a nonce), so the key is built flat, sharing nothing with the request.
// The rows waiting for the flush hold that flat key and the expiry too, not the slices, so no
// header outlives its request by the 250 ms of a flush interval (or the window while flushes fail).

import type { NonceRow } from '../store.js';

/**
 * Expiry seconds are kept relative to 2025-01-01T00:00:00Z. Seconds instead of milliseconds keep
 * them small integers (no boxed number per entry); relative to a recent epoch they also fit the
 * 31-bit small integers of pointer-compressed V8 builds until 2059. A clock before 2025 (a test
 * clock) only costs memory, never exactness.
 */
const EPOCH_SECOND = 1_735_689_600;

/**
 * The entry's key: key id and nonce, which the grammar keeps to base64url, joined by a space
 * (so the pair is recoverable and no two pairs share a key). `Array.prototype.join` builds a
 * flat string of its own, where a template or `+` would make a rope over the slices.
 */
const entryKey = (keyId: string, nonce: string): string => [keyId, nonce].join(' ');

/** The whole second (relative to EPOCH_SECOND) at or after an expiry in milliseconds. */
const expirySecond = (expiresAt: number): number => Math.ceil(expiresAt / 1000) - EPOCH_SECOND;

/** Whether an entry expiring in `second` still refuses at `now` (ms). */
const live = (second: number, now: number): boolean => (second + EPOCH_SECOND) * 1000 > now;

export class NonceCache {
  /** Key → expiry second: the whole second at or after the expiry (its bucket). */
  readonly #seen = new Map<string, number>();
  /**
   * Key → exact expiry (ms) of the entries whose expiry is not a whole second. The
   * authenticators' expiries are whole seconds, so this stays empty in the server; the storage
   * contract (docs/engine.md "Storage contract", clause 3) judges every claim by its exact expiry.
   */
  readonly #exact = new Map<string, number>();
  /** Expiry second → keys expiring in it (a key may linger in an old bucket; checked on prune). */
  readonly #buckets = new Map<number, string[]>();
  /** The entries claimed since the last flush, as their keys and exact expiries (ms). */
  #pendingKeys: string[] = [];
  #pendingExpiries: number[] = [];
  #inserts = 0;

  /** False (and records it) when the nonce was not seen yet; true when it is a replay. */
  checkAndAdd(keyId: string, nonce: string, expiresAt: number, now: number): boolean {
    const k = entryKey(keyId, nonce);
    const prev = this.#seen.get(k);
    if (prev !== undefined && this.#refuses(k, prev, now)) return true;
    this.#remember(k, expiresAt);
    this.#pendingKeys.push(k);
    this.#pendingExpiries.push(expiresAt);
    if (++this.#inserts % 1024 === 0) this.prune(now);
    return false;
  }

  /** Whether the entry `k` (expiry second `second`) still refuses at `now`. */
  #refuses(k: string, second: number, now: number): boolean {
    const exact = this.#exact.size === 0 ? undefined : this.#exact.get(k);
    return exact === undefined ? live(second, now) : exact > now;
  }

  /** The entry's expiry in ms: exact where it was not a whole second. */
  #expiresAt(k: string, second: number): number {
    return (this.#exact.size === 0 ? undefined : this.#exact.get(k)) ?? (second + EPOCH_SECOND) * 1000;
  }

  #remember(k: string, expiresAt: number): void {
    const second = expirySecond(expiresAt);
    this.#seen.set(k, second);
    if (expiresAt % 1000 !== 0) this.#exact.set(k, expiresAt);
    else if (this.#exact.size !== 0) this.#exact.delete(k);
    const bucket = this.#buckets.get(second);
    if (bucket === undefined) this.#buckets.set(second, [k]);
    else bucket.push(k);
  }

  load(rows: readonly NonceRow[]): void {
    for (const r of rows) {
      const k = entryKey(r.keyId, r.nonce);
      const prev = this.#seen.get(k);
      if (prev === undefined || this.#expiresAt(k, prev) < r.expiresAt) this.#remember(k, r.expiresAt);
    }
  }

  /** Drops every entry whose expiry has passed, whatever order they came in. */
  prune(now: number): void {
    for (const [second, keys] of this.#buckets) {
      if (live(second, now)) continue;
      for (const k of keys) {
        const exp = this.#seen.get(k);
        if (exp !== undefined && !this.#refuses(k, exp, now)) {
          this.#seen.delete(k);
          if (this.#exact.size !== 0) this.#exact.delete(k);
        }
      }
      this.#buckets.delete(second);
    }
  }

  /** The rows claimed since the last call, for the flusher; key id and nonce are cut from the flat key. */
  takePending(): NonceRow[] {
    const keys = this.#pendingKeys;
    const expiries = this.#pendingExpiries;
    this.#pendingKeys = [];
    this.#pendingExpiries = [];
    const rows: NonceRow[] = [];
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const space = k.indexOf(' ');
      rows.push({ keyId: k.slice(0, space), nonce: k.slice(space + 1), expiresAt: expiries[i] as number });
    }
    return rows;
  }

  /** Puts back rows whose persistence failed (disk full, read-only), dropping expired ones. */
  requeue(rows: readonly NonceRow[], now: number): void {
    const kept = rows.filter((r) => r.expiresAt > now);
    this.#pendingKeys = [...kept.map((r) => entryKey(r.keyId, r.nonce)), ...this.#pendingKeys];
    this.#pendingExpiries = [...kept.map((r) => r.expiresAt), ...this.#pendingExpiries];
  }

  get size(): number {
    return this.#seen.size;
  }
}
