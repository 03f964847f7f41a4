// What every route handler is given (http/route.ts RouteServices): the engine, the clock,
// the cached /metrics gauges, the lazily built OpenAPI document, the /readyz answer (ops/readiness.ts) and the
// passkey ceremony and step-up limits. Built once per app by app.ts; the request pipeline's
// own limits (signature failures, the request rate) stay in app.ts.

import { API_VERSION } from './http/api-version.js';
import { buildOpenApi } from './http/openapi.js';
import { RateLimiter, takeBoth } from './http/rate-limit.js';
import type { AnyRoute, RouteServices } from './http/route.js';
import { ServerError } from './errors.js';
import { GaugeCache } from './ops/gauge-cache.js';
import { readinessCheck } from './ops/readiness.js';
import type { AppOptions } from './app-options.js';

const DEFAULT_SIGN_IN_LIMIT = { perSecond: 10 / 60, burst: 10 };

export function routeServices(options: AppOptions, routes: readonly AnyRoute[]): RouteServices {
  const { engine, config, clock, metrics } = options;
  const signInRate = config.signInRateLimit ?? DEFAULT_SIGN_IN_LIMIT;
  // Address and person budgets in limiters of their own (docs/protocol.md §10.5): a spray of
  // client addresses fills only the address limiter, never costs a person's spent budget.
  // They refill on the server's clock, the one the test clock moves.
  const signInLimiters = {
    address: new RateLimiter(signInRate, clock),
    person: new RateLimiter(signInRate, clock),
  };
  // Step-up challenges (docs/protocol.md §10.6): signInPerMinute per session, twice that per
  // person, so one session (a stolen one) never spends what the person's others have left.
  const stepUpSessions = new RateLimiter(signInRate, clock);
  const stepUpPeople = new RateLimiter(
    { perSecond: 2 * signInRate.perSecond, burst: 2 * signInRate.burst },
    clock,
  );
  let openapi: Record<string, unknown> | undefined;
  // A running server hands in its own cache, refreshed on its timer (server.ts); an app built
  // alone (tests) refreshes when a scrape finds the cache old.
  const gauges = options.gauges ?? new GaugeCache(engine, (config.metricsRefreshSeconds ?? 60) * 1000, clock);
  void gauges.refresh();
  return {
    engine,
    clock,
    metrics,
    logger: options.logger,
    gauges: () => gauges.current(),
    ...(options.serverKeys === undefined ? {} : { serverKeys: options.serverKeys }),
    ...(options.credentialIssuer === undefined ? {} : { credentialIssuer: options.credentialIssuer }),
    ...(options.gdprDeskServiceOrganisationId === undefined
      ? {}
      : { gdprDeskServiceOrganisationId: options.gdprDeskServiceOrganisationId }),
    wakeRekey: options.wakeRekey ?? (() => {}),
    signInLimit: (budget, key) => {
      const wait = signInLimiters[budget].take(key);
      if (wait > 0) throw new ServerError('rate_limited', { retryAfterSeconds: wait });
    },
    stepUpLimit: (sessionId, personId) => {
      // A refusal by either takes nothing from the other (docs/protocol.md §10.6).
      const wait = takeBoth(stepUpSessions, sessionId, stepUpPeople, personId);
      if (wait > 0) throw new ServerError('rate_limited', { retryAfterSeconds: wait });
    },
    openapi: () => {
      openapi ??= buildOpenApi(routes, {
        title: 'sluis match server',
        version: API_VERSION,
        ...(config.apiContact === undefined ? {} : { contact: config.apiContact }),
      });
      return openapi;
    },
    // docs/operations.md "Monitor": the reason of a not-ready answer goes to the log.
    ready: readinessCheck({
      engine,
      logger: options.logger,
      ...(options.isAccepting === undefined ? {} : { isAccepting: options.isAccepting }),
      ...(config.restoreMode === undefined ? {} : { restoreMode: config.restoreMode }),
      ...(options.serverKeys === undefined ? {} : { webhookKeys: options.serverKeys.logbook }),
    }),
  };
}
