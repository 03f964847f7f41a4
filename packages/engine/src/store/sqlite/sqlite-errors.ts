// Maps SQLite failures to engine codes. The SQLite message is never passed on (it can
// name columns and, for some errors, values); only the code travels.

import { EngineError } from '../../errors.js';

export function mapSqliteError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  const code =
    typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  if (code.startsWith('SQLITE_CONSTRAINT'))
    return new EngineError('conflict', 'the change conflicts with stored state');
  // Another process (a second sluis-server, a cron job) holds the write lock longer than
  // the short busy timeout: a temporary condition, answered 503 by the server.
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new EngineError('database_busy', 'the database is locked by another process');
  if (code.startsWith('SQLITE_READONLY'))
    return new EngineError('database_read_only', 'the database is read-only');
  if (code.startsWith('SQLITE_FULL')) return new EngineError('disk_full', 'the disk is full');
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return new EngineError('database_corrupt', 'the database file is corrupt or not a sluis database');
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
    if (code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_FSYNC') {
      return new EngineError('disk_full', 'the database could not be written');
    }
    return new EngineError('database_read_only', 'the database could not be opened for writing');
  }
  return new EngineError('internal', 'internal storage error');
}
