// A postgres.js pool with the store's connection settings (docs/operations.md "The database
// URL"), for the store (pg-store.ts), migrate-store's copy and the connection diagnosis
// (transfer/). Invariant: the URL and PostgresStoreOptions are the whole truth — postgres.js
// 3.4.9 fills every option left out from a PG* environment variable (PGPORT for a host without
// a port — and a later host of a multi-host URL takes the first host's port — PGPASSWORD,
// PGSSLNEGOTIATION, PGMAX_LIFETIME, PGTARGETSESSIONATTRS, PGDEBUG …), so an inherited
// environment could send the store elsewhere than the URL says and the diagnosis probes.
// Every such option is given here; a URL that pg-url.ts refuses is refused here too.

import { EngineError } from '../../errors.js';
import type { Sql } from './pg-core.js';
import { checkPostgresUrl } from './pg-url.js';

export interface PostgresStoreOptions {
  /** postgres://user@host[:port][,host[:port]…]/database, the forms pg-url.ts accepts (no password). */
  readonly url: string;
  /**
   * The server reads it from a file or the environment (SLUIS_DATABASE_PASSWORD / PGPASSWORD,
   * refused when empty); never logged. Left out: an empty password, sent only if the server asks.
   */
  readonly password?: string;
  /** Pooled connections for reads and writes; default 10. */
  readonly maxConnections?: number;
  /** Any statement running longer is cancelled (`database_busy`); default 5000 ms. */
  readonly statementTimeoutMs?: number;
  /** Default 5 s. */
  readonly connectTimeoutSeconds?: number;
  /**
   * PostgreSQL's application_name of every connection (pg_stat_activity), so a DBA can tell
   * the instances apart; default `sluis`. At most 63 bytes (longer is cut by the server).
   */
  readonly applicationName?: string;
  /**
   * TLS: false (loopback, a socket), 'require' (encrypted, server not verified),
   * 'verify-full' (encrypted, certificate and host name verified against `ca`, else against
   * Node.js's default CA list: its bundled Mozilla list and NODE_EXTRA_CA_CERTS, not the
   * system's store unless Node.js runs with --use-openssl-ca or --use-system-ca).
   */
  readonly tls?: false | 'require' | 'verify-full';
  /** PEM of the CA(s) that signed the server's certificate (with 'verify-full'); replaces the default list. */
  readonly ca?: string;
  /**
   * The schema the store's tables are in (each connection's search_path); default the role's
   * search_path. The tests give each harness a schema of one database (testing/pg-databases.ts);
   * the server sets none.
   */
  readonly schema?: string;
  /** Dates epoch 1 when the database is created; default Date.now. */
  readonly clock?: () => number;
}

/** bigint columns (row ids, ms timestamps, counts) as JS numbers: all stay below 2^53. */
const NUMBER_TYPES = {
  int8: {
    to: 20,
    from: [20],
    serialize: (x: number | bigint | string) => String(x),
    parse: (x: string) => Number(x),
  },
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The options postgres.js gets with `options.url`: each host with its port as pg-url.ts reads
 * it (5432 when left out), and every option postgres.js would otherwise take from a PG*
 * variable at postgres.js's own default where sluis has no setting of its own. Throws
 * `config_invalid` (naming the accepted forms, never the URL) for a URL pg-url.ts refuses.
 */
function postgresSettings(
  options: PostgresStoreOptions,
  extra: Readonly<Record<string, string>>,
  max: number,
): Record<string, unknown> {
  const checked = checkPostgresUrl(options.url);
  if (!checked.ok) {
    throw new EngineError('config_invalid', `the database URL ${checked.hint}`, { fields: ['url'] });
  }
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new EngineError('config_invalid', 'the schema name is malformed', { fields: ['schema'] });
  }
  const ssl =
    options.tls === undefined || options.tls === false
      ? false
      : options.tls === 'require'
        ? 'require'
        : options.ca === undefined
          ? 'verify-full'
          : { ca: options.ca, rejectUnauthorized: true };
  const password = options.password ?? '';
  return {
    // Arrays, one entry per host: postgres.js's types take one host and one port, its parser
    // takes the arrays as given (the URL's user and database are required by the check).
    host: checked.hosts.map((h) => h.host),
    port: checked.hosts.map((h) => h.port),
    // A function, because postgres.js replaces a falsy password ('') with PGPASSWORD.
    pass: () => password,
    max,
    ssl,
    sslnegotiation: null,
    // postgres.js 3.4.9's own default (src/index.js `max_lifetime`): each connection is
    // closed after 30 to 60 minutes, at random so the pool's do not all reconnect at once.
    max_lifetime: () => 60 * (30 + Math.random() * 30),
    max_pipeline: 100,
    keep_alive: 60,
    prepare: true,
    debug: false,
    fetch_types: true,
    publications: 'alltables',
    // Null: no check, unless the URL asks for one (patches/postgres@3.4.9.patch change 11:
    // upstream, a null is replaced by PGTARGETSESSIONATTRS).
    target_session_attrs: null,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    idle_timeout: 60,
    // Reconnect attempts back off to one a second at most (postgres.js grows to 20 s), so
    // the instances answer again within about a second of the database coming back.
    backoff: (attempts: number) => Math.min(0.05 * 2 ** attempts, 1),
    types: NUMBER_TYPES,
    onnotice: () => undefined,
    connection: {
      application_name: options.applicationName ?? 'sluis',
      statement_timeout: options.statementTimeoutMs ?? 5000,
      ...(options.schema === undefined ? {} : { search_path: options.schema }),
      ...extra,
    },
  };
}

/**
 * A pool with `postgresSettings`; no connection is made until the first statement.
 * postgres.js is imported here, when a pool is first made, so that a server on SQLite never
 * loads it (docs/performance.md "Case 4 on a crowded machine").
 */
export async function connectPostgres(
  options: PostgresStoreOptions,
  extra: Readonly<Record<string, string>>,
  max: number,
): Promise<Sql> {
  const settings = postgresSettings(options, extra, max);
  const { default: postgres } = await import('postgres');
  return postgres(options.url, settings as Parameters<typeof postgres>[1]) as unknown as Sql;
}
