// Migration 27 (docs/operations.md "Upgrade"): a database at step 26, made by the real SQL of
// the steps before (migrations.test-util.ts) and holding a person, opens with the real store at
// step 27 with an empty `handover_declines`, which then keeps a decline for that person and lets
// it go with them; nothing else of the file changes.

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from './migrations.js';
import { CREATED_AT, databaseAt } from './migrations.test-util.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 27 on a v26 database with a person', () => {
  it('adds an empty handover_declines, which keeps a decline of the person until they are removed', async () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(27);
    const path = join(dir, 'v26.sqlite');
    const db = databaseAt(path, 26);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'handover_declines'").all()).toEqual([]);
    db.prepare(
      'INSERT INTO organisations (rid, id, name, type, status, webhook_url, budget, created_at) VALUES (1, ?, ?, ?, 0, NULL, 100, ?)',
    ).run(randomUUID(), 'Organisatie 1', 'youth_care', CREATED_AT);
    db.prepare(
      'INSERT INTO people (rid, id, org, display_name, email, roles, status, created_at) VALUES (1, ?, 1, ?, NULL, 1, 0, ?)',
    ).run(randomUUID(), 'Prof Een', CREATED_AT);
    db.close();

    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      expect(await store.read((tx) => tx.listHandoverDeclines(1, 0))).toEqual([]);
      const decline = { organisationRid: 1, personRid: 1, requestedAt: 10, declinedAt: 20 };
      await store.write((tx) => tx.insertHandoverDecline(decline));
      expect(await store.read((tx) => tx.listHandoverDeclines(1, 0))).toEqual([decline]);
      await store.write((tx) => tx.deleteHandoverOfPerson(1));
      expect(await store.read((tx) => tx.listHandoverDeclines(1, 0))).toEqual([]);
    } finally {
      await store.close();
    }
    const check = new Database(path, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(check.prepare('SELECT display_name FROM people').all()).toEqual([{ display_name: 'Prof Een' }]);
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      check.close();
    }
  });
});
