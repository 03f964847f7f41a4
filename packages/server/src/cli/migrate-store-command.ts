// `sluis-server migrate-store --from <sqlite file> --to <postgres url>`: moves an
// installation from SQLite to PostgreSQL (docs/operations.md "Moving to PostgreSQL"); the
// engine does the copy and its proof (store/transfer/). This file parses the options, shows
// progress, stops cleanly on Ctrl-C (a rerun resumes) and prints the verification. It never
// prints the URL (host and user) or a password.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type EngineError, isEngineError, type TransferReport } from '@sluis/engine';
import { systemClock } from '../clock.js';
import { isServerError, ServerError } from '../errors.js';
import { assertDatabaseOwnedByUs } from '../ops/file-owner.js';
import { explainPostgresFailure, postgresOptions } from '../ops/postgres-store.js';
import { assertSqliteBindingLoads } from '../ops/store-selection.js';
import { loadConfig } from './config.js';
import { urlHoldsPassword } from './config-validation.js';
import { type CliIo, defaultOnShutdown, EXIT, usageError } from './io.js';

export const MIGRATE_STORE_USAGE =
  '  migrate-store --from FILE --to URL   copy an SQLite installation into an empty PostgreSQL database, verified and resumable';

/** Exit code and one line for the engine's refusals of a transfer. */
function describeRefusal(e: EngineError): { text: string; exit: number } | undefined {
  switch (e.code) {
    case 'target_not_empty':
      return {
        text: 'the PostgreSQL database already holds data; migrate-store only fills an empty one — when no server should keep it (one started on it before the move), stop every instance, then as the PostgreSQL superuser: DROP DATABASE sluis; CREATE DATABASE sluis OWNER sluis; and run migrate-store again (docs/operations.md "Moving to PostgreSQL")',
        exit: EXIT.refused,
      };
    case 'schema_mismatch':
      return {
        text: 'the SQLite file and this version’s PostgreSQL schema differ (start this sluis version on the file once, then retry)',
        exit: EXIT.refused,
      };
    case 'schema_too_new':
      // Either side can be the newer one: the --from file, or a --to database a newer version made.
      return {
        text:
          e.schema?.store === 'postgres'
            ? `the PostgreSQL database was written by a newer sluis version${schemaNumbers(e)}: migrate-store only fills an empty database of its own version (docs/operations.md "Moving to PostgreSQL")`
            : `the SQLite file was written by a newer sluis version${schemaNumbers(e)}: run migrate-store of that version (docs/operations.md "Upgrade")`,
        exit: EXIT.refused,
      };
    case 'database_corrupt':
      return { text: 'the SQLite file is corrupt or not a sluis database', exit: EXIT.refused };
    default:
      return undefined;
  }
}

/** ` (database schema 17, this build knows up to 16)` of a schema_too_new refusal (docs/operations.md "Upgrade"). */
export function schemaNumbers(e: EngineError): string {
  return e.schema === undefined
    ? ''
    : ` (database schema ${e.schema.database}, this build knows up to ${e.schema.known})`;
}

function summary(r: TransferReport): string {
  const v = r.verification;
  const rows = Object.entries(v.rows)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  return [
    `migrate-store: ${r.start === 'fresh' ? 'copied' : r.start === 'resumed' ? 'resumed and copied' : 'source changed since the last run; copied again'}`,
    `  rows: ${rows}`,
    `  logbook head: ${v.logHead === null ? 'empty' : `seq ${v.logHead.seq}, hash ${v.logHead.hash}`}`,
    `  verified: row counts of every table, store counts, logbook head and checkpoint, ${v.sampledMatches} sampled matches in full: ${v.ok ? 'equal' : `DIFFERENT (${v.failures.join('; ')})`}`,
  ].join('\n');
}

export async function migrateStore(
  values: Record<string, string | boolean | string[] | undefined>,
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> {
  const { from, to } = values;
  if (typeof from !== 'string' || from === '' || typeof to !== 'string' || to === '') {
    io.stderr.write('sluis-server: migrate-store needs --from <sqlite file> and --to <postgres url>\n');
    return EXIT.usage;
  }
  // Checked here, not by the configuration it becomes: that one would name --database-url.
  if (urlHoldsPassword(to)) {
    throw usageError(
      'migrate-store: the URL of --to holds a password: give the URL without one, and the password in --database-password-file (docs/operations.md "PostgreSQL")',
    );
  }
  const config = loadConfig({
    flags: { ...values, 'database-url': to },
    env,
    cwd: io.cwd,
    warn: (line) => io.stderr.write(`${line}\n`),
  });
  const source = resolve(io.cwd, from);
  // Read-only, but SQLite still creates -wal and -shm beside the file when they are missing:
  // run as another user (root) they would stop the SQLite server from opening it again.
  if (!existsSync(source)) throw new ServerError('database_missing', { path: source });
  assertDatabaseOwnedByUs(source);
  assertSqliteBindingLoads();
  // Read before the stop handler exists: a password or CA file refused here leaves no handler.
  const target = postgresOptions(config, systemClock);
  // Ctrl-C (SIGINT) or SIGTERM stops the copy after the batch in flight (each commits), or
  // before or after the verification, the database still marked unfinished, so a rerun resumes;
  // a second signal ends the process at once (docs/operations.md "Moving to PostgreSQL").
  const stop = new AbortController();
  const undo = (io.onShutdown ?? defaultOnShutdown)(() => {
    io.stderr.write(
      '\nsluis-server: migrate-store stopping after the step in flight (a second Ctrl-C or SIGTERM quits at once)\n',
    );
    stop.abort();
  });
  let lastTable = '';
  try {
    // Loaded by this command only: no server's start, on SQLite or PostgreSQL, carries the
    // transfer (docs/performance.md "Case 4 on a crowded machine").
    const { transferSqliteToPostgres } = await import('@sluis/engine/transfer');
    const report = await transferSqliteToPostgres({
      from: source,
      to: target,
      signal: stop.signal,
      onProgress: (table, rows) => {
        if (table !== lastTable || rows % 100_000 < 1000)
          io.stderr.write(`migrate-store: ${table} ${rows} rows\n`);
        lastTable = table;
      },
    });
    io.stdout.write(`${values.json === true ? JSON.stringify(report) : summary(report)}\n`);
    if (report.finished) {
      if (values.json !== true) {
        io.stdout.write(
          'migrate-store: done; start the instances with --database-url (docs/operations.md)\n',
        );
      }
      return EXIT.ok;
    }
    io.stderr.write(
      report.sourceChanged
        ? 'sluis-server: the SQLite file was written during the copy; stop the server and run migrate-store again\n'
        : 'sluis-server: the copy does not match its source; the database stays marked unfinished (docs/operations.md)\n',
    );
    return EXIT.refused;
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') {
      io.stderr.write('sluis-server: migrate-store stopped; run the same command again to resume\n');
      return EXIT.unavailable;
    }
    if (isEngineError(e)) {
      const d = describeRefusal(e);
      if (d !== undefined) {
        io.stderr.write(`sluis-server: ${d.text}\n`);
        return d.exit;
      }
      // Unreachable, TLS refused, authentication failed …: named as a code (server.ts).
      const explained = await explainPostgresFailure(e, target);
      if (isServerError(explained)) {
        io.stderr.write(`sluis-server: ${explained.message}\n`);
        return EXIT.unavailable;
      }
      io.stderr.write(`sluis-server: migrate-store failed (${e.code}); run it again to resume\n`);
      return EXIT.unavailable;
    }
    throw e;
  } finally {
    undo();
  }
}
