// The flags the `sluis` CLI accepts and its help text. One option table for every
// command keeps parseArgs strict: an unknown flag is refused before anything is sent
// (argv.ts describes the refusal without echoing the value).

import { parseArgs } from 'node:util';
import { INFORMED_STATUSES } from '../client/types.js';
import { joinOptionValues } from './argv.js';

export const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  config: { type: 'string' },
  'server-url': { type: 'string' },
  'signing-key-file': { type: 'string' },
  'pseudonym-key-file': { type: 'string', multiple: true },
  'pseudonym-key-epoch': { type: 'string', multiple: true },
  'oprf-epoch': { type: 'string', multiple: true },
  'oprf-public-key': { type: 'string', multiple: true },
  'pseudonym-service-url': { type: 'string' },
  'server-public-key': { type: 'string', multiple: true },
  'timeout-ms': { type: 'string' },
  retries: { type: 'string' },
  'warn-insecure-key-file': { type: 'boolean' },
  'on-behalf-of': { type: 'string' },
  // keygen, covenant-key
  out: { type: 'string' },
  'key-file': { type: 'string' },
  // signal
  bsn: { type: 'string' },
  'without-bsn': { type: 'boolean' },
  surname: { type: 'string' },
  gender: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  phone: { type: 'string' },
  email: { type: 'string' },
  informed: { type: 'string' },
  'informed-date': { type: 'string' },
  'date-of-birth': { type: 'string' },
  'end-date': { type: 'string' },
  'parent-bsn': { type: 'string', multiple: true },
  'parent-without-bsn': { type: 'string', multiple: true },
  'request-id': { type: 'string' },
  'legal-basis': { type: 'string' },
  'attestation-date': { type: 'string' },
  // withdraw, signals
  reason: { type: 'string' },
  status: { type: 'string' },
  // matches
  cursor: { type: 'string' },
  'cursor-file': { type: 'string' },
  limit: { type: 'string' },
  watch: { type: 'boolean' },
  interval: { type: 'string' },
  // followup
  action: { type: 'string' },
  for: { type: 'string' },
  // consent, agreements, report
  date: { type: 'string' },
  scope: { type: 'string', multiple: true },
  'form-reference': { type: 'string' },
  owner: { type: 'string' },
  'action-kind': { type: 'string' },
  category: { type: 'string' },
  purpose: { type: 'string' },
  due: { type: 'string' },
  lang: { type: 'string' },
  // import, migrate
  'batch-size': { type: 'string' },
  restart: { type: 'boolean' },
  results: { type: 'string' },
  epoch: { type: 'string', multiple: true },
} as const;

/**
 * `argv` parsed as `main` parses it: strictly, against OPTIONS, the command its first positional.
 * Throws on what it refuses (argv.ts describes it).
 */
export function parseCliArgs(argv: readonly string[]) {
  return parseArgs({
    args: joinOptionValues(argv, OPTIONS),
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
}

export type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

/** The accepted informed statuses in words ("a, b, c or d"), from the SDK's one list. */
export const INFORMED_VALUES = `${INFORMED_STATUSES.slice(0, -1).join(', ')} or ${INFORMED_STATUSES.at(-1)}`;

/** The values of `--informed` and what each records, for the help and the refusal of another value. */
export const INFORMED_HELP = `${INFORMED_VALUES} (who was told of the signal: the citizen, a legal representative, both, or nobody yet — not_yet takes no --informed-date)`;

export const USAGE = `Usage: sluis <command> [options]

Commands:
  keygen --out <file>                 new Ed25519 signing key (file 0600); prints public key and key id
  covenant-key generate --out <file>  new covenant pseudonym key (32 random bytes, hex, file 0600); never printed
  covenant-key check --key-file <file> --epoch <n>
                                      the key's check value (pseudonym of test BSN 999900006), to compare keys
  whoami                              check credentials, budget, key epochs and the pseudonym service
                                      in use (exit 6 when a local epoch is retired or unknown at the server)
  signal [--bsn <bsn>] --name --role --phone|--email (one of them or both) --informed <${INFORMED_STATUSES.join('|')}>
         [--informed-date YYYY-MM-DD] [--date-of-birth YYYY-MM-DD] [--end-date YYYY-MM-DD]
         [--parent-bsn -|<bsn>]… [--request-id <uuid>]
         [--legal-basis jeugdwet|consent|no_objection --attestation-date YYYY-MM-DD [--form-reference r]]
                                      --informed: ${INFORMED_HELP.replace(' (', '\n                                        (')}
                                      place a signal (prompts for the BSN when --bsn is absent,
                                      and for each parent given as --parent-bsn -; not echoed).
                                      From 23 (by --date-of-birth, never sent) the basis is consent
                                      or no_objection with its attestation; prints archive notices
  archive-notices <signalId>          the one-time notices from the historic archive a signal received
  signal --without-bsn [--surname <name>] [--date-of-birth YYYY-MM-DD] [--gender M|V|O] --name …
                                      a person without BSN (docs/protocol.md §2.2): surname, date of
                                      birth and gender, prompted when absent; OPRF epochs only
  signal … --parent-without-bsn -     a parent without BSN (docs/protocol.md §2.2): prompts for the
                                      parent's surname, date of birth and gender; after the
                                      --parent-bsn parents; OPRF epochs only
  withdraw <signalId> --reason <ended|error>
  signals [--status active|inactive]  list own signals (with legal basis; UNDER OBJECTION when so)
  matches [--cursor c | --cursor-file f] [--limit n] [--watch [--interval s]]
                                      the match inbox as a table
  followup contact-made <matchId>
  followup outcome <matchId> <contact_made|already_in_contact|no_contact_needed|client_refused>
                                      record the follow-up: contact made, or why none is needed
  followup regie <matchId> --action <propose|accept|decline|handover> [--for me|counterpart]
  consent record <signalId> --date YYYY-MM-DD --scope <team_meeting|share_with_matched>… [--form-reference r]
  consent show <signalId> | consent withdraw <signalId>
  agreements list <matchId> | agreements vocabulary
  agreements add <matchId> --owner <me|counterpart> --action-kind k --category c --purpose p --due YYYY-MM-DD
  agreements status <matchId> <agreementId> --status <open|done|cancelled>
                                      process agreements: codes only, no free text
  report <matchId> [--lang nl|en]     plain-language report of one match for the citizen
  import <file.csv> [--batch-size n] [--restart] [--results file]
                                      bulk placement; resumable; writes <file>.results.csv.
                                      Column informed_status: ${INFORMED_VALUES}
                                      (informed_date YYYY-MM-DD with all but not_yet)
  migrate <file.csv> [--epoch n]… [--batch-size n] [--restart] [--results file]
                                      key rotation: add the new epoch's pseudonyms to own signals
  people [list]                       the organisation's people (organisation_coordinator)
  people add --name N --role professional[,organisation_coordinator] [--email E]
  people remove <personId>            remove a person: sessions end, passkeys deleted at once
  people invite <personId>            a single-use enrolment code for a passkey (shown once)
  people devices <personId> | people remove-device <personId> <deviceId>

Configuration (flags > environment > config file):
  --server-url            SLUIS_SERVER_URL
  --signing-key-file      SLUIS_SIGNING_KEY_FILE
  --pseudonym-key-file    SLUIS_PSEUDONYM_KEY_FILE (and SLUIS_PSEUDONYM_KEY_FILE_2 during rotation)
  --pseudonym-key-epoch   SLUIS_PSEUDONYM_KEY_EPOCH (and SLUIS_PSEUDONYM_KEY_EPOCH_2)
  --oprf-epoch            SLUIS_OPRF_EPOCH (and SLUIS_OPRF_EPOCH_2): an OPRF epoch instead of a key file
  --oprf-public-key       SLUIS_OPRF_PUBLIC_KEY (and _2): its pinned public key (base64url)
  --pseudonym-service-url SLUIS_PSEUDONYM_SERVICE_URL: where OPRF epochs are evaluated
  --server-public-key     SLUIS_SERVER_PUBLIC_KEYS (comma-separated)
  --timeout-ms, --retries SLUIS_TIMEOUT_MS, SLUIS_RETRIES
  --config <file.json>    SLUIS_CONFIG
  --warn-insecure-key-file  only warn (instead of refusing) when a key file is group/other-readable
  --json                  machine-readable output on stdout
  --on-behalf-of <id>     SLUIS_ON_BEHALF_OF: sign as the organisation on behalf of this person
                          (docs/protocol.md §5.6); the logbook names them and their role

Exit codes: 0 ok, 1 refused by the server, 2 usage/config/input, 3 network or server unavailable,
  4 some rows of an import/migration failed, 5 unexpected answer, 6 a configured key epoch is
  retired or unknown at the server (configure the current one), 130 stopped by Ctrl-C (SIGINT),
  143 stopped by SIGTERM. On the first SIGINT or SIGTERM, import and migrate stop after the batch
  in flight (130 or 143; run the same command again to resume) and matches --watch after the poll
  in flight (0); a second signal quits at once.
`;
