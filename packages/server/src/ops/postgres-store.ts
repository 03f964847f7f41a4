// Opens the PostgreSQL store from the server's configuration (docs/operations.md
// "PostgreSQL"). Invariants: the password comes from the password file (read like a key
// file: 0600/0400 and ours), else SLUIS_DATABASE_PASSWORD, else PGPASSWORD — never from the
// URL — and is never logged; TLS is verified unless the host is loopback or the operator
// says otherwise; a failed open is explained by a cause code, never the URL, host, user or
// password.

import {
  diagnosePostgresConnection,
  isEngineError,
  openPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from '@sluis/engine';
import type { ServerConfig } from '../cli/config.js';
import type { Clock } from '../clock.js';
import { ServerError } from '../errors.js';
import { readSecretText } from './key-files.js';

/**
 * The PostgreSQL store's options (docs/operations.md "PostgreSQL"): the password from the
 * file (refused unless 0600/0400 and ours), else SLUIS_DATABASE_PASSWORD, else PGPASSWORD; never from the URL, never logged.
 */
export function postgresOptions(config: ServerConfig, clock: Clock): PostgresStoreOptions {
  const url = config.databaseUrl!;
  // Read like a key file (ops/key-files.ts): 0600 or 0400, owned by the user running sluis.
  const password =
    config.databasePasswordFile !== undefined
      ? readSecretText(config.databasePasswordFile).replace(/\r?\n$/, '')
      : (process.env.SLUIS_DATABASE_PASSWORD ?? process.env.PGPASSWORD);
  const host = new URL(url).hostname;
  const loopback = host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
  const tls =
    config.databaseTls === 'auto'
      ? loopback
        ? false
        : 'verify-full'
      : config.databaseTls === 'off'
        ? false
        : config.databaseTls;
  return { url, tls, clock, ...(password === undefined ? {} : { password }) };
}

/**
 * Opens the PostgreSQL store; when that fails with a code that names no cause (`internal`,
 * `database_unavailable`), a fresh connection finds the cause — unreachable, TLS refused,
 * authentication failed … — and the start is refused with that code (never the URL or a password).
 */
export async function openPostgres(options: PostgresStoreOptions): Promise<PostgresStore> {
  try {
    return await openPostgresStore(options);
  } catch (e) {
    throw await explainPostgresFailure(e, options);
  }
}

/** `e`, or a `database_connect_failed` naming its cause when the engine's code names none. */
export async function explainPostgresFailure(e: unknown, options: PostgresStoreOptions): Promise<unknown> {
  if (!isEngineError(e, 'internal') && !isEngineError(e, 'database_unavailable')) return e;
  const reason = await diagnosePostgresConnection(options).catch(() => undefined);
  return reason === undefined ? e : new ServerError('database_connect_failed', { problemCode: reason });
}
