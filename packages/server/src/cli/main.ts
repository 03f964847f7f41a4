// The `sluis-server` command line, as a function (argv, env, io) → exit code so every
// command runs in-process in tests; cli.ts only wires it to the process. Commands: start
// (default), retention, backup, migrate-store, credential-issuer-key, admin …, help.
// Invariant: errors are one line on stderr with a documented exit code (io.ts), never a
// stack trace or a secret.

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeArgvError, isArgvError, joinOptionValues } from '@sluis/client-sdk/node';
import { isEngineError } from '@sluis/engine';
import { ADMIN_USAGE, adminMain } from './admin-commands.js';
import { retentionLine } from './admin-output.js';
import { BACKUP_USAGE, backup } from './backup-command.js';
import {
  bootstrapKeys,
  bootstrapMessage,
  destroyKeyMaterial,
  CREDENTIAL_ISSUER_KEY_FILE,
  CREDENTIAL_ISSUER_PUBLIC_FILE,
  createCredentialIssuerKey,
  SERVER_SECRET_1,
  setupReminder,
} from './bootstrap.js';
import { type ConfigInputs, loadConfig, type ServerConfig, sourceOf } from './config.js';
import { MIGRATE_STORE_USAGE, migrateStore, schemaNumbers } from './migrate-store-command.js';
import { SERVER_OPTIONS, serverParseOptions } from './server-options.js';
import { type CliIo, defaultOnShutdown, EXIT, exitCodeOf, redact } from './io.js';
import { systemClock } from '../clock.js';
import { isCliErrorCode, isServerError, ServerError } from '../errors.js';
import { commitLine, schemaLine } from '../ops/build-info.js';
import { createTurnLogger, type Logger } from '../ops/logger.js';
import { openEngine } from '../open-engine.js';
import { type RunningServer, startServer } from '../server.js';

export const VERSION = '0.1.0';

function usage(): string {
  const opts = SERVER_OPTIONS.map(
    (o) =>
      `  --${`${o.flag}${o.kind === 'boolean' ? '' : ' <v>'}`.padEnd(34)} ${o.env.padEnd(34)} ${o.description} (default ${o.default})`,
  );
  return [
    'Usage: sluis-server [command] [options]',
    '',
    'Commands:',
    '  start                 run the match server (default)',
    '  retention             run retention once on the database and exit (for cron)',
    BACKUP_USAGE,
    MIGRATE_STORE_USAGE,
    '  credential-issuer-key  make keys/credential-issuer.key once, where a PostgreSQL start refuses to (docs/operations.md)',
    '  admin <command>       municipality commands against a running server (sluis-server admin help)',
    '  version               print the version and exit',
    '  help                  this text',
    '',
    'Options of start / retention / backup / migrate-store / credential-issuer-key (flag, environment variable):',
    `  --${'config <file>'.padEnd(34)} ${'SLUIS_CONFIG'.padEnd(34)} JSON config file with the keys below`,
    ...opts,
    '',
    'Exit codes: 0 ok, 1 refused or check failed, 2 bad usage or configuration, 3 unavailable or unexpected.',
    '',
  ].join('\n');
}

/**
 * The first SIGTERM or SIGINT (`io.onShutdown` in tests), from now on: `requested` resolves on
 * it. The handlers go with it, so a second signal ends the process at once; `undo` removes them.
 */
function shutdownRequest(io: CliIo): { readonly requested: Promise<void>; undo(): void } {
  let undo: () => void = () => {};
  const requested = new Promise<void>((resolve) => {
    undo = (io.onShutdown ?? defaultOnShutdown)(() => {
      undo();
      resolve();
    });
  });
  return { requested, undo: () => undo() };
}

function parseServerArgs(
  argv: readonly string[],
  extra: Record<string, { type: 'string' | 'boolean' }> = {},
) {
  const options = { ...serverParseOptions(), ...extra };
  return parseArgs({
    args: joinOptionValues(argv, options),
    options,
    allowPositionals: false,
    strict: true,
  });
}

/** The configuration from parsed flags and the environment; deprecation lines go to stderr. */
function configOf(values: ConfigInputs['flags'], env: ConfigInputs['env'], io: CliIo): ServerConfig {
  return loadConfig({ flags: values, env, cwd: io.cwd, warn: (line) => io.stderr.write(`${line}\n`) });
}

/**
 * Runs a command on the configuration: parses its options (the server's and `extra`) and
 * the configuration, runs `run`, and answers a failure with one line and its exit code
 * (`fail`, which names the configured address when the configuration was read).
 */
async function withConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
  extra: Record<string, { type: 'string' | 'boolean' }>,
  run: (values: ReturnType<typeof parseServerArgs>['values'], config: ServerConfig) => Promise<number>,
): Promise<number> {
  let config: ServerConfig | undefined;
  try {
    const { values } = parseServerArgs(argv, extra);
    config = configOf(values, env, io);
    return await run(values, config);
  } catch (e) {
    return fail(e, config, io);
  }
}

/** One line for any failure at start-up; undefined when the error is unexpected. */
function describeStartError(
  e: unknown,
  config: ServerConfig | undefined,
): { text: string; code: number } | undefined {
  // Configuration, key file, missing-key and backup errors: the message names the option or
  // file (the operator's own), the exit code comes from the one mapping in io.ts.
  if (isServerError(e) && isCliErrorCode(e.code)) return { text: e.message, code: exitCodeOf(e) };
  if (isEngineError(e)) {
    // Never the URL of a PostgreSQL database: it names the host and user.
    const db =
      config === undefined
        ? 'the database'
        : config.databaseUrl === undefined
          ? config.database
          : 'the PostgreSQL database';
    if (e.code === 'schema_too_new')
      return {
        text: `${db} was written by a newer sluis version${schemaNumbers(e)}; refusing to start (run the version that wrote it, or restore the backup made before the upgrade: docs/operations.md "Upgrade")`,
        code: EXIT.usage,
      };
    if (e.code === 'database_corrupt')
      return {
        text: `${db} is corrupt or not a sluis database; refusing to start (restore a backup)`,
        code: EXIT.usage,
      };
    if (e.code === 'import_unfinished')
      return {
        text: `${db} holds an unfinished migrate-store copy; run migrate-store again to finish it (docs/operations.md)`,
        code: EXIT.unavailable,
      };
    if (e.code === 'config_invalid') {
      // Field names of the engine's configuration, never values (the server's own check names
      // the option and its source first, cli/config-validation.ts).
      const fields = e.fields.length > 0 ? `: ${e.fields.join(', ')}` : '';
      return { text: `invalid configuration (${e.message}${fields})`, code: EXIT.usage };
    }
    if (e.code === 'conflict')
      // Not a database fault: the start's own write met another instance's (the server-secret
      // rotation it records for newer key files, docs/operations.md "High availability").
      return {
        text: `the start could not record its state in ${db}: ${e.message}; nothing was changed — start again, and if it repeats, check that keys/ is the one of the instances that run on this database (docs/operations.md "High availability")`,
        code: EXIT.unavailable,
      };
    return { text: `the database cannot be used (${e.code})`, code: EXIT.unavailable };
  }
  const code = (e as { code?: unknown }).code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    return { text: `cannot listen on ${config?.host}:${config?.port} (${code})`, code: EXIT.unavailable };
  }
  return undefined;
}

async function start(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> {
  return withConfig(argv, env, io, {}, async (_values, config) => {
    const logger = createTurnLogger(io.stdout, config.logLevel);
    // The handlers are in place before the start makes a file or opens the database
    // (docs/operations.md "Shutdown"): a SIGTERM or SIGINT while the server starts — a
    // supervisor's stop during a long migration, a script that stops the server as soon as it
    // reads "listening" — lets the start finish and then stops the server in order, instead of
    // ending the process between two steps of its start, its log lines unwritten.
    const shutdown = shutdownRequest(io);
    // Said when the signal is handled, so that an operator who stops a long start (a schema
    // migration, another instance's migration lock) sees it was heard; no fields.
    let listening = false;
    void shutdown.requested.then(() => {
      if (!listening) logger.log('info', 'stop_requested_during_start');
    });
    let server: RunningServer;
    try {
      // The start's lines before the "listening" line on stderr, as one line per write put them.
      server = await startServer({
        config,
        logger,
        version: VERSION,
        ...(io.fetch === undefined ? {} : { fetch: io.fetch }),
      }).finally(() => logger.flush());
      listening = true;
    } catch (e) {
      shutdown.undo();
      throw e;
    }
    if (server.keys.created.length > 0)
      io.stderr.write(bootstrapMessage(server.keys, server.url, config.databaseUrl !== undefined));
    await remindSetup(server, config, logger, io);
    io.stderr.write(
      `sluis-server ${VERSION} listening on ${server.url}${server.testClock ? ' (TEST CLOCK ENABLED — not for production)' : ''}${config.restoreMode ? ' (RESTORE MODE: no webhooks or e-mail sent, only admin requests from this host; restart without --restore-mode and SLUIS_RESTORE_MODE=1 to open)' : ''}\n`,
    );
    await shutdown.requested;
    await server.close();
    logger.flush();
    return EXIT.ok;
  });
}

/**
 * While no organisation is admitted, every start says so (docs/operations.md "Start, and the
 * first start"): a log line, and on stderr the first start's next steps again (the first
 * start printed them already).
 */
async function remindSetup(server: RunningServer, config: ServerConfig, logger: Logger, io: CliIo) {
  let none: boolean;
  try {
    none = (await server.engine.listOrganisations()).length === 0;
  } catch {
    return; // the database refused: requests will say so, the start goes on
  }
  if (!none) return;
  logger.log('info', 'no_organisation_admitted', {});
  if (!server.keys.created.includes(SERVER_SECRET_1))
    io.stderr.write(setupReminder(server.keys, server.url, config.databaseUrl !== undefined));
}

function fail(e: unknown, config: ServerConfig | undefined, io: CliIo): number {
  if (isArgvError(e)) {
    const options = {
      ...serverParseOptions(),
      json: { type: 'boolean' },
      to: { type: 'string' },
      from: { type: 'string' },
    } as const;
    io.stderr.write(`sluis-server: ${describeArgvError(e, options)} (see sluis-server help)\n`);
    return EXIT.usage;
  }
  const d = describeStartError(e, config);
  if (d !== undefined) {
    io.stderr.write(`sluis-server: ${d.text}\n`);
    return d.code;
  }
  io.stderr.write(`sluis-server: unexpected error (${e instanceof Error ? e.name : typeof e})\n`);
  return EXIT.unavailable;
}

async function retention(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> {
  return withConfig(argv, env, io, { json: { type: 'boolean' } }, async (values, config) => {
    const keys = bootstrapKeys(config.dataDir, { create: false, dataDirSource: sourceOf(config, 'dataDir') });
    try {
      // Never creates a database (ops/store-selection.ts): an empty one would "succeed" silently.
      const engine = await openEngine(config, keys, systemClock, { mustExist: true });
      try {
        const r = await engine.runRetention({ kind: 'system' });
        io.stdout.write(
          values.json === true
            ? `${JSON.stringify({ ...r, ranAt: new Date(r.ranAt).toISOString() })}\n`
            : `retention: ${retentionLine(r)}`,
        );
      } finally {
        await engine.close();
      }
    } finally {
      // Also when the database would not open: every key read is zeroed (docs/operations.md "Shutdown").
      destroyKeyMaterial(keys);
    }
    return EXIT.ok;
  });
}

/**
 * `credential-issuer-key`: a new credential-issuer key in <data-dir>/keys/, for a data
 * directory on PostgreSQL whose instances have none yet (the start refuses to make one there:
 * bootstrap.ts). Refused when the file exists; prints the key id and the public file, never the key.
 */
async function credentialIssuerKeyCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> {
  return withConfig(argv, env, io, {}, async (_values, config) => {
    const keys = bootstrapKeys(config.dataDir, { create: false, dataDirSource: sourceOf(config, 'dataDir') });
    destroyKeyMaterial(keys);
    if (keys.credentialIssuerKey !== undefined)
      throw new ServerError('key_file_exists', { path: join(keys.keysDir, CREDENTIAL_ISSUER_KEY_FILE) });
    const key = createCredentialIssuerKey(keys.keysDir);
    io.stdout.write(
      `credential-issuer key ${key.keyId} written to ${join(keys.keysDir, CREDENTIAL_ISSUER_KEY_FILE)} (0600); public half in ${CREDENTIAL_ISSUER_PUBLIC_FILE}: copy both to every instance's keys/ and admit the public key at the pseudonym service (admit-issuer)\n`,
    );
    key.destroy();
    return EXIT.ok;
  });
}

async function migrateStoreCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> {
  try {
    const { values } = parseServerArgs(argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
    });
    return await migrateStore(values, env, io);
  } catch (e) {
    return fail(e, undefined, io);
  }
}

export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> {
  const first = argv[0];
  const command = first === undefined || first.startsWith('-') ? 'start' : first;
  const rest = command === first ? argv.slice(1) : argv;
  switch (command) {
    case 'start':
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout.write(usage());
        return EXIT.ok;
      }
      return start(rest, env, io);
    case 'retention':
      return retention(rest, env, io);
    case 'backup':
      return withConfig(rest, env, io, { to: { type: 'string' } }, (values, config) =>
        backup(values, config, io),
      );
    case 'migrate-store':
      return migrateStoreCommand(rest, env, io);
    case 'credential-issuer-key':
      return credentialIssuerKeyCommand(rest, env, io);
    case 'admin':
      return adminMain(rest, env, io);
    case 'help':
      io.stdout.write(`${usage()}\n${ADMIN_USAGE}`);
      return EXIT.ok;
    case 'version':
      // First line the program version alone (scripts read it), then the schema it expects
      // and the commit it was built from (docs/operations.md "Upgrade").
      io.stdout.write(`${VERSION}\n${await schemaLine()}\n${commitLine()}\n`);
      return EXIT.ok;
    default:
      io.stderr.write(
        `sluis-server: unknown command ${redact(command.slice(0, 40))} (see sluis-server help)\n`,
      );
      return EXIT.usage;
  }
}
