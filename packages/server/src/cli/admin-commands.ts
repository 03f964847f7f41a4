// `sluis-server admin …`: the municipality's commands, sent to a running server over
// HTTP signed with the admin key. This module parses the command line, connects, hands
// the command to its group (admin-*-commands.ts) and maps failures to exit codes. The
// server's address and data directory come from its configuration, read as `start` reads it
// (--config, SLUIS_* variables: config.ts), so the admin commands run against the same file.
// Invariant (docs/leakage.md §1): the BSN is never sent, printed or logged — not even in
// an error message (parse errors never echo parseArgs' text; gdpr: admin-gdpr-commands.ts).

import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { describeArgvError, joinOptionValues } from '@sluis/client-sdk/node';
import { AdminClient } from './admin-client.js';
import { planGdprCommand } from './admin-gdpr-commands.js';
import { planKeyCommand } from './admin-key-commands.js';
import { ADMIN_OPTIONS as OPTIONS, type AdminValues as Values } from './admin-options.js';
import { planOrganisationCommand } from './admin-organisation-commands.js';
import { type Plan, pretty } from './admin-output.js';
import { planOversightCommand } from './admin-oversight-commands.js';
import { PEOPLE_REFUSAL_HINTS, planPeopleCommand } from './admin-people-commands.js';
import { planTestClockCommand } from './admin-test-clock-command.js';
import { ADMIN_KEY_FILE, KEYS_DIR } from './bootstrap.js';
import { loadConfig, type ServerConfig, sourceOf } from './config.js';
import { type CliIo, EXIT, exitCodeOf, redact, usageError } from './io.js';
import { dataDirOrigin, isCliErrorCode, isServerError } from '../errors.js';
import { loadSigningKeyFile } from '../ops/key-files.js';

export const ADMIN_USAGE = `Usage: sluis-server admin <command> [options]

Connection (every command):
  --config FILE            the server's JSON config file (env SLUIS_CONFIG), read as start reads it:
                           its dataDir, host and port give the defaults below
  --server URL             server base URL (env SLUIS_SERVER_URL, default http://<host>:<port> of the
                           configuration: http://127.0.0.1:8080 without one)
  --admin-key-file FILE    admin signing key (env SLUIS_ADMIN_KEY_FILE, default <data-dir>/keys/admin.key)
  --data-dir DIR           only used to find the default admin key file (env SLUIS_DATA_DIR, the
                           configuration's dataDir, default ./data)
  --json                   print the server's JSON answer instead of a summary

Commands:
  organisations                          list organisations
  organisation --id ID                   one organisation with its keys
  admit-organisation --name N --type T --public-key K [--public-key K2] [--webhook-url URL] [--budget N]
  update-organisation --id ID [--webhook-url URL | --no-webhook] [--budget N] [--match-email on|off]
                                         --match-email: the organisation's opt-in to the match notice e-mail
  suspend --id ID | reinstate --id ID
  add-key --id ORG_ID --public-key K     register another key of an organisation
  add-key --admin --public-key K         register another admin key
  revoke-key --key-id KEY_ID
  keys                                   all keys: key id, role, status, organisation, public key
  follow-up [--days N] [--status active|ended] [--follow-up none|overdue|recorded] [--outcome O]
            [--min-age-days N] [--max-age-days N] [--type ORG_TYPE] [--sort oldest|newest]
            [--limit N] [--cursor C | --all]
                                         matches with each party's follow-up outcome; OVERDUE when
                                         neither recorded one after N days (default 14); one page
                                         (the next cursor on stderr) or --all pages
  agreements-overview                    per match: agreement counts and overdue items (never the agreements)
  retention-run                          expire and purge now
  logbook-verify                         verify the hash chain (exit 1 when broken)
  logbook-export [--from-seq N] [--out FILE]   entries as JSON lines
  statistics                             counts only
  management-info --from YYYY-MM --to YYYY-MM [--type ORG_TYPE] [--format table|csv|json]
                                         monthly series per organisation type (closed months only);
                                         cells below the server's threshold read "<n"
  webhooks [--status pending|delivered|expired]  webhook deliveries
  mail-notices [--status pending|sent|dropped]   match notice e-mails in the outbox (ids and codes only)
  epochs | register-epoch --epoch N [--kind oprf --public-key K]
  epoch-progress                         covenant key migration: active signals per organisation and epoch
  retire-epoch --epoch N [--force]       refused while signals exist only under epoch N; --force ends them
  server-secret                          server-secret generation and re-keying progress
  rotate-server-secret                   new server-secret generation; stored pseudonyms re-keyed in the background
  key-placements --key-id KEY_ID --from T --to T
                                         what a key placed/did in [from, to) (ISO 8601 times), from the logbook
  server-keys                            the server's published webhook keys and their status
  rotate-webhook-key [--switch-after-seconds N]   new webhook signing key, signing after N s (default 7 days)
  retire-webhook-key --key-id KEY_ID     retire the previous webhook key
  gdpr access|erase|restrict|unrestrict|object --pseudonym-key-file F --epoch N [...] [--bsn BSN] [--status S]
      The BSN is read from standard input when --bsn is not given (preferred: a flag can end up in
      shell history). It is pseudonymised here; only pseudonyms go to the server. Repeat
      --pseudonym-key-file/--epoch in pairs during a covenant key rotation. For an OPRF epoch
      instead: --oprf-epoch N --oprf-public-key K --pseudonym-service-url U (the admin key
      signs the evaluation; it must be on the pseudonym service's admission list).
      --without-bsn: a person without a BSN (docs/protocol.md §2.2), by --surname, --date-of-birth
      and --gender, or three lines of standard input; OPRF epochs only (every active one).
      object: --status pending [--received-on YYYY-MM-DD] [--late-excused] registers an objection
              (restricts at once); --status upheld (erasure) | rejected (restriction lifted) decides it
      access: prints one line per signal, parent link, match and view (--json: the whole answer);
      --lang nl|en prints the citizen's report (who received or viewed the signal) in Dutch or
      English instead
  people [--organisation-id ID]          the people of an organisation, or of the municipality
  add-person --display-name N --role R [--role R2] [--organisation-id ID] [--email E]
  remove-person --person-id ID           remove a person: sessions end, passkeys deleted at once
  invite --person-id ID                  a single-use enrolment code for the person's first passkey
                                         (shown once; a new one replaces the old; docs/protocol.md §10)
  devices --person-id ID                 the person's passkeys
  remove-device --person-id ID --device-id ID   remove a passkey; its sessions end at once
  test-clock [--advance-days N] [--advance-seconds N]   TEST ONLY (server started with --test-clock)

Exit codes: 0 ok, 1 refused by the server or check failed, 2 usage error, 3 server unreachable.
`;

export async function adminMain(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: joinOptionValues(argv, OPTIONS),
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    }));
  } catch (e) {
    // Never parseArgs' own text: it can repeat a typed value (a BSN, a key).
    io.stderr.write(`sluis-server admin: ${describeArgvError(e, OPTIONS)}\n${ADMIN_USAGE}`);
    return EXIT.usage;
  }
  const [command, sub] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.stdout.write(ADMIN_USAGE);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  try {
    // The server's own configuration (flag > environment > file > default), read by the
    // parser `start` uses (config.ts): the data directory and the address the server listens on.
    const config = loadConfig({
      flags: { config: values.config, 'data-dir': values['data-dir'] },
      env,
      cwd: io.cwd,
      warn: (line) => io.stderr.write(`${line}\n`),
    });
    const givenKeyFile = values['admin-key-file'] ?? env.SLUIS_ADMIN_KEY_FILE;
    const keyFile = resolve(io.cwd, givenKeyFile ?? `${config.dataDir}/${KEYS_DIR}/${ADMIN_KEY_FILE}`);
    const baseUrl = values.server ?? env.SLUIS_SERVER_URL ?? listeningUrl(config);
    if (!/^https?:\/\/[^\s]+$/.test(baseUrl)) throw usageError('--server must be an http(s) URL');
    // Parse the command's own arguments before touching keys, so usage errors come first.
    const plan = await planCommand(command, sub, values, io, resolve(io.cwd, config.dataDir, KEYS_DIR));
    const key = loadSigningKeyFile(
      keyFile,
      givenKeyFile === undefined ? adminKeyHint(sourceOf(config, 'dataDir')) : undefined,
    );
    try {
      const client = new AdminClient({
        baseUrl,
        key,
        ...(io.fetch === undefined ? {} : { fetch: io.fetch }),
      });
      return await plan(client, values.json === true ? pretty : undefined);
    } finally {
      // Zeroed on every way out, once the command has settled: no request of it still signs
      // (docs/keys.md §7).
      key.destroy();
    }
  } catch (e) {
    if (isServerError(e, 'admin_refused')) {
      const d = e.details;
      const fields = e.fields.length > 0 ? ` fields: ${e.fields.join(', ')}` : '';
      const corr = d.correlationId === undefined ? '' : ` (correlation id ${d.correlationId})`;
      // The pseudonym service's refusals (an OPRF epoch's GDPR request) say so, with their own hint.
      const by = d.source === undefined ? '' : ` by the ${d.source}`;
      io.stderr.write(`sluis-server admin: refused${by}: ${d.problemCode}${fields}${corr}\n`);
      const hint = d.hint ?? (d.problemCode === undefined ? undefined : PEOPLE_REFUSAL_HINTS[d.problemCode]);
      if (hint !== undefined) io.stderr.write(`${hint}\n`);
      return exitCodeOf(e);
    }
    // The command line's own codes have fixed messages (paths and option names only, errors.ts).
    if (isServerError(e) && isCliErrorCode(e.code)) {
      io.stderr.write(`sluis-server admin: ${e.message}\n`);
      return exitCodeOf(e);
    }
    io.stderr.write('sluis-server admin: unexpected error\n');
    return EXIT.unavailable;
  }
}

/**
 * Where to look when the admin key is not in the data directory: usually the command was not
 * given the server's (docs/operations.md "The admin CLI"); a workstation has its own copy.
 */
function adminKeyHint(dataDirSource: string): string {
  return `give the server's data directory: --data-dir, or the server's --config with dataDir${dataDirOrigin(dataDirSource)}; on a workstation, --admin-key-file with your copy of the key`;
}

/**
 * The URL of the server the configuration describes, seen from this host: a wildcard listen
 * address is reached on loopback. Port 0 (any free port) names no server.
 */
function listeningUrl(config: Pick<ServerConfig, 'host' | 'port'>): string {
  if (config.port === 0)
    throw usageError(
      'the configuration listens on port 0 (any free port): give --server or SLUIS_SERVER_URL',
    );
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

async function planCommand(
  command: string,
  sub: string | undefined,
  v: Values,
  io: CliIo,
  keysDir: string,
): Promise<Plan> {
  if (command === 'gdpr') return planGdprCommand(sub, v, io);
  if (command === 'test-clock') return planTestClockCommand(v, io);
  const plan =
    planOrganisationCommand(command, v, io) ??
    planOversightCommand(command, v, io) ??
    planPeopleCommand(command, v, io) ??
    planKeyCommand(command, sub, v, io, keysDir);
  if (plan === undefined) throw usageError(`unknown admin command: ${redact(command.slice(0, 40))}`);
  return plan;
}
