// The runner of the versioned, forward-only schema migrations, run on open (PRAGMA
// user_version holds the version, PRAGMA application_id marks a sluis database); the steps
// themselves are in migrations/steps.ts. A database from a newer schema is refused, never
// downgraded, and each step commits in its own transaction with its version number.

import type Database from 'better-sqlite3';
import { EngineError, schemaTooNew } from '../../errors.js';
import type { SchemaMigration } from '../store.js';
import { type Migration, MIGRATIONS } from './migrations/steps.js';

export { type Migration, MIGRATIONS } from './migrations/steps.js';

/** 'sLuI' */
export const APPLICATION_ID = 0x734c7549;

export const SCHEMA_VERSION = MIGRATIONS.length;

export function applyMigration(db: Database.Database, step: Migration): void {
  if (typeof step === 'string') db.exec(step);
  else step(db);
}

/**
 * Brings the schema to SCHEMA_VERSION in one transaction per step. Epoch 1 is
 * registered active when the database is created (`now`). Answers the steps run on an
 * existing database; undefined when it was at SCHEMA_VERSION or new.
 */
export function migrate(db: Database.Database, now: number): SchemaMigration | undefined {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (appId !== APPLICATION_ID) {
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_schema`).get() as { n: number };
    if (appId !== 0 || version !== 0 || tables.n > 0) {
      throw new EngineError('database_corrupt', 'the database file is corrupt or not a sluis database');
    }
  }
  if (version > SCHEMA_VERSION)
    throw schemaTooNew('the database', { store: 'sqlite', database: version, known: SCHEMA_VERSION });
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      applyMigration(db, MIGRATIONS[v]!);
      if (v === 0) {
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.prepare(`INSERT INTO epochs (epoch, status, registered_at) VALUES (1, 0, ?)`).run(now);
      }
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return version > 0 && version < SCHEMA_VERSION ? { from: version, to: SCHEMA_VERSION } : undefined;
}
