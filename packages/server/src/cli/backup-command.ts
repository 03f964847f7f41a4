// `sluis-server backup --to <file>`: an online backup of the SQLite database, safe while the
// server runs (docs/operations.md "Back up and restore"); ops/backup.ts and the engine's store
// make, check and publish the copy. This file checks --to and the kind of store (PostgreSQL is
// refused with what to use instead), stops the copy on Ctrl-C or SIGTERM so that nothing
// appears at --to, and says what was written. Keys are never in the copy: it says so.

import { resolve } from 'node:path';
import { isServerError } from '../errors.js';
import { backupDatabase } from '../ops/backup.js';
import { checkSqliteDatabase } from '../ops/store-selection.js';
import type { ServerConfig } from './config.js';
import { type CliIo, defaultOnShutdown, EXIT } from './io.js';

export const BACKUP_USAGE =
  '  backup --to FILE      online backup of the database to FILE (safe while the server runs)';

export async function backup(
  values: Record<string, string | boolean | string[] | undefined>,
  config: ServerConfig,
  io: CliIo,
): Promise<number> {
  const to = values.to;
  if (typeof to !== 'string' || to === '') {
    io.stderr.write('sluis-server: backup needs --to <file>\n');
    return EXIT.usage;
  }
  const postgresRefusal = `sluis-server: backup copies an SQLite file; back up PostgreSQL with pg_basebackup and WAL archiving, or pg_dump -Fc, and ${config.dataDir}/keys separately (docs/operations.md "Back up and restore")\n`;
  if (config.databaseUrl !== undefined) {
    io.stderr.write(postgresRefusal);
    return EXIT.usage;
  }
  const target = resolve(io.cwd, to);
  // Not the SQLite file a move to PostgreSQL left behind, and not as another user (whose
  // -wal and -shm the server could not open): ops/store-selection.ts. A moved data directory
  // gets the PostgreSQL answer at once, not a hint to add --database-url that is refused next.
  try {
    checkSqliteDatabase(config.dataDir, config.database, { mustExist: false });
  } catch (e) {
    if (!isServerError(e) || e.code !== 'database_moved_to_postgres') throw e;
    io.stderr.write(
      postgresRefusal.replace(
        'backup copies',
        "this data directory's server runs on PostgreSQL: backup copies",
      ),
    );
    return EXIT.usage;
  }
  // Ctrl-C (SIGINT) or SIGTERM stops the copy and removes it: nothing appears at the target;
  // a second signal ends the process at once (docs/operations.md "Back up and restore").
  const stop = new AbortController();
  const undo = (io.onShutdown ?? defaultOnShutdown)(() => stop.abort());
  let r: { pages: number; leftoversRemoved: number };
  try {
    r = await backupDatabase(config.database, target, stop.signal);
  } catch (e) {
    if (!(e instanceof Error && e.name === 'AbortError')) throw e;
    io.stderr.write(`sluis-server: backup stopped; nothing was written at ${target}\n`);
    return EXIT.unavailable;
  } finally {
    undo();
  }
  if (r.leftoversRemoved > 0)
    io.stderr.write(
      `sluis-server: removed ${r.leftoversRemoved === 1 ? 'the partial copy' : `${r.leftoversRemoved} partial copies`} an earlier backup to ${target} left when it was ended at once\n`,
    );
  io.stdout.write(
    `backup written to ${target} (${r.pages} pages, integrity ok). Back up ${config.dataDir}/keys separately.\n`,
  );
  return EXIT.ok;
}
