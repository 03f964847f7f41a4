// Replay cache of the SQLite store (docs/engine.md "Nonces"): a nonce is refused until created + skew has passed, expired entries
// are pruned by expiry whatever their insertion order, and nonces whose persistence
// failed are queued again, so a restart after the fault still refuses their replay.

import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('re-queues pending rows after a failed flush, without the expired ones', () => {
    const c = new NonceCache();
    c.checkAndAdd('k', 'a', 5_000, 0);
    c.checkAndAdd('k', 'b', 50_000, 0);
    const rows = c.takePending();
    expect(c.takePending()).toEqual([]);
    c.requeue(rows, 10_000);
    expect(c.takePending().map((r) => r.nonce)).toEqual(['b']);
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

  // Keyed by expiry (schema step 18) the new row is kept and the old one pruned in the same
  // flush: one row per nonce, as migrate-store's copy into PostgreSQL needs. (Keyed by the
  // nonce, before step 18, `INSERT OR IGNORE` dropped the new claim and the prune the old one.)
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
