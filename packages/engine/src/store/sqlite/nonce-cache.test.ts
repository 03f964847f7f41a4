// Replay cache of the SQLite store (docs/engine.md "Nonces"): a nonce is refused until created + skew has passed, expired entries
// are pruned by expiry whatever their insertion order, nonces whose persistence failed are
// queued again, so a restart after the fault still refuses their replay, and a nonce claimed
// again after its expiry is persisted (one row, the new one).

import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import type { StoreWriter } from '../store.js';
import { NonceCache } from './nonce-cache.js';
import { NonceFlusher } from './nonce-flusher.js';
import { openSqliteStore } from './sqlite-store.js';

describe('NonceCache', () => {
  it('refuses a replay until the expiry and forgets it after', () => {
    const c = new NonceCache();
    expect(c.checkAndAdd('k', 'n', 1_000_000, 0)).toBe(false);
    expect(c.checkAndAdd('k', 'n', 1_000_000, 999_999)).toBe(true);
    expect(c.checkAndAdd('k', 'other', 1_000_000, 999_999)).toBe(false);
    expect(c.checkAndAdd('k', 'n', 2_000_000, 1_000_000)).toBe(false);
  });

  it('prunes by expiry, not insertion order: a late expiry first does not pin the rest', () => {
    const c = new NonceCache();
    // A request with `created` in the future comes first and expires last.
    c.checkAndAdd('k', 'future', 600_000, 0);
    for (let i = 0; i < 100; i++) c.checkAndAdd('k', `n${i}`, 10_000 + i, 0);
    c.prune(20_000);
    expect(c.size).toBe(1);
    expect(c.checkAndAdd('k', 'future', 600_000, 20_000)).toBe(true);
    c.prune(600_000);
    expect(c.size).toBe(0);
  });

  it('judges every claim by its exact expiry, whole second or not', () => {
    const c = new NonceCache();
    expect(c.checkAndAdd('k', 'n', 10_500, 0)).toBe(false);
    expect(c.checkAndAdd('k', 'n', 10_500, 10_499)).toBe(true);
    expect(c.checkAndAdd('k', 'n', 20_000, 10_500)).toBe(false);
    // now whole-second, and refused to its last millisecond
    expect(c.checkAndAdd('k', 'n', 30_000, 19_999)).toBe(true);
    c.prune(19_999);
    expect(c.checkAndAdd('k', 'n', 30_000, 19_999)).toBe(true);
    expect(c.checkAndAdd('k', 'n', 30_250, 20_000)).toBe(false);
    // a prune at the bucket's second drops the entries whose exact expiries passed
    c.checkAndAdd('k', 'm', 31_000, 20_000);
    c.prune(31_000);
    expect(c.size).toBe(0);
    // loaded rows too: a restart keeps the later of two expiries, exactly
    const d = new NonceCache();
    d.load([
      { keyId: 'k', nonce: 'n', expiresAt: 30_100 },
      { keyId: 'k', nonce: 'n', expiresAt: 30_000 },
      { keyId: 'k', nonce: 'n', expiresAt: 30_200 },
    ]);
    expect(d.checkAndAdd('k', 'n', 40_000, 30_199)).toBe(true);
    expect(d.checkAndAdd('k', 'n', 40_000, 30_200)).toBe(false);
  });

  it('tells key id and nonce apart in its keys', () => {
    const c = new NonceCache();
    expect(c.checkAndAdd('ab', 'c', 10_000, 0)).toBe(false);
    expect(c.checkAndAdd('a', 'bc', 10_000, 0)).toBe(false);
    expect(c.checkAndAdd('ab', 'c', 10_000, 0)).toBe(true);
  });

  // Key id and nonce arrive as slices of the Signature-Input header (request-signature.ts); a
  // key concatenated from them kept every request's header alive for the window (docs/engine.md
  // "Nonces": ≈ 360 bytes a nonce with a real header, ≈ 100 without).
  /** Bytes held per nonce after claiming `n` nonces sliced out of 2 KB headers; `flush` as the flusher. */
  function heldPerNonce(n: number, flush: boolean): { perNonce: number; cache: NonceCache } {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const pad = 'x'.repeat(1_000);
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const cache = new NonceCache();
    for (let i = 0; i < n; i++) expect(claimFromHeader(cache, i, pad)).toBe(false);
    if (flush) cache.takePending(); // as the flusher does every 250 ms
    gc();
    gc();
    return { perNonce: (process.memoryUsage().heapUsed - before) / n, cache };
  }

  /** Claims nonce `i`, its key id and nonce sliced out of a Signature-Input-like header as the parser slices them. */
  function claimFromHeader(c: NonceCache, i: number, pad: string): boolean {
    const header = `${pad};keyid="key${i % 4}";nonce="${i.toString(36).padStart(22, 'A')}";${pad}`;
    const k = header.indexOf('keyid="') + 7;
    const at = header.indexOf('nonce="') + 7;
    const keyId = header.slice(k, header.indexOf('"', k));
    const nonce = header.slice(at, at + 22);
    return c.checkAndAdd(keyId, nonce, 600_000, 0);
  }

  it('does not keep the request header a nonce was read from', () => {
    const n = 20_000;
    const { perNonce, cache } = heldPerNonce(n, true);
    expect(cache.size).toBe(n);
    expect(claimFromHeader(cache, 7, 'x'.repeat(1_000))).toBe(true);
    // a header is 2 KB; the entry itself is ≈ 100 bytes
    expect(perNonce).toBeLessThan(250);
  });

  // The rows waiting for the flush held the same slices (docs/performance.md "Sixteenth pass",
  // "Not done"): every header of the last 250 ms, and of the whole window while flushes fail.
  it('does not keep the request header while its row waits for the flush', () => {
    const n = 20_000;
    const { perNonce, cache } = heldPerNonce(n, false);
    // a header is 2 KB; the entry and its pending row ≈ 115 bytes
    expect(perNonce).toBeLessThan(250);
    const rows = cache.takePending();
    expect(rows.length).toBe(n);
    expect(rows[7]).toEqual({ keyId: 'key3', nonce: (7).toString(36).padStart(22, 'A'), expiresAt: 600_000 });
  });

  it('hands the flusher each claimed row exactly, in order', () => {
    const c = new NonceCache();
    c.checkAndAdd('key-1_A', 'n1', 10_500, 0);
    c.checkAndAdd('k', 'n2', 20_000, 0);
    expect(c.checkAndAdd('k', 'n2', 20_000, 1)).toBe(true); // a replay adds no row
    expect(c.takePending()).toEqual([
      { keyId: 'key-1_A', nonce: 'n1', expiresAt: 10_500 },
      { keyId: 'k', nonce: 'n2', expiresAt: 20_000 },
    ]);
    expect(c.takePending()).toEqual([]);
  });

  it('re-queues pending rows after a failed flush, without the expired ones', () => {
    const c = new NonceCache();
    c.checkAndAdd('k', 'a', 5_000, 0);
    c.checkAndAdd('k', 'b', 50_000, 0);
    const rows = c.takePending();
    expect(c.takePending()).toEqual([]);
    c.checkAndAdd('k', 'c', 60_000, 10_000);
    c.requeue(rows, 10_000);
    expect(c.takePending()).toEqual([
      { keyId: 'k', nonce: 'b', expiresAt: 50_000 },
      { keyId: 'k', nonce: 'c', expiresAt: 60_000 },
    ]);
  });
});

describe('nonce persistence', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('a nonce whose flush failed is persisted by the next flush and still refused after a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluis-nonce-'));
    const path = join(dir, 'sluis.db');
    const T0 = 1_700_000_000_000;
    const clock = () => T0;
    const store = openSqliteStore({ path, clock });
    const cache = new NonceCache();
    let failWrites = false;
    let failed = 0;
    const write = (op: (tx: StoreWriter) => Promise<void>) => {
      if (!failWrites) return store.write(op);
      failed++;
      return Promise.reject(new EngineError('disk_full', 'the disk is full'));
    };
    const flusher = new NonceFlusher(write, clock, cache, 10);
    flusher.start();
    expect(cache.checkAndAdd('k', 'n', T0 + 60_000, T0)).toBe(false);
    failWrites = true;
    await new Promise((r) => setTimeout(r, 60)); // a few failing flushes
    expect(failed).toBeGreaterThan(0);
    failWrites = false;
    await flusher.stop(); // the final flush succeeds
    await store.close();
    const reopened = openSqliteStore({ path, clock });
    expect(await reopened.claimNonce('k', 'n', T0 + 60_000, T0)).toBe(false);
    expect(await reopened.claimNonce('k', 'other', T0 + 60_000, T0)).toBe(true);
    await reopened.close();
    // and a claim on the reopened store was persisted by its close
    const again = openSqliteStore({ path, clock });
    expect(await again.claimNonce('k', 'other', T0 + 60_000, T0)).toBe(false);
    await again.close();
  });

  // Keyed by expiry (schema step 18) the new row is kept and, with a clock that does not step
  // back, the old one pruned in the same flush. (Keyed by the nonce, before step 18,
  // `INSERT OR IGNORE` dropped the new claim and the prune the old one: a restart forgot it.)
  it('a nonce claimed again after its expiry replaces its old row; a restart refuses the new claim', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluis-nonce-'));
    const path = join(dir, 'sluis.db');
    const T0 = 1_700_000_000_000;
    let now = T0;
    const store = openSqliteStore({ path, clock: () => now, nonceFlushMs: 10 });
    expect(await store.claimNonce('k', 'n', T0 + 60_000, now)).toBe(true);
    await new Promise((r) => setTimeout(r, 60)); // flushed
    now = T0 + 60_001; // expired: the same nonce may be claimed again, with a later expiry
    expect(await store.claimNonce('k', 'n', T0 + 120_000, now)).toBe(true);
    await store.close();
    const file = new Database(path, { readonly: true });
    try {
      expect(file.prepare("SELECT expires_at FROM nonces WHERE key_id = 'k' AND nonce = 'n'").all()).toEqual([
        { expires_at: T0 + 120_000 },
      ]);
    } finally {
      file.close();
    }
    const reopened = openSqliteStore({ path, clock: () => now });
    expect(await reopened.claimNonce('k', 'n', T0 + 120_000, now)).toBe(false);
    await reopened.close();
  });
});
