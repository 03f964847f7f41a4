// The one error type of the server package (house style, "Errors"). `code` is a stable
// literal: the HTTP refusals (the engine's codes and the server's own) are mapped to
// statuses in http/problem.ts, the command-line codes to exit codes in cli/io.ts. Each
// message is a fixed template per code; the only values it may name are the operator's
// own paths and option names (already printed today), a flag name, an HTTP status or a
// problem code — never an identifier, pseudonym, key or request body. The one other error,
// RequestAborted (http/raw-body.ts: the client went away before its body was complete), is
// neither a refusal nor a fault and maps to no status, so it is outside these codes.

import { isProblemCode, type ProblemCode } from './http/problem.js';

/** Codes of the CLI and the operations helpers (never sent over HTTP). */
export type CliErrorCode =
  // configuration (cli/config.ts, cli/server-options.ts, cli/config-validation.ts)
  | 'config_file_unreadable'
  | 'config_file_malformed'
  | 'config_option_unknown'
  | 'config_option_invalid'
  | 'test_switch_refused'
  // key files (ops/key-files.ts, cli/bootstrap.ts)
  | 'key_file_missing'
  | 'key_file_unreadable'
  | 'key_file_insecure'
  | 'key_file_invalid'
  | 'key_file_exists'
  | 'keys_missing'
  | 'server_secret_missing'
  | 'credential_issuer_missing'
  | 'webhook_key_missing'
  | 'server_secret_foreign'
  | 'server_secret_generation_missing'
  | 'webhook_keys_behind_logbook'
  // who runs a command, and which database it opens (ops/file-owner.ts, ops/store-selection.ts)
  | 'file_foreign_owner'
  | 'database_missing'
  | 'database_connect_failed'
  | 'database_moved_to_postgres'
  | 'database_lost'
  // better-sqlite3's compiled binding, built for another Node.js (ops/store-selection.ts)
  | 'native_binding_unloadable'
  // webhook delivery (jobs/webhook-transport.ts)
  | 'webhook_address_refused'
  // the match notice e-mail's configuration (mail/mail-config.ts)
  | 'mail_config_invalid'
  | 'mail_credentials_invalid'
  // the data directory (ops/data-dir.ts)
  | 'data_dir_insecure'
  | 'data_dir_unusable'
  // backup (ops/backup.ts)
  | 'backup_source_missing'
  | 'backup_target_exists'
  | 'backup_target_folder_missing'
  | 'backup_integrity_failed'
  | 'backup_failed'
  // an admin command's --out file (cli/admin-oversight-commands.ts)
  | 'out_file_exists'
  | 'out_folder_missing'
  | 'out_folder_unwritable'
  // command line and the admin client (cli/*)
  | 'usage_invalid'
  | 'admin_refused'
  | 'admin_unreachable';

export type ServerErrorCode = ProblemCode | CliErrorCode;

export interface ServerErrorDetails {
  /** Field paths (never values) of a refused request. */
  readonly fields?: readonly string[];
  /** Seconds until a refused request may be retried (rate_limited, budget_exceeded). */
  readonly retryAfterSeconds?: number;
  /** HTTP status of the server's answer (admin_refused). */
  readonly status?: number;
  /** The server's problem code (admin_refused), or the cause of database_connect_failed; a code, never a value. */
  readonly problemCode?: string;
  readonly correlationId?: string;
  /** A file, directory or URL from the operator's own configuration. */
  readonly path?: string;
  /** A file that the configuration file at `path` names (the mail configuration's caFile). */
  readonly file?: string;
  /** An option name or flag (configuration and usage errors). */
  readonly option?: string;
  /** Where an option came from: a flag, a variable, `config file <path>` or `default`. */
  readonly source?: string;
  /** A fixed sentence written in this package (what was expected); never user input. */
  readonly hint?: string;
  /** The system user that owns a file (a name from /etc/passwd, or `uid N`). */
  readonly owner?: string;
  /** The system user running the command, likewise. */
  readonly user?: string;
  /** The Node.js version running the command (`process.version`). */
  readonly runtime?: string;
  /** Webhook key ids (public) with what the logbook records of each (webhook_keys_behind_logbook). */
  readonly keyIds?: string;
}

const KEY_FILE_REASON = {
  key_file_unreadable: 'cannot be read',
  key_file_insecure: 'is readable by group or others, or not owned by this user (chmod 600 / chown it)',
  key_file_invalid: 'does not hold a valid key',
  key_file_exists: 'already exists (refusing to overwrite)',
} as const;

/** database_connect_failed: what each cause (a fixed code of the engine's diagnosis) asks of the operator. */
const CONNECT_REASON: Record<string, string> = {
  unreachable: 'no connection to the host and port of the URL, 5432 where it names none',
  tls_refused: 'the server offers no TLS; enable it there, or set --database-tls',
  tls_certificate_refused:
    'the server\'s certificate or host name did not verify — against --database-ca-file when given, else against Node.js\'s default CA list (its bundled Mozilla list and NODE_EXTRA_CA_CERTS, no internal CA): give the CA that signed it in --database-ca-file, and a host name the certificate names (docs/operations.md "PostgreSQL")',
  authentication_failed: 'the server refused the user or the password: check the URL and the password file',
  database_not_found: 'the database named in the URL does not exist',
  database_permission_denied:
    'the user may not connect to the database or create tables in it: make the user the database\'s owner (CREATE DATABASE sluis OWNER sluis), or GRANT CREATE ON SCHEMA public TO sluis (docs/operations.md "Database and role")',
  too_many_connections:
    'the server or the user\'s CONNECTION LIMIT has no connection left: raise max_connections or the limit to instances × pool size + margin (docs/operations.md "Database and role")',
};

/**
 * What to do about a file of another user: run as its owner; a stray file is given back with
 * chown. A file of root's is such a stray (the service never runs as root): give it to the
 * user who runs the command, when that is the service user.
 */
function runAs(d: ServerErrorDetails): string {
  if (d.owner === 'root')
    return `a file root left behind must be given back to the service user: sudo chown ${d.user} ${d.path} (when ${d.user} is the service user; else run this command as the service user, sudo -u <service user> sluis-server …)`;
  return `run it as ${d.owner} (sudo -u ${d.owner} sluis-server …); a file another user left behind must be given back to the service user (chown)`;
}

/**
 * Where a command's data directory came from, for a refusal that found no keys there: almost
 * always the command was not given the server's data directory (a config file without dataDir,
 * a cron line without --data-dir) — docs/operations.md "An example config file".
 */
export function dataDirOrigin(source: string | undefined): string {
  if (source === undefined) return '';
  return source === 'default'
    ? '; this command was given none, so it used the default, ./data in the working directory'
    : `; this one came from ${source}`;
}

/**
 * The same for a refusal of a key file this data directory holds (server_secret_foreign): the
 * file's path alone does not say whether the command was given the server's data directory.
 */
function keysDirOrigin(source: string | undefined): string {
  if (source === undefined) return '';
  return source === 'default'
    ? '; this command was given no data directory, so it used the default, ./data in the working directory'
    : `; its data directory came from ${source}`;
}

/** The fix named first is the server's data directory; making keys is for a new installation only. */
function notTheServersDataDir(d: Pick<ServerErrorDetails, 'source'>): string {
  return `give this command the data directory the server runs with (--data-dir, or the server's --config with dataDir${dataDirOrigin(d.source)}) — only a new installation makes its keys, at its first start (sluis-server start, docs/operations.md "Start, and the first start")`;
}

/** A file a command writes (a backup, an export): never over an existing one, into an existing folder. */
const targetExists = (path: string | undefined) => `${path} already exists (refusing to overwrite)`;
const folderMissing = (path: string | undefined) => `the folder ${path} does not exist (create it first)`;

const CLI_MESSAGES: Record<CliErrorCode, (d: ServerErrorDetails) => string> = {
  config_file_unreadable: (d) => `invalid configuration: config file ${d.path} cannot be read`,
  config_file_malformed: (d) => `invalid configuration: config file ${d.path} is not a JSON object`,
  config_option_unknown: (d) =>
    `invalid configuration: unknown option ${d.option ?? ''} in ${d.source ?? 'the config file'}`,
  config_option_invalid: (d) =>
    `invalid configuration: ${d.option} (from ${d.source ?? 'default'})${d.path === undefined ? '' : ` ${d.path}`} ${d.hint ?? 'is malformed'}`,
  test_switch_refused: (d) => `${d.option} is refused unless NODE_ENV=test`,
  key_file_missing: (d) => `key file ${d.path} does not exist${d.hint === undefined ? '' : ` (${d.hint})`}`,
  key_file_unreadable: (d) => `key file ${d.path}: ${KEY_FILE_REASON.key_file_unreadable}`,
  key_file_insecure: (d) =>
    d.owner === undefined
      ? `key file ${d.path}: ${KEY_FILE_REASON.key_file_insecure}`
      : `key file ${d.path} belongs to ${d.owner}, not to ${d.user ?? 'this user'} who runs this command: ${runAs(d)}`,
  key_file_invalid: (d) => `key file ${d.path}: ${KEY_FILE_REASON.key_file_invalid}`,
  key_file_exists: (d) => `key file ${d.path}: ${KEY_FILE_REASON.key_file_exists}`,
  keys_missing: (d) => `no keys in ${d.path}: ${notTheServersDataDir(d)}`,
  server_secret_missing: (d) => `no server secret in ${d.path}: ${notTheServersDataDir(d)}`,
  credential_issuer_missing: (d) =>
    `${d.path} is missing: on PostgreSQL every instance must use the same credential-issuer key, so only a new data directory makes one — copy it from the instance that has it, or, when none has one yet, make it once with sluis-server credential-issuer-key (docs/operations.md "High availability")`,
  webhook_key_missing: (d) =>
    `${d.path} is missing: on PostgreSQL every instance must sign webhooks with the same key, so only a new data directory makes one — copy the webhook-signing key files and webhook-keys.json from an instance that runs on this database (docs/operations.md "High availability")`,
  server_secret_foreign: (d) =>
    `${d.path} is not the server secret this database was written with (its check value differs from the one the database records, docs/keys.md §2.2)${keysDirOrigin(d.source)}: every instance and every restore must use the key files that belong to the database — copy the keys directory from an instance that runs on it, or restore the key backup made with it; refusing to start`,
  server_secret_generation_missing: (d) =>
    `${d.path} is missing, but the database records its generation: every instance needs every server-secret generation — copy it from the instance that rotated, or restore it from the key backup (docs/keys.md §4.2); refusing to start`,
  webhook_keys_behind_logbook: (d) =>
    `${d.path} is behind the database: the logbook records webhook key changes this instance's keys directory lacks (${d.keyIds}) — another instance rotated or retired a webhook key; copy webhook-keys.json and the webhook-signing key files from an instance that runs on this database, and delete here the file of every key retired there (docs/keys.md §4.5 "Several instances"); refusing to start`,
  file_foreign_owner: (d) =>
    `${d.path} belongs to ${d.owner}, not to ${d.user} who runs this command: ${runAs(d)}`,
  database_connect_failed: (d) =>
    `the PostgreSQL database cannot be used: ${d.problemCode} (${CONNECT_REASON[d.problemCode ?? ''] ?? 'see docs/operations.md "PostgreSQL"'})`,
  database_missing: (d) =>
    `database ${d.path} does not exist; this command opens an existing database only (a server on PostgreSQL: give it the server's --config or --database-url)`,
  database_lost: (d) =>
    `database ${d.path} does not exist, but this data directory holds the keys of an installation: a start would make an empty database, and a lost database would look like a fresh start — restore the database from its backup (docs/operations.md "Back up and restore"); a server on PostgreSQL: give it the server's --config or --database-url; to begin an empty database with these keys on purpose, start once with --new-database`,
  native_binding_unloadable: (d) =>
    `native_binding_unloadable: better-sqlite3's native binding does not load under Node.js ${d.runtime} (${d.problemCode}): it was built for another Node.js version, or not built; run deploy/install.sh again with the Node.js the service runs (its build compiles the binding for it; in a clone: pnpm install with that Node.js), then start again — nothing was written (docs/operations.md "Upgrade")`,
  database_moved_to_postgres: (d) =>
    `this data directory's server runs on PostgreSQL (${d.path}); give this command the server's --config or --database-url, not the SQLite file (to go back to SQLite on purpose, delete ${d.path})`,
  mail_config_invalid: (d) =>
    d.file === undefined
      ? `invalid mail configuration ${d.path}: ${d.option} is missing or malformed`
      : `invalid mail configuration ${d.path}: ${d.option} ${d.file} ${d.hint ?? 'is malformed'}`,
  mail_credentials_invalid: (d) =>
    `invalid SMTP credentials file ${d.path}: ${d.option} is missing or malformed (expected {"user","pass"})`,
  webhook_address_refused: () => 'the webhook host is, or resolves to, an address that is not allowed',
  data_dir_insecure: (d) =>
    `directory ${d.path} is writable by group or others; refusing to use it (fix: chmod go-w ${d.path}, or choose another --data-dir)`,
  data_dir_unusable: (d) => `directory ${d.path} cannot be created or is not a directory`,
  backup_source_missing: (d) => `database ${d.path} does not exist`,
  backup_target_exists: (d) => targetExists(d.path),
  backup_target_folder_missing: (d) => folderMissing(d.path),
  out_file_exists: (d) => targetExists(d.path),
  out_folder_missing: (d) => folderMissing(d.path),
  out_folder_unwritable: (d) => `the folder ${d.path} cannot be written by this user`,
  backup_integrity_failed: () => 'the backup copy failed its integrity check',
  backup_failed: () => 'the backup failed (see the database and disk)',
  usage_invalid: (d) => d.hint ?? 'invalid usage',
  admin_refused: (d) => `server refused: ${d.problemCode} (HTTP ${d.status})`,
  admin_unreachable: (d) => `the server at ${d.path} could not be reached`,
};

function messageOf(code: ServerErrorCode, details: ServerErrorDetails): string {
  return Object.hasOwn(CLI_MESSAGES, code) ? CLI_MESSAGES[code as CliErrorCode](details) : code;
}

export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;
  readonly details: ServerErrorDetails;

  constructor(code: ServerErrorCode, details: ServerErrorDetails = {}, options?: { cause?: unknown }) {
    super(messageOf(code, details), options);
    this.code = code;
    this.details = details;
  }

  /** Field paths of a refusal (empty when none). */
  get fields(): readonly string[] {
    return this.details.fields ?? [];
  }
}

export function isServerError(e: unknown, code?: ServerErrorCode): e is ServerError {
  return e instanceof ServerError && (code === undefined || e.code === code);
}

/** True for a code of the command line and operations helpers (not an HTTP refusal). */
export function isCliErrorCode(code: ServerErrorCode): code is CliErrorCode {
  return Object.hasOwn(CLI_MESSAGES, code);
}

/**
 * True for one of our own error codes — the engine's, the server's HTTP ones and the CLI's —
 * checked against their tables, not by shape (the logger's rule, docs/leakage.md §3.4).
 */
export function isServerErrorCode(code: string): code is ServerErrorCode {
  return isProblemCode(code) || Object.hasOwn(CLI_MESSAGES, code);
}
