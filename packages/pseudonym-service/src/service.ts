// Assembles and starts the pseudonym service: data directory, keys, admission list,
// replay memory, budget rebuilt from the logbook, the /metrics token, HTTP server. Returns a
// handle to stop it. Everything it opens goes on one closing list (closing.ts), walked the last
// first by a start that fails and by the stop. Invariants: no way out of the start or the stop
// leaves the bytes of an OPRF key in memory unzeroed, a file of the data directory open or its
// lock held; and the stop closes, zeroes and releases nothing while a request's handler still
// runs (docs/operations.md "Pseudonym service", Keys in memory and Stopping).

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoggableErrorCode } from '@sluis/engine/protocol';
import {
  AuthFailureLimiter,
  DEFAULT_AUTH_FAILURE_LIMIT,
  DEFAULT_TRUSTED_PROXIES,
  trustedProxyList,
} from './abuse/auth-failure-limit.js';
import { CredentialCaps } from './abuse/credential-caps.js';
import { EvaluationBudget } from './abuse/evaluation-budget.js';
import { KeyRateLimit } from './abuse/rate-limit.js';
import { AdmissionList } from './admission.js';
import { ServiceClosing } from './closing.js';
import { DEFAULTS, type ServiceConfig } from './config.js';
import { openDataDir } from './data-dir.js';
import { writeRepeatedRefusals } from './http/evaluate.js';
import { Metrics } from './http/metrics.js';
import { createHttpServer } from './http/server.js';
import { OprfKeyring } from './keyring.js';
import { Logbook, replayLogbook } from './logbook.js';
import { ensureMetricsToken } from './metrics-token.js';
import { NonceFile } from './nonce-file.js';
import { RequestAuthenticator } from './request-auth.js';
import { acquireServiceLock } from './service-lock.js';

export interface RunningService {
  readonly url: string;
  readonly server: Server;
  /** Stops the service (docs/operations.md "Pseudonym service", Stopping); never rejects. */
  close(): Promise<void>;
}

export async function startPseudonymService(
  config: ServiceConfig,
  clock: () => number = Date.now,
): Promise<RunningService> {
  const dataDir = openDataDir(config.dataDir);
  const closing = new ServiceClosing();
  try {
    return await startOpening(config, clock, dataDir, closing);
  } catch (e) {
    // A start that fails once it holds something (the lock, the keys, nonces.log, the logbook;
    // admission.json or metrics.token refused, the logbook unreadable, the port taken) closes
    // it again, the last first: the keys zeroed, the lock released.
    await closing.close();
    throw e;
  }
}

async function startOpening(
  config: ServiceConfig,
  clock: () => number,
  dataDir: string,
  closing: ServiceClosing,
): Promise<RunningService> {
  // One service per data directory, for its whole life (service-lock.ts).
  const lock = acquireServiceLock(dataDir);
  closing.opened('lock', () => lock.release());
  // A key file refused here zeroes the keys read before it (keyring.ts).
  const keyring = new OprfKeyring(dataDir);
  closing.opened('keys', () => keyring.destroy());
  const admission = new AdmissionList(dataDir);
  const auth = new RequestAuthenticator(admission, clock, {
    maxLifetimeSeconds: config.credentialMaxLifetimeSeconds ?? DEFAULTS.credentialMaxLifetimeSeconds,
  });
  const nonceFile = new NonceFile(dataDir, auth.nonces);
  closing.opened('nonces', () => nonceFile.close());
  nonceFile.load(clock());
  const metricsToken = ensureMetricsToken(dataDir);
  const budget = new EvaluationBudget(config.evaluationAlertPerHour);
  const personAlertPerHour = config.personAlertPerHour ?? DEFAULTS.personAlertPerHour;
  const credentialCaps = new CredentialCaps(
    config.elementsPerCredential ?? DEFAULTS.elementsPerCredential,
    personAlertPerHour,
  );
  replayLogbook(dataDir, budget, credentialCaps, clock());
  const logbook = new Logbook(dataDir, { rotate: true });
  closing.opened('logbook', () => logbook.close());
  const metrics = new Metrics();
  const deps = {
    auth,
    keyring,
    budget,
    credentialCaps,
    personAlertPerHour,
    corsOrigins: config.corsOrigins ?? [],
    rateLimit: new KeyRateLimit(config.requestsPerMinute),
    logbook,
    metrics,
    clock,
    defaultBudgetPerDay: config.evaluationBudgetPerDay,
    alertPerHour: config.evaluationAlertPerHour,
    persistNonces: () => nonceFile.persist(clock()),
    metricsToken,
    trustedProxies: trustedProxyList(config.trustedProxies ?? DEFAULT_TRUSTED_PROXIES),
    // On the service's clock, as every other limit here (the match server's app.ts does the same).
    failedAddresses: new AuthFailureLimiter(config.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT, clock),
    failedKeys: new AuthFailureLimiter(config.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT, clock),
  };
  const { server, drain } = createHttpServer(deps);
  // The counts of repeated rate_limited refusals, once their minute is over (http/evaluate.ts).
  const writeRepeated = (all: boolean) => {
    try {
      writeRepeatedRefusals(deps, all);
    } catch (e) {
      // A full disk must not end the process from a timer; that pass's counts are lost (the
      // refusals metric still has every one). The code alone (ENOSPC, EIO), and only one that
      // cannot be a value (docs/leakage.md §3.4), as internal_error's.
      const code = (e as { code?: unknown } | null | undefined)?.code;
      process.stderr.write(
        `${JSON.stringify({ level: 'error', event: 'logbook_write_failed', ...(isLoggableErrorCode(code) ? { code } : {}) })}\n`,
      );
    }
  };
  const repeated = setInterval(() => writeRepeated(false), 15_000);
  repeated.unref();
  // At the stop, once no request runs: every count still held, before the logbook is closed.
  closing.opened('refusal_counts', () => {
    clearInterval(repeated);
    writeRepeated(true);
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const shutdownTimeoutMs = (config.shutdownTimeoutSeconds ?? DEFAULTS.shutdownTimeoutSeconds) * 1000;
  // The keys zeroed as soon as no request runs, before the files' steps, which a hung disk can
  // hold (an fsync); the earlier `keys` step is then a no-op (OprfKeyring.destroy is idempotent).
  closing.opened('keys', () => keyring.destroy());
  // The stop's first step: no new connection, the requests in flight answered (or, past the
  // time limit, cut) and every handler ended before anything below is closed (http/drain.ts).
  closing.opened('listener', () => drain.stop(shutdownTimeoutMs));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    server,
    close: () => {
      stopping ??= closing.close();
      return stopping;
    },
  };
}
