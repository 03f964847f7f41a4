// `sluis-pseudonym-service start` (docs/operations.md "Pseudonym service"): the settings from
// the flags, else the environment, else DEFAULTS (config.ts); starts the service and stops it
// cleanly on SIGTERM or SIGINT, which releases the data directory's lock (service-lock.ts).

import { nodeSupportWarning } from '@sluis/client-sdk/node';
import { DEFAULT_TRUSTED_PROXIES, isProxyEntry } from './abuse/auth-failure-limit.js';
import { int, usage } from './cli-args.js';
import { DEFAULTS, type ServiceConfig } from './config.js';
import { startPseudonymService } from './service.js';

/** The flags `start` reads (cli.ts parses them). */
export interface StartFlags {
  readonly host?: string | undefined;
  readonly port?: string | undefined;
  readonly 'budget-per-day'?: string | undefined;
  readonly 'alert-per-hour'?: string | undefined;
  readonly 'requests-per-minute'?: string | undefined;
  readonly 'credential-max-lifetime'?: string | undefined;
  readonly 'elements-per-credential'?: string | undefined;
  readonly 'person-alert-per-hour'?: string | undefined;
  readonly 'cors-origin'?: string[] | undefined;
  readonly 'trusted-proxy'?: string[] | undefined;
  readonly 'shutdown-timeout'?: string | undefined;
}

export function startConfig(
  dataDir: string,
  values: StartFlags,
  env: Readonly<Record<string, string | undefined>>,
): ServiceConfig {
  return {
    dataDir,
    host: values.host ?? env.SLUIS_PSEUDONYM_HOST ?? DEFAULTS.host,
    port: int(values.port ?? env.SLUIS_PSEUDONYM_PORT, 'port', 0, 65535) ?? DEFAULTS.port,
    evaluationBudgetPerDay:
      int(values['budget-per-day'] ?? env.SLUIS_PSEUDONYM_BUDGET_PER_DAY, 'budget-per-day', 0) ??
      DEFAULTS.evaluationBudgetPerDay,
    evaluationAlertPerHour:
      int(values['alert-per-hour'] ?? env.SLUIS_PSEUDONYM_ALERT_PER_HOUR, 'alert-per-hour', 0) ??
      DEFAULTS.evaluationAlertPerHour,
    requestsPerMinute:
      int(
        values['requests-per-minute'] ?? env.SLUIS_PSEUDONYM_REQUESTS_PER_MINUTE,
        'requests-per-minute',
        1,
      ) ?? DEFAULTS.requestsPerMinute,
    credentialMaxLifetimeSeconds:
      int(
        values['credential-max-lifetime'] ?? env.SLUIS_PSEUDONYM_CREDENTIAL_MAX_LIFETIME,
        'credential-max-lifetime',
        1,
        86_400,
      ) ?? DEFAULTS.credentialMaxLifetimeSeconds,
    elementsPerCredential:
      int(
        values['elements-per-credential'] ?? env.SLUIS_PSEUDONYM_ELEMENTS_PER_CREDENTIAL,
        'elements-per-credential',
        1,
      ) ?? DEFAULTS.elementsPerCredential,
    personAlertPerHour:
      int(
        values['person-alert-per-hour'] ?? env.SLUIS_PSEUDONYM_PERSON_ALERT_PER_HOUR,
        'person-alert-per-hour',
        0,
      ) ?? DEFAULTS.personAlertPerHour,
    corsOrigins: corsOrigins(values['cors-origin'] ?? env.SLUIS_PSEUDONYM_CORS_ORIGINS?.split(',') ?? []),
    shutdownTimeoutSeconds:
      int(values['shutdown-timeout'] ?? env.SLUIS_PSEUDONYM_SHUTDOWN_TIMEOUT, 'shutdown-timeout', 0, 600) ??
      DEFAULTS.shutdownTimeoutSeconds,
    trustedProxies: trustedProxies(
      values['trusted-proxy'] ?? env.SLUIS_PSEUDONYM_TRUSTED_PROXIES?.split(',') ?? DEFAULT_TRUSTED_PROXIES,
    ),
  };
}

/** Starts the service and runs until SIGTERM or SIGINT (then the process exits 0). */
export async function startCommand(
  dataDir: string,
  values: StartFlags,
  io: {
    readonly stdout: { write(s: string): unknown };
    readonly env: Readonly<Record<string, string | undefined>>;
  },
): Promise<number> {
  const service = await startPseudonymService(startConfig(dataDir, values, io.env));
  // The first SIGTERM or SIGINT stops the service and removes both handlers, so a second
  // signal of either kind (Ctrl-C after `systemctl stop`) ends the process at once, its lock
  // left behind (the match server's cli/io.ts does the same). Before `listening` is announced:
  // a supervisor may stop the service as soon as it reads it, and a SIGTERM without a handler
  // would end the process with its lock left behind.
  const onSignal = () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    void service.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // docs/operations.md "Logs": a warning only, never a refusal; before `listening`, so a reader
  // that waits for `listening` has seen it.
  const unsupported = nodeSupportWarning(process.version);
  if (unsupported !== undefined)
    io.stdout.write(`${JSON.stringify({ level: 'warn', event: 'node_unsupported', ...unsupported })}\n`);
  io.stdout.write(`${JSON.stringify({ level: 'info', event: 'listening', url: service.url })}\n`);
  return await new Promise<number>(() => {});
}

/** Exact origins only (scheme, host, optional port; no path, no wildcard). */
function corsOrigins(list: readonly string[]): string[] {
  for (const o of list)
    if (!/^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(o))
      throw usage('--cors-origin must be an origin such as https://portal.example.nl');
  return [...list];
}

/** Addresses or CIDR ranges only. */
function trustedProxies(list: readonly string[]): string[] {
  for (const p of list)
    if (!isProxyEntry(p))
      throw usage('--trusted-proxy must be an IP address or a CIDR range such as 10.0.0.0/8');
  return [...list];
}
