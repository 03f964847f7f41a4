// The key state cache's triggers on the writer connection (docs/engine.md "Key state cache"):
// every statement that inserts, updates or deletes a key or a cached organisation column —
// whichever code runs it — marks the transaction, and its end empties the cache; an update
// of only the inbox cursor does not; the triggers cover every organisations column a
// migration adds (read from the schema, so a new column is covered without a code change).

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyStateCache, UNCACHED_ORGANISATION_COLUMNS } from './key-state-cache.js';
import { migrate } from './migrations.js';

let db: Database.Database;
let cache: KeyStateCache;

beforeEach(() => {
  db = new Database(':memory:');
  migrate(db, 1);
  cache = new KeyStateCache();
  cache.watch(db);
  db.prepare(
    "INSERT INTO organisations (id, name, type, status, budget, created_at) VALUES ('o1', 'Org', 'youth_care', 0, 10, 1)",
  ).run();
  db.prepare(
    "INSERT INTO keys (key_id, role, org, public_key, status, added_at) VALUES ('k1', 0, 1, x'00', 0, 1)",
  ).run();
});
afterEach(() => db.close());

/** Runs `sql` in a transaction like a group-commit batch and reports whether the cache was emptied. */
function empties(sql: string): boolean {
  const before = cache.invalidations;
  db.exec('BEGIN IMMEDIATE');
  db.exec(sql);
  db.exec('COMMIT');
  cache.transactionEnded();
  return cache.invalidations > before;
}

describe('key state cache triggers', () => {
  it('every statement that changes a key or a cached organisation column empties the cache at the end', () => {
    const changing = [
      "INSERT INTO keys (key_id, role, org, public_key, status, added_at) VALUES ('k2', 1, NULL, x'01', 0, 2)",
      "UPDATE keys SET status = 1, revoked_at = 5 WHERE key_id = 'k1'",
      "DELETE FROM keys WHERE key_id = 'k2'",
      "INSERT INTO organisations (id, name, type, status, budget, created_at) VALUES ('o2', 'Two', 'youth_care', 0, 1, 1)",
      'UPDATE organisations SET status = 1 WHERE rid = 1',
      "UPDATE organisations SET name = 'Renamed' WHERE rid = 1",
      'UPDATE organisations SET budget = 3, match_email = 1 WHERE rid = 1',
      "UPDATE organisations SET webhook_url = 'https://x.example.nl' WHERE rid = 1",
      'DELETE FROM organisations WHERE rid = 2',
    ];
    for (const sql of changing) expect(empties(sql), sql).toBe(true);
  });

  it('statements that change no cached row keep the cache', () => {
    expect(empties('UPDATE organisations SET event_seq = event_seq + 1 WHERE rid = 1')).toBe(false);
    expect(empties("UPDATE keys SET status = 1 WHERE key_id = 'none'")).toBe(false);
    expect(empties('SELECT * FROM keys')).toBe(false);
  });

  it('a rolled-back change empties the cache too (conservative), and one outside a transaction at once', () => {
    const before = cache.invalidations;
    db.exec('BEGIN IMMEDIATE');
    db.exec("UPDATE keys SET status = 1 WHERE key_id = 'k1'");
    db.exec('ROLLBACK');
    cache.transactionEnded();
    expect(cache.invalidations).toBe(before + 1);
    db.exec("UPDATE keys SET status = 0 WHERE key_id = 'k1'");
    expect(cache.invalidations).toBe(before + 2);
  });

  it('the organisation trigger lists every column but the uncached ones', () => {
    const columns = (db.pragma('table_info(organisations)') as { name: string }[]).map((c) => c.name);
    const trigger = db
      .prepare("SELECT sql FROM sqlite_temp_master WHERE name = 'key_state_org_update'")
      .pluck()
      .get() as string;
    for (const c of columns) {
      const listed = new RegExp(`\\b${c}\\b`).test(trigger.slice(0, trigger.indexOf(' ON ')));
      expect(listed, c).toBe(!UNCACHED_ORGANISATION_COLUMNS.includes(c));
    }
    // Nothing of the cache reaches the file: the triggers are TEMP.
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'").pluck().get()).toBe(0);
  });
});
