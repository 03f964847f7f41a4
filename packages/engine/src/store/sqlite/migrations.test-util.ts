// Test support for the SQLite migration tests (not part of the build): a database file at
// any schema version, made by the real migration steps the way `migrate` makes them, and the
// check every migrated file passes (the newest step, SQLite's integrity check).

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect } from 'vitest';
import { APPLICATION_ID, applyMigration, MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export const CREATED_AT = 1_700_000_000_000;

/** A database at `version`, made the way `migrate` makes it, one transaction per step. */
export function databaseAt(path: string, version: number): Database.Database {
  const db = new Database(path);
  for (let v = 0; v < version; v++) {
    db.transaction(() => {
      applyMigration(db, MIGRATIONS[v]!);
      if (v === 0) {
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.prepare('INSERT INTO epochs (epoch, status, registered_at) VALUES (1, 0, ?)').run(CREATED_AT);
      }
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}

/**
 * The database files of one test file, in a folder removed after its tests: `at(version)` makes
 * one at step `version` (`v<version>.sqlite`) for a test of the step after it, which must exist.
 */
export function stepFiles(): { at(version: number): { path: string; db: Database.Database } } {
  const dir = mkdtempSync(join(tmpdir(), 'sluis-migrations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    at(version) {
      expect(SCHEMA_VERSION).toBeGreaterThan(version);
      const path = join(dir, `v${version}.sqlite`);
      return { path, db: databaseAt(path, version) };
    },
  };
}

/** Organisation `rid` (`Organisatie <rid>`, active, budget 100, no webhook), from step 12 on. */
export function insertOrganisation(
  db: Database.Database,
  rid: number,
  type = 'youth_care',
  id = randomUUID(),
): void {
  db.prepare(
    'INSERT INTO organisations (rid, id, name, type, status, webhook_url, budget, created_at) VALUES (?, ?, ?, ?, 0, NULL, 100, ?)',
  ).run(rid, id, `Organisatie ${rid}`, type, CREATED_AT);
}

/** The contact row `org` of organisation `org` (`["A","B",null,null]`, one signal), from step 6 on. */
export function insertContact(db: Database.Database, org: number): void {
  db.prepare(`INSERT INTO contacts (rid, org, body, refs) VALUES (?, ?, '["A","B",null,null]', 1)`).run(
    org,
    org,
  );
}

/**
 * Opens the migrated file at `path` read-only: it is at the newest step and passes SQLite's
 * integrity check; then `more` looks further. Closed either way.
 */
export function checkMigrated(path: string, more: (check: Database.Database) => void = () => {}): void {
  const check = new Database(path, { readonly: true });
  try {
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    more(check);
  } finally {
    check.close();
  }
}
