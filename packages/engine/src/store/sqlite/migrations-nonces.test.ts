// Migration 18 (nonces keyed by expiry, docs/engine.md "Where this is tested"): a database at
// step 17 holding persisted nonces of two keys, made by the real SQL of the steps before
// (migrations.test-util.ts), keeps every nonce with its expiry, in one b-tree keyed by expiry
// first, so a restart of the real store still refuses each unexpired one.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CREATED_AT, checkMigrated, stepFiles } from './migrations.test-util.js';
import { openSqliteStore } from './sqlite-store.js';

const steps = stepFiles();

describe('migration 18 on a v17 database with persisted nonces', () => {
  it('keeps every nonce keyed by expiry, so a restart still refuses the unexpired ones', async () => {
    const { path, db } = steps.at(17);
    const now = CREATED_AT + 60_000;
    const insert = db.prepare('INSERT INTO nonces (key_id, nonce, expires_at) VALUES (?, ?, ?)');
    // Live ones of two keys (one nonce under both), and one already expired.
    insert.run('key-a', 'n-1', now + 300_000);
    insert.run('key-a', 'n-2', now + 1_000);
    insert.run('key-b', 'n-1', now + 299_000);
    insert.run('key-b', 'n-old', now - 1);
    db.close();

    // Migrated as they were, expiries included.
    await openSqliteStore({ path, clock: () => now }).close();
    const migrated = new Database(path, { readonly: true });
    try {
      expect(migrated.prepare('SELECT expires_at, key_id, nonce FROM nonces').all()).toEqual([
        { expires_at: now - 1, key_id: 'key-b', nonce: 'n-old' },
        { expires_at: now + 1_000, key_id: 'key-a', nonce: 'n-2' },
        { expires_at: now + 299_000, key_id: 'key-b', nonce: 'n-1' },
        { expires_at: now + 300_000, key_id: 'key-a', nonce: 'n-1' },
      ]);
    } finally {
      migrated.close();
    }

    const store = openSqliteStore({ path, clock: () => now });
    try {
      expect(await store.claimNonce('key-a', 'n-1', now + 300_000, now)).toBe(false);
      expect(await store.claimNonce('key-a', 'n-2', now + 300_000, now)).toBe(false);
      expect(await store.claimNonce('key-b', 'n-1', now + 300_000, now)).toBe(false);
      expect(await store.claimNonce('key-b', 'n-old', now + 300_000, now)).toBe(true);
      expect(await store.claimNonce('key-b', 'n-2', now + 300_000, now)).toBe(true);
    } finally {
      await store.close(); // persists the two new claims
    }

    checkMigrated(path, (check) => {
      // One b-tree keyed by expiry first, and no other index on the table.
      const key = (
        check.prepare('PRAGMA index_info(sqlite_autoindex_nonces_1)').all() as { name: string }[]
      ).map((c) => c.name);
      expect(key).toEqual(['expires_at', 'key_id', 'nonce']);
      const indexes = (check.prepare('PRAGMA index_list(nonces)').all() as { name: string }[]).map(
        (i) => i.name,
      );
      expect(indexes).toEqual(['sqlite_autoindex_nonces_1']);
      const rows = check
        .prepare('SELECT key_id, nonce FROM nonces WHERE expires_at > ? ORDER BY key_id, nonce')
        .all(now);
      expect(rows).toEqual([
        { key_id: 'key-a', nonce: 'n-1' },
        { key_id: 'key-a', nonce: 'n-2' },
        { key_id: 'key-b', nonce: 'n-1' },
        { key_id: 'key-b', nonce: 'n-2' },
        { key_id: 'key-b', nonce: 'n-old' },
      ]);
    });
  });
});
