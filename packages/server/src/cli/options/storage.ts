// Options of `sluis-server start`, one group of the table in ../server-options.ts:
// Where the data lives: the data directory and the SQLite file or PostgreSQL connection
// (docs/operations.md "Configure").

import type { OptionSpec } from './option-spec.js';

export const STORAGE_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'dataDir',
    flag: 'data-dir',
    env: 'SLUIS_DATA_DIR',
    kind: 'string',
    default: './data',
    description: 'Data directory (database, keys/)',
  },
  {
    key: 'database',
    flag: 'database',
    env: 'SLUIS_DATABASE',
    kind: 'string',
    default: '<data-dir>/sluis.db',
    description: 'SQLite database file, or a postgres:// URL (as --database-url)',
  },
  {
    key: 'newDatabase',
    flag: 'new-database',
    env: 'SLUIS_NEW_DATABASE',
    kind: 'boolean',
    default: 'false',
    description:
      'Let a start make an empty SQLite database beside existing keys (refused otherwise: a lost database must not look like a fresh start)',
  },
  {
    key: 'databaseUrl',
    flag: 'database-url',
    env: 'SLUIS_DATABASE_URL',
    kind: 'string',
    default: '(none: SQLite)',
    description:
      'PostgreSQL instead of SQLite: postgres://user@host:port/name, without a password (see --database-password-file)',
  },
  {
    key: 'databasePasswordFile',
    flag: 'database-password-file',
    env: 'SLUIS_DATABASE_PASSWORD_FILE',
    kind: 'string',
    default: '(none: SLUIS_DATABASE_PASSWORD or PGPASSWORD)',
    description: 'File holding the PostgreSQL password (mode 0600); never logged',
  },
  {
    key: 'databaseTls',
    flag: 'database-tls',
    env: 'SLUIS_DATABASE_TLS',
    kind: 'string',
    default: 'auto',
    description:
      'PostgreSQL TLS: auto (off on loopback, else verify-full; verify-full on every host with --database-ca-file), off, require, verify-full',
  },
  {
    key: 'databaseCaFile',
    flag: 'database-ca-file',
    env: 'SLUIS_DATABASE_CA_FILE',
    kind: 'string',
    default: "(none: Node.js's bundled CA list)",
    description:
      "PEM file of the CA(s) that signed the PostgreSQL server's certificate (an internal CA); verify-full trusts these alone",
  },
];
