// Runs the match server: bootstrap keys, open the engine on its store (open-engine.ts), serve the
// app, and run the webhook and retention workers. Invariant (docs/operations.md "Shutdown"): on
// shutdown it stops accepting, lets in-flight requests finish (bounded), stops the
// workers, and only then closes the engine and the database; a start that fails closes what
// it opened and zeroes its keys the same way (one list, server-closing.ts).

import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { nodeSupportWarning } from '@sluis/client-sdk/node';
import type { Engine } from '@sluis/engine';
import { createApp } from './app.js';
import { openEngine } from './open-engine.js';
import { loadConfiguredPortal } from './http/portal-static.js';
import { bootstrapKeys, type KeyMaterial, SERVER_SECRET_1 } from './cli/bootstrap.js';
import type { ServerConfig } from './cli/config.js';
import { type Clock, systemClock, TestClock } from './clock.js';
import { WebhookWorker } from './jobs/webhook-worker.js';
import { GaugeCache } from './ops/gauge-cache.js';
import { loadMailConfig, type MailConfig } from './mail/mail-config.js';
import type { MailWorker } from './mail/mail-worker.js';
import { RetentionJob } from './jobs/retention-job.js';
import { RekeyJob } from './jobs/rekey-job.js';
import { drainOnStop, HandlerCount } from './ops/drain.js';
import { assertSqliteBindingLoads } from './ops/store-selection.js';
import { databaseCa } from './ops/postgres-store.js';
import { ServerKeys } from './ops/server-keys.js';
import type { Logger } from './ops/logger.js';
import { BUILD_COMMIT, schemaVersion } from './ops/build-info.js';
import { Metrics } from './ops/metrics.js';
import { startTracing } from './ops/tracing.js';
import { ServerClosing } from './server-closing.js';
import { API_VERSION } from './http/api-version.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly engine: Engine;
  readonly keys: KeyMaterial;
  readonly testClock: TestClock | undefined;
  readonly webhooks: WebhookWorker;
  /** The match notice e-mail worker; absent without a mail configuration. */
  readonly mail: MailWorker | undefined;
  readonly retention: RetentionJob;
  readonly rekey: RekeyJob;
  readonly serverKeys: ServerKeys;
  /** The listening node:http server (tests: a request's state, e.g. request-aborted.test.ts). */
  readonly httpServer: ServerType;
  /** Graceful stop; idempotent. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly config: ServerConfig;
  readonly logger: Logger;
  readonly version?: string;
  /** Tests only: deliver webhooks through this fetch, not the guarded transport. */
  readonly fetch?: typeof fetch;
}

/** Registers the bootstrap admin key when the engine has no admin key at all (fresh or interrupted bootstrap). */
async function ensureAdminKey(engine: Engine, keys: KeyMaterial, logger: Logger): Promise<void> {
  if (keys.adminPublicKey === undefined) return;
  const admins = await engine.listKeys(null);
  if (admins.length > 0) return;
  await engine.addKey({ kind: 'system' }, null, Buffer.from(keys.adminPublicKey).toString('base64url'));
  logger.log('info', 'admin_key_registered', { keyId: keys.adminKeyId });
}

/**
 * Slow-client bounds (docs/operations.md). Node checks the headers and request timeouts
 * only every `connectionsCheckingInterval` (30 s by default), so the interval is tied to
 * the headers timeout: a client dribbling its headers is cut off on time.
 */
export function slowClientOptions(config: ServerConfig) {
  const headersTimeout = Math.round(config.headersTimeoutSeconds * 1000);
  return {
    headersTimeout,
    requestTimeout: Math.max(headersTimeout, Math.round(config.requestTimeoutSeconds * 1000)),
    keepAliveTimeout: Math.round(config.keepAliveTimeoutSeconds * 1000),
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(headersTimeout / 4))),
  };
}

/** Closes the listening socket and every connection on it, unless it is closed already. */
function closeListener(server: ServerType): Promise<void> | undefined {
  if (!server.listening) return undefined;
  return new Promise<void>((resolve, reject) => {
    server.close((e) => (e === undefined ? resolve() : reject(e)));
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, logger } = options;
  // docs/operations.md "Logs": a warning only, never a refusal (CI's first run uses Node.js 20).
  const unsupported = nodeSupportWarning(process.version);
  if (unsupported !== undefined) logger.log('warn', 'node_unsupported', unsupported);
  // Before keys/ and the data directory are made: a binding built for another Node.js is
  // refused with what to do, and the start after the fix is a first start again.
  if (config.databaseUrl === undefined) assertSqliteBindingLoads();
  // Likewise a database CA file that cannot be used (exit 2), read again where the store opens.
  else databaseCa(config);
  // Read before keys/ is loaded: a bad mail configuration stops the start (exit 2) with no key
  // in memory to zero.
  const mailConfig = config.mailConfig === undefined ? undefined : loadMailConfig(config.mailConfig);
  // Without a configured token, /metrics uses the one in keys/metrics.token (created once).
  const keys = bootstrapKeys(config.dataDir, {
    metricsToken: config.metricsToken === undefined,
    sharedStore: config.databaseUrl !== undefined,
  });
  // From here a start that fails on the way — the webhook key state, the engine's open, a webhook
  // key the logbook records missing, the portal files, a module that will not load, the port
  // taken, a step after the listen — closes what it had opened, the last first, and zeroes the
  // keys it holds, then fails with its own error (docs/operations.md "Shutdown"); the stop walks
  // the same list. Invariant: no way out of the start or the stop leaves the database open, the
  // port listening or a key — the server secrets included — unzeroed.
  const closing = new ServerClosing(logger);
  // The engine derives with the server secrets until the database is closed; the keys' steps
  // run after every other one.
  closing.keys(() => keys.serverSecrets.destroy());
  closing.keys(() => keys.credentialIssuerKey?.destroy());
  closing.keys(() => keys.webhookKey.destroy());
  try {
    return await openAndServe(options, keys, mailConfig, closing);
  } catch (e) {
    await closing.close();
    throw e;
  }
}

/**
 * The start once the keys are held: everything it opens is registered with `closing` as it
 * opens (the caller closes them all when this throws), and the server it returns stops
 * through the same list.
 */
async function openAndServe(
  options: StartOptions,
  keys: KeyMaterial,
  mailConfig: MailConfig | undefined,
  closing: ServerClosing,
): Promise<RunningServer> {
  const { config, logger } = options;
  let accepting = true;
  const testClock = config.testClock ? new TestClock() : undefined;
  const clock: Clock = testClock?.now ?? systemClock;
  if (testClock !== undefined)
    logger.log('warn', 'test_clock_enabled', { note: 'TEST ONLY - never in production' });
  if (config.allowLoopbackHttpWebhooks)
    logger.log('warn', 'loopback_http_webhooks_enabled', { note: 'TEST ONLY - never in production' });
  // Restore mode (docs/operations.md "Back up and restore"): no webhook or notice e-mail leaves,
  // and only local admin requests are served, until a start without it.
  if (config.restoreMode) logger.log('warn', 'restore_mode', {});

  // The outbox workers are woken by the engine after each commit that queued deliveries or
  // notices (they exist only once the engine is open, hence the late binding).
  let wakeWebhooks = () => {};
  // Publishes webhook-signing.pub.json (every live key, the signer at the top) before the
  // engine opens, whose migration can take a while: a missing, torn or stale file is put right
  // at once (docs/operations.md "Start, and the first start").
  const serverKeys = new ServerKeys(keys.keysDir, keys.webhookKey, clock, logger);
  closing.keys(() => serverKeys.destroy());
  // Tracing is off unless an OTLP endpoint is configured (ops/tracing.ts loads the SDK only then).
  // Tracing and the metrics' sampling are started before the engine opens, so that the
  // closing's walk (the last first) closes the database before them, as the stop always did.
  const tracing =
    config.otlpEndpoint === undefined
      ? undefined
      : await startTracing({
          endpoint: config.otlpEndpoint,
          sampleRatio: config.tracingSampleRatio,
          serviceVersion: options.version ?? API_VERSION,
        });
  if (tracing !== undefined) closing.opened('tracing', () => tracing.shutdown());
  const schema = String(await schemaVersion(config.databaseUrl === undefined ? 'sqlite' : 'postgres'));
  const metrics = new Metrics({
    placementAlertPerHour: config.placementAlertPerHour ?? 200,
    build: { version: options.version ?? API_VERSION, schema, commit: BUILD_COMMIT },
  });
  closing.opened('metrics', () => metrics.stop());
  const engine = await openEngine(config, keys, clock, {
    onOutbox: () => wakeWebhooks(),
    logger,
    start: { keysCreated: keys.created.includes(SERVER_SECRET_1), newDatabase: config.newDatabase, logger },
  });
  closing.opened('database', () => engine.close());
  await ensureAdminKey(engine, keys, logger);
  // keys/ must hold every webhook key change the logbook records (docs/keys.md §4.5):
  // a copy that missed one is refused, as a missing server-secret generation is. A
  // retirement the logbook records and the state file lacks is finished first.
  await serverKeys.finishRecordedRetirements(engine);
  await serverKeys.logbook.verifyAtStart(engine);

  // Tuning of the background re-keying (docs/keys.md §4.2): signals per batch, a pause
  // between batches, and how often an idle instance looks for a rotation another began;
  // the defaults suit production.
  const rekey = new RekeyJob({
    engine,
    logger,
    intervalMs: Number(process.env.SLUIS_REKEY_INTERVAL_MS ?? '') || 5000,
    batchSize: Number(process.env.SLUIS_REKEY_BATCH_SIZE ?? '') || 500,
    pauseMs: Number(process.env.SLUIS_REKEY_PAUSE_MS ?? '') || 0,
  });
  const webhooks = new WebhookWorker({
    engine,
    signingKey: async () => {
      // Never a key the logbook records retired, whatever this keys/ says (docs/keys.md §4.5).
      await serverKeys.logbook.compare(engine);
      const switched = serverKeys.takeSwitch();
      if (switched !== undefined) {
        logger.log('info', 'webhook_key_switched', { keyId: switched });
        engine.recordKeyEvent({ kind: 'system' }, 'webhook_key.signing', { keyId: switched }).catch(() => {});
      }
      return serverKeys.webhookSigningKey();
    },
    logger,
    metrics,
    intervalMs: config.webhookIntervalSeconds * 1000,
    timeoutMs: config.webhookTimeoutSeconds * 1000,
    allowLoopback: config.allowLoopbackHttpWebhooks,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  // The worker and nodemailer are loaded only with a mail configuration (docs/performance.md
  // "Case 4 on a crowded machine": a server without mail does not carry them).
  const mail =
    mailConfig === undefined
      ? undefined
      : new (await import('./mail/mail-worker.js')).MailWorker({
          engine,
          config: mailConfig,
          logger,
          metrics,
        });
  wakeWebhooks = () => {
    webhooks.wake();
    mail?.wake();
  };
  const retention = new RetentionJob({
    engine,
    logger,
    intervalMs: config.retentionIntervalSeconds * 1000,
  });

  const portal = config.restoreMode ? undefined : await loadConfiguredPortal(config.portalDir, logger);

  // The /metrics gauges, refreshed every metricsRefreshSeconds whether or not anyone scrapes,
  // so no scrape answers with counts older than that (docs/operations.md "Monitor").
  const gauges = new GaugeCache(engine, config.metricsRefreshSeconds * 1000, clock);
  const app = createApp({
    engine,
    logger,
    clock,
    metrics,
    gauges,
    isAccepting: () => accepting,
    serverKeys,
    ...(keys.credentialIssuerKey === undefined ? {} : { credentialIssuer: keys.credentialIssuerKey }),
    ...(config.gdprDeskServiceOrganisationId === undefined
      ? {}
      : { gdprDeskServiceOrganisationId: config.gdprDeskServiceOrganisationId }),
    wakeRekey: () => rekey.wake(),
    ...(tracing === undefined ? {} : { tracing }),
    config: {
      corsOrigins: config.corsOrigins,
      rateLimit: { perSecond: config.rateLimitPerSecond, burst: config.rateLimitBurst },
      authFailureLimit: { perMinute: config.authFailuresPerMinute, burst: config.authFailureBurst },
      signInRateLimit: { perSecond: config.signInPerMinute / 60, burst: config.signInPerMinute },
      trustedProxies: config.trustedProxies,
      ...(config.restoreMode ? { restoreMode: true } : {}),
      ...(testClock === undefined ? {} : { testClock }),
      ...(options.version === undefined ? {} : { version: options.version }),
      metricsToken: config.metricsToken ?? keys.metricsToken!,
      metricsRefreshSeconds: config.metricsRefreshSeconds,
      ...(portal === undefined
        ? {}
        : {
            portal: {
              files: portal,
              connectSources: config.portalConnectSources,
              ...(config.portalPseudonymService === undefined
                ? {}
                : { pseudonymService: config.portalPseudonymService }),
              ...(config.portalAccessibilityContact === undefined
                ? {}
                : { accessibilityContact: config.portalAccessibilityContact }),
            },
          }),
      apiContact: {
        ...(config.apiContactName === undefined ? {} : { name: config.apiContactName }),
        ...(config.apiContactUrl === undefined ? {} : { url: config.apiContactUrl }),
        ...(config.apiContactEmail === undefined ? {} : { email: config.apiContactEmail }),
      },
    },
  });

  // Every handler counted, so the stop closes nothing while one still runs (ops/drain.ts).
  const handlers = new HandlerCount();
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve(
      {
        fetch: (request, env) => handlers.run(() => app.fetch(request, env)),
        hostname: config.host,
        port: config.port,
        serverOptions: slowClientOptions(config),
      },
      () => resolve(s),
    );
    s.once('error', reject);
  });
  // A start that fails from here on (below, or a worker that will not start) must not leave
  // the port listening; the stop has closed it already by the time this step runs.
  closing.opened('listener', () => closeListener(server));
  const drain = drainOnStop(server);
  // Excess connections are closed at once, so idle or slow clients cannot exhaust sockets.
  (server as { maxConnections?: number }).maxConnections = config.maxConnections;
  // The headers timeout starts with a request's first byte; a connection that never sends
  // one is closed by the socket idle timeout instead (it would otherwise be held forever).
  (server as { setTimeout?: (ms: number) => unknown }).setTimeout?.(
    Math.round(config.idleTimeoutSeconds * 1000),
  );
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  // Each registered as it starts, in the order that makes the closing's walk (the last first)
  // the stop's: the webhook and mail workers, retention, re-keying, the gauges, the listener,
  // then the database, the metrics' sampling, tracing and the keys (docs/operations.md "Shutdown").
  closing.opened('gauges', gauges.start());
  rekey.start();
  closing.opened('rekey', () => rekey.stop());
  retention.start();
  closing.opened('retention', () => retention.stop());
  if (!config.restoreMode) {
    webhooks.start();
    mail?.start();
  }
  closing.opened('mail', () => mail?.stop());
  closing.opened('webhooks', () => webhooks.stop());
  logger.log('info', 'server_started', {
    url,
    database: config.databaseUrl === undefined ? 'sqlite' : 'postgres',
    // docs/operations.md "Upgrade": whether an upgrade changed the schema.
    version: options.version ?? API_VERSION,
    schema,
    commit: BUILD_COMMIT,
    restoreMode: config.restoreMode,
    tracing: tracing !== undefined,
    testClock: testClock !== undefined,
    // whether match notice e-mail is configured; never its server or address (docs/operations.md "Logs")
    mail: mail !== undefined,
  });

  let stopping: Promise<void> | undefined;
  const close = () => {
    stopping ??= (async () => {
      accepting = false;
      drain.start();
      logger.log('info', 'server_stopping');
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          resolve();
        }, config.shutdownTimeoutSeconds * 1000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      });
      // The handlers of the connections cut at the time limit still run on the database and
      // the keys: nothing below is closed or zeroed before they have ended.
      await handlers.idle();
      // Each step on its own: a worker or the database that fails to stop must not leave the
      // keys unzeroed or the later steps undone (docs/operations.md "Shutdown").
      await closing.close();
      logger.log('info', 'server_stopped');
    })();
    return stopping;
  };

  return {
    url,
    port: address.port,
    engine,
    keys,
    testClock,
    webhooks,
    mail,
    retention,
    rekey,
    serverKeys,
    httpServer: server,
    close,
  };
}
