// Which database a command of this data directory may open, and opening it (docs/operations.md
// "Retention", "Moving to PostgreSQL", "Start, and the first start"). Invariant: a command
// never works on an SQLite file that is not the installation's live database — one the
// commands that do not create a database (retention, backup, migrate-store) would otherwise
// create empty, one a start would create empty beside the keys of an installation whose
// database is gone (a lost database must not look like a fresh start), or the SQLite file a
// move to PostgreSQL left behind — and reports success. A server that runs on PostgreSQL
// records that in <data-dir>/store.json; every SQLite use of that data directory (start,
// retention, backup) is then refused until the operator gives the PostgreSQL options or
// deletes the record on purpose.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore, type PostgresStore, type SqliteStore } from '@sluis/engine';
import type { ServerConfig } from '../cli/config.js';
import type { Clock } from '../clock.js';
import { ServerError } from '../errors.js';
import { assertDatabaseOwnedByUs } from './file-owner.js';
import type { Logger } from './logger.js';
import { openPostgres, postgresOptions } from './postgres-store.js';

export const STORE_RECORD_FILE = 'store.json';

/** How a command opens its database: which SQLite refusals apply, and whether a PostgreSQL start is recorded. */
export interface OpenStoreOptions {
  /** Refuse a missing SQLite file instead of creating it (retention, backup). */
  readonly mustExist?: boolean;
  /**
   * A start: refuse to create a missing SQLite file beside a server secret this start did not
   * make, unless `newDatabase` (--new-database); and record a PostgreSQL store (store.json),
   * logging `store_record_unwritten` when the file cannot be written.
   */
  readonly start?: { readonly keysCreated: boolean; readonly newDatabase: boolean; readonly logger: Logger };
}

/** The configured store, after the refusals of `checkSqliteDatabase` (SQLite) or with the start recorded (PostgreSQL). */
export async function openStore(
  config: ServerConfig,
  clock: Clock,
  options: OpenStoreOptions = {},
): Promise<SqliteStore | PostgresStore> {
  if (config.databaseUrl === undefined) {
    const start = options.start;
    checkSqliteDatabase(config.dataDir, config.database, {
      mustExist: options.mustExist ?? false,
      keysWithoutDatabase: start !== undefined && !start.keysCreated && !start.newDatabase,
    });
    return openSqliteStore({ path: config.database, clock });
  }
  const store = await openPostgres(postgresOptions(config, clock));
  // From now on an SQLite use of this data directory is refused.
  if (options.start !== undefined && !recordPostgresStore(config.dataDir))
    options.start.logger.log('warn', 'store_record_unwritten', { file: STORE_RECORD_FILE });
  return store;
}

/**
 * Before an SQLite database of `dataDir` is opened: refused when the data directory's server
 * runs on PostgreSQL, when the file (or its -wal or -shm) belongs to another user, with
 * `mustExist` when there is no such file, and with `keysWithoutDatabase` when there is none
 * but the data directory holds a server secret (`database_lost`).
 */
export function checkSqliteDatabase(
  dataDir: string,
  database: string,
  options: { mustExist: boolean; keysWithoutDatabase?: boolean },
): void {
  const record = join(dataDir, STORE_RECORD_FILE);
  if (existsSync(record)) throw new ServerError('database_moved_to_postgres', { path: record });
  if (options.mustExist && !existsSync(database))
    throw new ServerError('database_missing', { path: database });
  if (options.keysWithoutDatabase === true && !existsSync(database))
    throw new ServerError('database_lost', { path: database });
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
      `${JSON.stringify({ store: 'postgresql', note: 'written by sluis-server start; docs/operations.md "Moving to PostgreSQL"' })}\n`,
      { mode: 0o600, flag: 'wx' },
    );
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EEXIST';
  }
}
