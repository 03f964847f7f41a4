// Replay cache (docs/engine.md "Nonces"): a nonce is refused until created + skew has passed, expired entries
// are pruned by expiry whatever their insertion order, and nonces whose persistence
// failed are queued again, so a restart after the fault still refuses their replay.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/store.js';
import { createEngine } from '../engine.js';
import { EngineError } from '../errors.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { admin, newKeyPair, signedRequest, T0 } from '../testing/harness.js';
import { ServerSecrets } from '../protocol/stored-pseudonym.js';
import { NonceCache } from './nonce-cache.js';

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
    const secrets = new ServerSecrets(new Map([[1, Buffer.alloc(32, 7)]]));
    const clock = () => T0;
    const inner = openSqliteStore({ path, clock });
    let failWrites = false;
    const store: Store = {
      read: (op) => inner.read(op),
      write: (op) =>
        failWrites ? Promise.reject(new EngineError('disk_full', 'the disk is full')) : inner.write(op),
      compact: () => inner.compact(),
      stats: () => inner.stats(),
      close: () => inner.close(),
    };
    const engine = await createEngine({ store, serverSecrets: secrets, clock, nonceFlushMs: 10 });
    const kp = newKeyPair();
    const org = await engine.admitOrganisation(admin, {
      name: 'A',
      type: 'youth_care',
      publicKeys: [kp.publicKey],
    });
    const keyId = (await engine.listKeys(org.id))[0]!.keyId;
    const req = signedRequest({ keyId, privateKey: kp.privateKey }, { created: Math.floor(T0 / 1000) });
    failWrites = true;
    await engine.authenticate(req);
    await new Promise((r) => setTimeout(r, 60)); // a few failing flushes
    failWrites = false;
    await engine.close(); // the final flush succeeds
    const engine2 = await createEngine({
      store: openSqliteStore({ path, clock }),
      serverSecrets: secrets,
      clock,
    });
    await expect(engine2.authenticate(req)).rejects.toMatchObject({ code: 'nonce_reused' });
    await engine2.close();
  });
});
