// Test support for the SQLite migration tests (not part of the build): a database file at
// any schema version, made by the real migration steps the way `migrate` makes them.

import Database from 'better-sqlite3';
import { APPLICATION_ID, applyMigration, MIGRATIONS } from './migrations.js';

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
