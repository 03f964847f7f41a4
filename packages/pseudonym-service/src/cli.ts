// `sluis-pseudonym-service`: the operator's command line of the pseudonym service
// (docs/operations.md "Pseudonym service"). Invariants: a secret key is never printed
// (add-epoch prints the PUBLIC key for the ceremony record); errors print a code and a
// fixed sentence or the operator's own path, never a typed value; files are created
// under umask 077; an admission edit reads, changes and writes admission.json holding its
// lock (admission.ts), so edits of several processes cannot lose one another; a command's
// logbook line is on disk before its change takes effect (command-change.ts), so no change
// that took effect lacks its line.

import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { base64url } from '@sluis/client-sdk';
import { joinOptionValues } from '@sluis/client-sdk/node';
import { keyIdFromPublicKey } from '@sluis/engine/protocol';
import {
  type AdmissionFile,
  admittedKeyIds,
  checkName,
  checkOrganisationId,
  checkPublicKey,
  readAdmissionFile,
  withAdmissionLock,
} from './admission.js';
import { failUsage, int, usage } from './cli-args.js';
import { startCommand } from './cli-start.js';
import { DEFAULTS } from './config.js';
import {
  ChangeFailed,
  changeAdmission,
  createEpochKey,
  retireEpochKey,
  shownCode,
} from './command-change.js';
import { METRICS_TOKEN_FILE, openDataDir } from './data-dir.js';
import { isServiceError } from './errors.js';
import { OprfKeyring } from './keyring.js';
import { ensureMetricsToken } from './metrics-token.js';
import { DataDirLockedError } from './service-lock.js';

const OPTIONS = {
  'data-dir': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  epoch: { type: 'string' },
  name: { type: 'string' },
  'public-key': { type: 'string', multiple: true },
  budget: { type: 'string' },
  'budget-per-day': { type: 'string' },
  'alert-per-hour': { type: 'string' },
  'requests-per-minute': { type: 'string' },
  'organisation-id': { type: 'string' },
  'credential-max-lifetime': { type: 'string' },
  'elements-per-credential': { type: 'string' },
  'person-alert-per-hour': { type: 'string' },
  'cors-origin': { type: 'string', multiple: true },
  'trusted-proxy': { type: 'string', multiple: true },
  'shutdown-timeout': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const USAGE = `Usage: sluis-pseudonym-service <command> [options]

Commands:
  init                                   create the data directory (0700) and its metrics.token (0600)
  add-epoch --epoch N                    create the OPRF key of epoch N (0600); prints its PUBLIC key
  retire-epoch --epoch N                 overwrite and delete epoch N's key: it never evaluates again
  public-keys                            list the epochs and their public keys
  admit --name NAME [--public-key K [--public-key K2]] [--organisation-id ID] [--budget N]
                                         admit an organisation (or the municipality's GDPR desk) by its
                                         request-signing public key(s) and/or its organisation id at the
                                         match server (its people's credentials); N = elements per UTC day
  link --name NAME --organisation-id ID  set an admitted organisation's id at the match server
  suspend --name NAME | reinstate --name NAME | remove --name NAME
  admit-issuer --name NAME --public-key K
                                         accept credentials signed by a match server's credential-issuer
                                         key (its keys/credential-issuer.pub.json)
  remove-issuer --name NAME
  start [--host H] [--port P] [--budget-per-day N] [--alert-per-hour N] [--requests-per-minute N]
        [--credential-max-lifetime S] [--elements-per-credential N] [--person-alert-per-hour N]
        [--cors-origin https://portal.example.nl ...] [--trusted-proxy 10.0.0.5 ...] [--shutdown-timeout S]

Options and environment:
  --data-dir          SLUIS_PSEUDONYM_DATA_DIR (default ./pseudonym-data)
  --host, --port      SLUIS_PSEUDONYM_HOST (${DEFAULTS.host}), SLUIS_PSEUDONYM_PORT (${DEFAULTS.port})
  --budget-per-day    SLUIS_PSEUDONYM_BUDGET_PER_DAY (${DEFAULTS.evaluationBudgetPerDay})
  --alert-per-hour    SLUIS_PSEUDONYM_ALERT_PER_HOUR (${DEFAULTS.evaluationAlertPerHour})
  --requests-per-minute SLUIS_PSEUDONYM_REQUESTS_PER_MINUTE (${DEFAULTS.requestsPerMinute})
  --credential-max-lifetime SLUIS_PSEUDONYM_CREDENTIAL_MAX_LIFETIME (${DEFAULTS.credentialMaxLifetimeSeconds} s)
  --elements-per-credential SLUIS_PSEUDONYM_ELEMENTS_PER_CREDENTIAL (${DEFAULTS.elementsPerCredential})
  --person-alert-per-hour SLUIS_PSEUDONYM_PERSON_ALERT_PER_HOUR (${DEFAULTS.personAlertPerHour})
  --cors-origin       SLUIS_PSEUDONYM_CORS_ORIGINS (comma-separated; default none): the portal's origin
  --trusted-proxy     SLUIS_PSEUDONYM_TRUSTED_PROXIES (comma-separated; default 127.0.0.0/8,::1): reverse
                      proxies whose X-Forwarded-For names the client (the failed-authentication limit)
  --shutdown-timeout  SLUIS_PSEUDONYM_SHUTDOWN_TIMEOUT (${DEFAULTS.shutdownTimeoutSeconds} s, 0 to 600): how long a stop
                      waits for the requests in flight before it cuts their connections
  --json              machine-readable output

GET /metrics needs Authorization: Bearer <the content of <data-dir>/metrics.token>.

Run every command as the user who owns the data directory (the service's user): another user, root
too, is refused (file_foreign_owner) before anything is written. init run as root does not create
the data directory: make it for the service's user (install -d -o USER -m 0700 DIR) and init as it.

Exit codes: 0 ok, 2 usage or data directory error, 3 anything else (start: could not start: <error code>),
4 start: the data directory is in use by a running service (its <data-dir>/service.lock).
`;

export interface CliIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];
  let positionals: string[];
  try {
    // A value may begin with '-' (about 1 in 64 base64url public keys): join it to its flag.
    ({ values, positionals } = parseArgs({
      args: joinOptionValues(argv, OPTIONS),
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    }));
  } catch {
    // Never parseArgs' own text: it can repeat a typed value.
    io.stderr.write(`sluis-pseudonym-service: unknown option or missing value\n${USAGE}`);
    return 2;
  }
  const [command] = positionals;
  if (values.help || command === undefined) {
    io.stdout.write(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  const out = (text: string, json: unknown) =>
    io.stdout.write(values.json ? `${JSON.stringify(json)}\n` : text);
  try {
    const dataDir = resolve(
      io.cwd,
      values['data-dir'] ?? io.env.SLUIS_PSEUDONYM_DATA_DIR ?? './pseudonym-data',
    );
    if (command === 'init') {
      openDataDir(dataDir, true);
      ensureMetricsToken(dataDir);
      out(
        `data directory ready: ${dataDir}\n/metrics bearer token: ${join(dataDir, METRICS_TOKEN_FILE)} (0600)\n`,
        { dataDir, metricsTokenFile: join(dataDir, METRICS_TOKEN_FILE) },
      );
      return 0;
    }
    openDataDir(dataDir);
    const now = Date.now();
    switch (command) {
      case 'add-epoch': {
        const epoch = int(values.epoch, 'epoch', 1) ?? failUsage('--epoch is required');
        const publicKey = base64url.encode(createEpochKey(dataDir, epoch, now));
        out(`epoch ${epoch} public key: ${publicKey}\n`, { epoch, publicKey });
        return 0;
      }
      case 'retire-epoch': {
        const epoch = int(values.epoch, 'epoch', 1) ?? failUsage('--epoch is required');
        retireEpochKey(dataDir, epoch, now);
        out(`epoch ${epoch} retired: its key is destroyed\n`, { epoch, retired: true });
        return 0;
      }
      case 'public-keys': {
        // Every secret key is read to derive its public key: zeroed when done, refused or not.
        const keyring = new OprfKeyring(dataDir);
        try {
          const keys = keyring
            .publicKeys()
            .map((k) => ({ epoch: k.epoch, publicKey: base64url.encode(k.publicKey) }));
          out(keys.map((k) => `epoch ${k.epoch}  ${k.publicKey}\n`).join(''), { keys });
          return 0;
        } finally {
          keyring.destroy();
        }
      }
      case 'admit': {
        return withAdmissionLock(dataDir, () => {
          const name = checkName(values.name ?? failUsage('--name is required'));
          const publicKeys = (values['public-key'] ?? []).map(checkPublicKey);
          const organisationId =
            values['organisation-id'] === undefined
              ? undefined
              : checkOrganisationId(values['organisation-id']);
          if (publicKeys.length > 2 || (publicKeys.length === 0 && organisationId === undefined))
            failUsage('give one or two --public-key, or --organisation-id, or both');
          const budget = int(values.budget, 'budget', 0);
          const file = readAdmissionFile(dataDir);
          if (file.organisations.some((o) => o.name === name))
            failUsage('an organisation of that name is admitted already');
          if (
            organisationId !== undefined &&
            file.organisations.some((o) => o.organisationId === organisationId)
          )
            failUsage('an organisation with that --organisation-id is admitted already');
          refuseAdmitted(file, publicKeys);
          const admitted = {
            ...file,
            organisations: [
              ...file.organisations,
              {
                name,
                status: 'active' as const,
                publicKeys,
                ...(organisationId === undefined ? {} : { organisationId }),
                ...(budget === undefined ? {} : { evaluationBudgetPerDay: budget }),
              },
            ],
          };
          changeAdmission(dataDir, now, admitted, { event: 'organisation.admitted', organisation: name });
          out(`admitted: ${name}\n`, { name, admitted: true });
          return 0;
        });
      }
      case 'suspend':
      case 'reinstate':
      case 'remove': {
        return withAdmissionLock(dataDir, () => {
          const name = checkName(values.name ?? failUsage('--name is required'));
          const file = readAdmissionFile(dataDir);
          if (!file.organisations.some((o) => o.name === name))
            failUsage('no organisation of that name is admitted');
          const organisations =
            command === 'remove'
              ? file.organisations.filter((o) => o.name !== name)
              : file.organisations.map((o) =>
                  o.name === name
                    ? { ...o, status: command === 'suspend' ? ('suspended' as const) : ('active' as const) }
                    : o,
                );
          const event =
            command === 'remove'
              ? 'organisation.removed'
              : command === 'suspend'
                ? 'organisation.suspended'
                : 'organisation.reinstated';
          changeAdmission(dataDir, now, { ...file, organisations }, { event, organisation: name });
          out(`${command}: ${name}\n`, { name, [command]: true });
          return 0;
        });
      }
      case 'link': {
        return withAdmissionLock(dataDir, () => {
          const name = checkName(values.name ?? failUsage('--name is required'));
          const organisationId = checkOrganisationId(
            values['organisation-id'] ?? failUsage('--organisation-id is required'),
          );
          const file = readAdmissionFile(dataDir);
          if (!file.organisations.some((o) => o.name === name))
            failUsage('no organisation of that name is admitted');
          if (file.organisations.some((o) => o.organisationId === organisationId && o.name !== name))
            failUsage('another organisation has that --organisation-id');
          const linked = {
            ...file,
            organisations: file.organisations.map((o) => (o.name === name ? { ...o, organisationId } : o)),
          };
          changeAdmission(dataDir, now, linked, { event: 'organisation.linked', organisation: name });
          out(`linked: ${name}\n`, { name, linked: true });
          return 0;
        });
      }
      case 'admit-issuer':
      case 'remove-issuer': {
        return withAdmissionLock(dataDir, () => {
          const name = checkName(values.name ?? failUsage('--name is required'));
          const file = readAdmissionFile(dataDir);
          const issuers = file.credentialIssuers ?? [];
          const known = issuers.some((i) => i.name === name);
          let credentialIssuers: AdmissionFile['credentialIssuers'];
          if (command === 'admit-issuer') {
            const publicKey = checkPublicKey(
              values['public-key']?.[0] ?? failUsage('--public-key is required'),
            );
            if (known) failUsage('an issuer of that name is admitted already');
            refuseAdmitted(file, [publicKey]);
            credentialIssuers = [...issuers, { name, publicKey }];
          } else {
            if (!known) failUsage('no issuer of that name is admitted');
            credentialIssuers = issuers.filter((i) => i.name !== name);
          }
          const event = command === 'admit-issuer' ? 'issuer.admitted' : 'issuer.removed';
          changeAdmission(dataDir, now, { ...file, credentialIssuers }, { event, issuer: name });
          out(`${command}: ${name}\n`, { name, [command]: true });
          return 0;
        });
      }
      case 'start':
        return await startCommand(dataDir, values, io);
      default:
        throw usage('unknown command (see --help)');
    }
  } catch (e) {
    if (e instanceof ChangeFailed) {
      io.stderr.write(`sluis-pseudonym-service: ${command} failed: ${e.message}\n`);
      return 3;
    }
    if (e instanceof DataDirLockedError) {
      io.stderr.write(`sluis-pseudonym-service: could not start: ${e.message}\n`);
      return 4;
    }
    if (isServiceError(e)) {
      io.stderr.write(`sluis-pseudonym-service: ${e.message}\n`);
      // Every code the commands raise is the operator's input or data directory.
      return 2;
    }
    // The system's error code (EADDRINUSE, EACCES, ENOSPC, …), never the error's message.
    io.stderr.write(
      `sluis-pseudonym-service: ${command === 'start' ? 'could not start' : `${command} failed`}: ${shownCode(e)}\n`,
    );
    return 3;
  }
}

/**
 * Refuses a key whose key id is admitted already under any organisation or issuer, or given
 * twice: one key, one holder (admission.ts). Names the holder and the key id, never the key.
 */
function refuseAdmitted(file: AdmissionFile, publicKeys: readonly string[]): void {
  const holders = new Map(admittedKeyIds(file).map((e) => [e.keyId, e.holder]));
  const given = new Set<string>();
  for (const k of publicKeys) {
    const keyId = keyIdFromPublicKey(base64url.decode(k)!);
    const holder = holders.get(keyId);
    if (holder !== undefined)
      failUsage(`the key with key id ${keyId} is admitted already (${holder}); a key has one holder`);
    if (given.has(keyId)) failUsage(`the key with key id ${keyId} is given twice`);
    given.add(keyId);
  }
}

/** The bin's entry: runs the command line on this process. */
export async function run(): Promise<void> {
  process.umask(0o077);
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
}
