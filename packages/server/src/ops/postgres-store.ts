// Opens the PostgreSQL store from the server's configuration (docs/operations.md
// "PostgreSQL"). Invariants: the password comes from the password file (read like a key
// file: 0600/0400 and ours), else SLUIS_DATABASE_PASSWORD, else PGPASSWORD — never from the
// URL, refused when empty — and is never logged; TLS is verified unless the host is loopback or the operator
// says otherwise, against the CA file when one is given (then that alone, on every host), else
// against Node.js's default CA list; a failed open is explained by a cause code, never the URL,
// host, user or password.

import {
  checkPostgresUrl,
  isEngineError,
  type PostgresStore,
  type PostgresStoreOptions,
} from '@sluis/engine';
import { hostname } from 'node:os';
import { type ServerConfig, sourceOf } from '../cli/config.js';
import { resolveDatabaseTls } from '../cli/config-validation.js';
import type { Clock } from '../clock.js';
import { ServerError } from '../errors.js';
import { caFileHint, readCaFile } from './ca-file.js';
import { readSecretText } from './key-files.js';

/**
 * The PEM of `--database-ca-file` (docs/operations.md "PostgreSQL"), undefined when none is
 * given; refused (config_option_invalid, exit 2) naming the file and why, never its content.
 * Read by the start before it writes anything (server.ts) and again where the store is opened.
 */
export function databaseCa(config: ServerConfig): string | undefined {
  if (config.databaseCaFile === undefined) return undefined;
  const read = readCaFile(config.databaseCaFile);
  if (read.ok) return read.pem;
  throw new ServerError('config_option_invalid', {
    option: 'databaseCaFile',
    source: sourceOf(config, 'databaseCaFile'),
    path: config.databaseCaFile,
    hint: caFileHint(read.problem, 'PostgreSQL'),
  });
}

/**
 * The PostgreSQL store's options (docs/operations.md "PostgreSQL"): the password from the
 * file (refused unless 0600/0400 and ours), else SLUIS_DATABASE_PASSWORD, else PGPASSWORD
 * (refused when empty); never from the URL, never logged.
 */
export function postgresOptions(config: ServerConfig, clock: Clock): PostgresStoreOptions {
  const url = config.databaseUrl!;
  const password = databasePassword(config);
  // validateConfig checked the URL (pg-url.ts) and refused a CA file that would be ignored.
  const checked = checkPostgresUrl(url);
  const ca = databaseCa(config);
  // An unchecked URL (none reaches here) gets no loopback exception: verified.
  const tls = resolveDatabaseTls(
    config.databaseTls,
    checked.ok ? checked.hosts : [{ host: '' }],
    ca !== undefined,
  );
  return {
    url,
    tls,
    clock,
    applicationName: instanceName(),
    ...(password === undefined ? {} : { password }),
    ...(ca === undefined ? {} : { ca }),
  };
}

const NO_PASSWORD =
  '(or, where the server asks for none, give no password: no --database-password-file, SLUIS_DATABASE_PASSWORD or PGPASSWORD)';

/**
 * The password, or undefined when none is given. An empty one is refused (exit 2): an empty
 * file or variable is more likely a secret not yet written than a server that asks for none
 * (and postgres.js used to replace an empty password with PGPASSWORD: pg-connect.ts).
 */
function databasePassword(config: ServerConfig): string | undefined {
  const file = config.databasePasswordFile;
  if (file !== undefined) {
    // Read like a key file (ops/key-files.ts): 0600 or 0400, owned by the user running sluis.
    const password = readSecretText(file).replace(/\r?\n$/, '');
    if (password !== '') return password;
    throw new ServerError('config_option_invalid', {
      option: 'databasePasswordFile',
      source: sourceOf(config, 'databasePasswordFile'),
      path: file,
      hint: `is empty: write the PostgreSQL password into it ${NO_PASSWORD}`,
    });
  }
  const option = process.env.SLUIS_DATABASE_PASSWORD !== undefined ? 'SLUIS_DATABASE_PASSWORD' : 'PGPASSWORD';
  const password = process.env[option];
  if (password !== '') return password;
  throw new ServerError('config_option_invalid', {
    option,
    source: 'the environment',
    hint: `is set but empty: set the PostgreSQL password ${NO_PASSWORD}`,
  });
}

/**
 * `sluis/<host>/<pid>` (docs/operations.md "Database and role"): the application_name a DBA
 * sees in pg_stat_activity, one per instance; the host name only, no secret.
 */
export function instanceName(): string {
  const host = hostname()
    .replace(/[^A-Za-z0-9.-]/g, '_')
    .slice(0, 40);
  return `sluis/${host}/${process.pid}`;
}

/**
 * Opens the PostgreSQL store; when that fails with a code that names no cause (`internal`,
 * `database_unavailable`), a fresh connection finds the cause — unreachable, TLS refused,
 * authentication failed … — and the start is refused with that code (never the URL or a password).
 */
export async function openPostgres(options: PostgresStoreOptions): Promise<PostgresStore> {
  try {
    // Loaded here, not at start: a server on SQLite does not carry the PostgreSQL store
    // (docs/performance.md "Case 4 on a crowded machine").
    const { openPostgresStore } = await import('@sluis/engine/postgres');
    return await openPostgresStore(options);
  } catch (e) {
    throw await explainPostgresFailure(e, options);
  }
}

/** `e`, or a `database_connect_failed` naming its cause when the engine's code names none. */
export async function explainPostgresFailure(e: unknown, options: PostgresStoreOptions): Promise<unknown> {
  if (!isEngineError(e, 'internal') && !isEngineError(e, 'database_unavailable')) return e;
  // The open itself names these (a fresh SELECT 1 may work: the migration's CREATE did not).
  if (e.dbCode === '42501')
    return new ServerError('database_connect_failed', { problemCode: 'database_permission_denied' });
  if (e.dbCode === '53300')
    return new ServerError('database_connect_failed', { problemCode: 'too_many_connections' });
  const { diagnosePostgresConnection } = await import('@sluis/engine/postgres');
  const reason = await diagnosePostgresConnection(options).catch(() => undefined);
  return reason === undefined ? e : new ServerError('database_connect_failed', { problemCode: reason });
}
