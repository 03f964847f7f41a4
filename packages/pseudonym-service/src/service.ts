// Assembles and starts the pseudonym service: data directory, keys, admission list,
// replay memory, budget rebuilt from the logbook, the /metrics token, HTTP server. Returns a
// handle to stop it. Invariant: no way out of the start or the stop leaves the bytes of an OPRF
// key in memory unzeroed (docs/operations.md "Pseudonym service", Keys in memory).

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { DEFAULTS, type ServiceConfig } from './config.js';
import { openDataDir } from './data-dir.js';
import { Metrics } from './http/metrics.js';
import { createHttpServer } from './http/server.js';
import { OprfKeyring } from './keyring.js';
import { Logbook, replayLogbook } from './logbook.js';
import { writeRepeatedRefusals } from './http/evaluate.js';
import { ensureMetricsToken } from './metrics-token.js';
import { NonceFile } from './nonce-file.js';
import { RequestAuthenticator } from './request-auth.js';
import { type ServiceLock, acquireServiceLock } from './service-lock.js';

export interface RunningService {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

export async function startPseudonymService(
  config: ServiceConfig,
  clock: () => number = Date.now,
): Promise<RunningService> {
  const dataDir = openDataDir(config.dataDir);
  // One service per data directory, for its whole life (service-lock.ts).
  const lock = acquireServiceLock(dataDir);
  let keyring: OprfKeyring | undefined;
  try {
    // A key file refused here zeroes the keys read before it (keyring.ts).
    keyring = new OprfKeyring(dataDir);
    return await startLocked(config, clock, dataDir, lock, keyring);
  } catch (e) {
    // A start that fails once it holds the keys (admission.json, nonces.log, the logbook,
    // the port taken) zeroes them.
    keyring?.destroy();
    lock.release();
    throw e;
  }
}

async function startLocked(
  config: ServiceConfig,
  clock: () => number,
  dataDir: string,
  lock: ServiceLock,
  keyring: OprfKeyring,
): Promise<RunningService> {
  const admission = new AdmissionList(dataDir);
  const auth = new RequestAuthenticator(admission, clock, {
    maxLifetimeSeconds: config.credentialMaxLifetimeSeconds ?? DEFAULTS.credentialMaxLifetimeSeconds,
  });
  const nonceFile = new NonceFile(dataDir, auth.nonces);
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
  const server = createHttpServer(deps);
  // The counts of repeated rate_limited refusals, once their minute is over (http/evaluate.ts).
  const writeRepeated = (all: boolean) => {
    try {
      writeRepeatedRefusals(deps, all);
    } catch {
      // A full disk must not end the process from a timer; that pass's counts are lost (the
      // refusals metric still has every one).
      process.stderr.write(`${JSON.stringify({ level: 'error', event: 'logbook_write_failed' })}\n`);
    }
  };
  const repeated = setInterval(() => writeRepeated(false), 15_000);
  repeated.unref();
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (e) {
    clearInterval(repeated);
    logbook.close();
    await nonceFile.close();
    throw e;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          clearInterval(repeated);
          // Every connection is closed: nothing evaluates any more (a request still on its
          // way to the keyring is refused). First, so no later step's failure can skip it.
          keyring.destroy();
          writeRepeated(true);
          logbook.close();
          void nonceFile
            .close()
            .catch(() => undefined)
            .then(() => {
              lock.release();
              resolve();
            });
        });
        server.closeAllConnections();
      }),
  };
}
