// Which database a command of this data directory may open (docs/operations.md "Retention",
// "Moving to PostgreSQL"). Invariant: a command never works on an SQLite file that is not the
// installation's live database — one the commands that do not create a database (retention,
// backup, migrate-store) would otherwise create empty, or the SQLite file a move to PostgreSQL
// left behind — and reports success. A server that runs on PostgreSQL records that in
// <data-dir>/store.json; every SQLite use of that data directory (start, retention, backup) is
// then refused until the operator gives the PostgreSQL options or deletes the record on purpose.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServerError } from '../errors.js';
import { assertDatabaseOwnedByUs } from './file-owner.js';

export const STORE_RECORD_FILE = 'store.json';

/**
 * Before an SQLite database of `dataDir` is opened: refused when the data directory's server
 * runs on PostgreSQL, when the file (or its -wal or -shm) belongs to another user, and — with
 * `mustExist` — when there is no such file.
 */
export function checkSqliteDatabase(
  dataDir: string,
  database: string,
  options: { mustExist: boolean },
): void {
  const record = join(dataDir, STORE_RECORD_FILE);
  if (existsSync(record)) throw new ServerError('database_moved_to_postgres', { path: record });
  if (options.mustExist && !existsSync(database))
    throw new ServerError('database_missing', { path: database });
  assertDatabaseOwnedByUs(database);
}

/**
 * Records, once, that this data directory's server runs on PostgreSQL. Returns false when the
 * file could not be written (a read-only data directory): the server still starts, and logs it.
 */
export function recordPostgresStore(dataDir: string): boolean {
  const record = join(dataDir, STORE_RECORD_FILE);
  if (existsSync(record)) return true;
  try {
    writeFileSync(
      record,
      `${JSON.stringify({ store: 'postgresql', note: 'written by sluis-server start; docs/operations.md "Retention"' })}\n`,
      { mode: 0o600, flag: 'wx' },
    );
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EEXIST';
  }
}
