// Builds the Hono app from the route table. The request pipeline is fixed for every
// route: HEAD refused (405) → content type, and an unsigned request refused
// (http/before-budget.ts) → a passkey ceremony's limit per route and client address
// (docs/protocol.md §10.5) → failed-authentication limit per client address → bounded raw
// body → signature check on the raw path, raw query and raw bytes (docs/protocol.md §5.4:
// the per-key failure limit before the verification, the request rate limit after it and
// before the nonce) → access check (http/access.ts) → strict validation → handler.
// Refusals become RFC 9457 problems and unexpected errors 500 `internal` with the details
// in the log only (http/exchange.ts, with the raw target, query and validation helpers).
// One log line per request, with the route template — never the raw path, a body or a
// value. What the app is given and the route table are in app-options.ts; what every handler
// is given (limits, gauges, readiness) in app-services.ts.

import { randomUUID } from 'node:crypto';
import { isEngineError, type Principal } from '@sluis/engine';
import {
  AuthFailureLimiter,
  bearerCheck,
  clientAddress,
  DEFAULT_AUTH_FAILURE_LIMIT,
  trustedProxyList,
} from '@sluis/engine/protocol';
import { Hono } from 'hono';
import { authorise } from './http/access.js';
import { API_VERSION, API_VERSION_HEADER } from './http/api-version.js';
import { httpDate } from './http/http-date.js';
import { statusOf } from './http/problem.js';
import { ServerError } from './errors.js';
import {
  type Env,
  parseQuery,
  problemResponse,
  rawTarget,
  type RequestLog,
  refusalResponder,
  validate,
} from './http/exchange.js';
import { RateLimiter } from './http/rate-limit.js';
import { proxyRequestId, REQUEST_ID_HEADER } from './http/request-id.js';
import { DEFAULT_BODY_LIMIT, parseJson, readBody } from './http/raw-body.js';
import { refuseBeforeBudget } from './http/before-budget.js';
import { PREFERENCE_APPLIED_HEADER, RETURN_MINIMAL, returnPreference } from './http/prefer.js';
import { honoPath, type Reply } from './http/route.js';
import { answerResponse, type HeaderSink, isAnswered } from './http/answer.js';
import { StaticRoutesRouter } from './http/static-routes-router.js';
import {
  PORTAL_CONFIG_PATH,
  PORTAL_PREFIX,
  portalConfig,
  PORTAL_ROUTE,
  portalHeaders,
  portalResponse,
} from './http/portal-static.js';
import {
  allowedOrigin,
  CORS_ALLOW_HEADERS,
  CORS_EXPOSE_HEADERS,
  SECURITY_HEADERS,
  SESSION_EXPIRES_IN_HEADER,
} from './http/security-headers.js';
import { PlacementAlertLog } from './ops/alert-log.js';
import { recordRequest } from './ops/request-record.js';
import { type AppOptions, routeTable } from './app-options.js';
import { routeServices } from './app-services.js';
import { isLocalRequest } from './http/local-request.js';

export { type AppConfig, type AppOptions, routeTable } from './app-options.js';
export { bearerCheck } from '@sluis/engine/protocol';

/** 429 while a failure bucket is empty; the request was not verified. */
function refuseWhileFailing(wait: number): void {
  if (wait > 0) throw new ServerError('rate_limited', { retryAfterSeconds: wait });
}

/**
 * A route that honours `Prefer` answers `Vary: Prefer` whether or not the request sent one
 * (RFC 7240 §2), and names the preference it applied (§3).
 */
function withPreference(reply: Reply, applied: boolean): Reply {
  return {
    ...reply,
    headers: {
      ...reply.headers,
      Vary: 'Prefer',
      ...(applied ? { [PREFERENCE_APPLIED_HEADER]: RETURN_MINIMAL } : {}),
    },
  };
}

export function createApp(options: AppOptions): Hono<Env> {
  const { engine, config, logger, clock } = options;
  const routes = routeTable(config);
  // Every limiter refills on the server's clock, the one the test clock moves (app-services.ts too).
  const limiter = new RateLimiter(config.rateLimit, clock);
  const failureLimit = config.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT;
  const failedAddresses = new AuthFailureLimiter(failureLimit, clock);
  const failedKeys = new AuthFailureLimiter(failureLimit, clock);
  const trustedProxies = trustedProxyList(config.trustedProxies ?? []);
  const metricsTokenMatches = bearerCheck(config.metricsToken);
  const services = routeServices(options, routes);

  // The one document any origin may read (route.ts `crossOrigin`); everything else keeps
  // Cross-Origin-Resource-Policy: same-origin and the CORS allow-list.
  const placementAlerts = new PlacementAlertLog(engine, logger);
  const crossOriginPaths = new Set(routes.filter((r) => r.crossOrigin).map((r) => r.path));

  const portalPolicy = portalHeaders([
    ...(config.portal?.connectSources ?? []),
    ...(config.portal?.pseudonymService === undefined
      ? []
      : [new URL(config.portal.pseudonymService).origin]),
  ]);
  // The headers of every answer (docs/api.md "Conventions"); a route's reply gets them as it is
  // built (http/answer.ts), any other answer after its handler, in the middleware below.
  const finish = (
    headers: HeaderSink,
    route: string,
    correlationId: string,
    origin: string | undefined,
    status: number,
    sessionIdleExpiresAt: number | undefined,
  ): void => {
    const cacheControl = headers.get('Cache-Control');
    for (const [k, v] of SECURITY_HEADERS) headers.set(k, v);
    if (route === PORTAL_ROUTE) {
      for (const [k, v] of portalPolicy) headers.set(k, v);
      if (status === 200 && cacheControl !== null) headers.set('Cache-Control', cacheControl);
    }
    headers.set('X-Correlation-Id', correlationId);
    headers.set(API_VERSION_HEADER, API_VERSION);
    headers.set('Date', httpDate(clock()));
    if (sessionIdleExpiresAt !== undefined) {
      const seconds = Math.max(0, Math.floor((sessionIdleExpiresAt - clock()) / 1000));
      headers.set(SESSION_EXPIRES_IN_HEADER, String(seconds));
    }
    if (origin !== undefined) {
      headers.set('Access-Control-Allow-Origin', origin);
      headers.set('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
      headers.append('Vary', 'Origin');
    } else if (crossOriginPaths.has(route)) {
      headers.set('Access-Control-Allow-Origin', '*');
      headers.set('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
    }
    if (crossOriginPaths.has(route)) headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
  };

  const app = new Hono<Env>({ router: new StaticRoutesRouter() });

  // First, so that the span covers the whole request (ops/tracing.ts).
  if (options.tracing !== undefined) app.use('*', options.tracing.middleware);

  app.use('*', async (c, next) => {
    const started = performance.now();
    const log: RequestLog = { correlationId: randomUUID(), route: 'unmatched' };
    const requestId = proxyRequestId(
      c.env?.incoming?.socket?.remoteAddress,
      c.req.header(REQUEST_ID_HEADER),
      trustedProxies,
    );
    if (requestId !== undefined) log.requestId = requestId;
    c.set('log', log);
    const origin = allowedOrigin(c.req.header('origin'), config.corsOrigins);
    c.set('origin', origin);
    if (origin !== undefined && c.req.method === 'OPTIONS') {
      log.route = 'cors-preflight';
      c.res = new Response(null, {
        status: 204,
        headers: {
          'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE',
          'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
          'Access-Control-Max-Age': '600',
        },
      });
    } else {
      await next();
    }
    if (!isAnswered(c.res))
      finish(
        c.res.headers,
        log.route,
        log.correlationId,
        origin,
        c.res.status,
        c.get('sessionIdleExpiresAt'),
      );
    recordRequest(options, log, c.req.method, c.res.status, performance.now() - started);
    // A placement may have raised the engine's rate alert: log it for SIEMs (ops/alert-log.ts).
    if (c.req.method === 'POST') placementAlerts.check();
  });

  // The portal's static files (docs/portal.md "Deploy"); outside the route table: no
  // signature, no JSON, and never under the versioned API base path.
  const portal = config.portal;
  if (portal !== undefined) {
    app.get(PORTAL_PREFIX, (c) => {
      c.get('log').route = PORTAL_ROUTE;
      return new Response(null, { status: 308, headers: { Location: `${PORTAL_PREFIX}/` } });
    });
    app.get(`${PORTAL_PREFIX}/*`, (c) => {
      c.get('log').route = PORTAL_ROUTE;
      const { path } = rawTarget(c);
      if (path === PORTAL_CONFIG_PATH) return portalConfig(engine, portal);
      const res = path === c.req.path ? portalResponse(portal.files, path) : undefined;
      return res ?? problemResponse(c, 'not_found', []);
    });
  }

  const methodsByPath = new Map<string, string[]>();
  for (const r of routes) methodsByPath.set(r.path, [...(methodsByPath.get(r.path) ?? []), r.method]);

  for (const route of routes) {
    const allow = methodsByPath.get(route.path)!.join(', ');
    app.on(route.method, honoPath(route.path), async (c) => {
      const log = c.get('log');
      log.route = route.path;
      const method = c.req.method;
      // Hono hands HEAD to the GET handler; a GET may write (a match read is logged), so
      // HEAD is refused before anything runs (docs/api.md "Conventions").
      if (method === 'HEAD') return problemResponse(c, 'method_not_allowed', [], { Allow: allow });
      // Restore mode: nothing a restored database brought back is served until the operator
      // has re-applied the erasures — only admin requests made on this host, not through a
      // proxy (docs/operations.md "Back up and restore"), and the operations routes.
      if (config.restoreMode === true && route.tag !== 'operations') {
        const local = isLocalRequest(c.env?.incoming?.socket?.remoteAddress, c.req.raw.headers);
        if (route.role !== 'admin' || !local) throw new ServerError('unavailable');
      }
      const { path, query: rawQuery } = rawTarget(c);
      // Routing and the signature must see the same path: anything the URL layer
      // rewrote (percent-encoding, dot segments) is refused rather than reinterpreted.
      if (path !== c.req.path) throw new ServerError('not_found');

      let principal: ReturnType<typeof authorise> | undefined;
      let bytes: Uint8Array = new Uint8Array(0);
      const address = clientAddress(
        c.env?.incoming?.socket?.remoteAddress,
        c.req.header('x-forwarded-for'),
        trustedProxies,
      );
      // The content type and an unsigned request are refused before any budget is spent
      // (http/before-budget.ts, docs/protocol.md §5.4 and §10.5).
      refuseBeforeBudget(route, method, (name) => c.req.header(name));
      if (route.signInLimited === true) {
        // Then, before the body is read, one budget per ceremony route and address
        // (docs/protocol.md §10.5); callers with no known address share one.
        services.signInLimit('address', `${route.operationId} ${address ?? 'unknown'}`);
      }
      if (route.role === 'public' && route.body !== undefined) {
        bytes = await readBody(c.req.raw, route.bodyLimit ?? DEFAULT_BODY_LIMIT, c.env?.incoming);
      }
      if (route.role !== 'public') {
        // Failed authentications are limited before they cost a verification, per client
        // address here and per key id inside authenticate; the request rate limit is taken
        // after the signature verified and before the nonce is used (docs/protocol.md §5.4).
        const addressKey = address === undefined ? undefined : `address ${address}`;
        if (addressKey !== undefined) refuseWhileFailing(failedAddresses.wait(addressKey));
        bytes = await readBody(c.req.raw, route.bodyLimit ?? DEFAULT_BODY_LIMIT, c.env?.incoming);
        let knownKey: string | undefined;
        let authenticated: Principal;
        try {
          authenticated = await engine.authenticate(
            {
              method,
              path,
              query: rawQuery,
              body: bytes,
              signatureInput: c.req.header('signature-input'),
              signature: c.req.header('signature'),
              contentDigest: c.req.header('content-digest'),
              onBehalfOf: c.req.header('sluis-on-behalf-of'),
            },
            {
              beforeVerify: (keyId) => {
                knownKey = keyId;
                refuseWhileFailing(failedKeys.wait(keyId));
              },
              beforeNonce: (keyId) => {
                const wait = limiter.take(keyId);
                if (wait > 0) throw new ServerError('rate_limited', { retryAfterSeconds: wait });
              },
            },
          );
        } catch (e) {
          if (isEngineError(e) && statusOf(e.code) === 401) {
            if (addressKey !== undefined) failedAddresses.fail(addressKey);
            if (knownKey !== undefined) failedKeys.fail(knownKey);
          }
          throw e;
        }
        if (authenticated.kind === 'organisation') log.organisationId = authenticated.organisationId;
        else log.adminKeyId = authenticated.keyId;
        if (authenticated.onBehalfOf !== undefined) log.personId = authenticated.onBehalfOf.personId;
        // Also on a refusal after this point: the request moved the idle expiry all the same.
        c.set('sessionIdleExpiresAt', authenticated.sessionIdleExpiresAt);
        // --log-level debug: which key signed (key ids are public; docs/operations.md "Logs").
        logger.log('debug', 'request_authenticated', {
          correlationId: log.correlationId,
          route: route.path,
          keyKind: authenticated.kind,
          keyId: authenticated.keyId,
        });
        principal = authorise(route, authenticated);
      } else if (rawQuery !== '' && route.query === undefined) {
        throw new ServerError('validation_failed', { fields: ['query'] });
      }
      if (route.metricsToken && !metricsTokenMatches(c.req.header('authorization'))) {
        return problemResponse(c, 'metrics_token_required', [], {
          'WWW-Authenticate': 'Bearer realm="sluis-metrics"',
        });
      }

      const paramsResult = route.params?.safeParse(c.req.param());
      if (paramsResult !== undefined && !paramsResult.success) throw new ServerError('not_found');
      const query = validate(route.query, parseQuery(rawQuery), 'query', ['query']);
      if (route.query === undefined && rawQuery !== '') {
        throw new ServerError('validation_failed', { fields: ['query'] });
      }
      let body: unknown;
      if (route.body !== undefined) {
        const json = parseJson(bytes);
        body = route.bodyCheck?.(json) ?? validate(route.body, json, 'body', []);
      } else if (bytes.length > 0) {
        throw new ServerError('validation_failed', { fields: ['body'] });
      }

      const returnMinimal =
        route.returnMinimal === true && returnPreference(c.req.header('prefer')) === 'minimal';
      const reply = await route.handler({
        principal,
        params: paramsResult?.data,
        query,
        body,
        services,
        clientAddress: address,
        returnMinimal,
      });
      return answerResponse(
        route.returnMinimal === true ? withPreference(reply, returnMinimal) : reply,
        (headers, status) =>
          finish(
            headers,
            route.path,
            log.correlationId,
            c.get('origin'),
            status,
            c.get('sessionIdleExpiresAt'),
          ),
        c.env?.incoming !== undefined,
      );
    });
  }

  // Known path, other method → 405 with Allow (registered after every real route).
  for (const [path, methods] of methodsByPath) {
    app.all(honoPath(path), (c) => {
      c.get('log').route = path;
      return problemResponse(c, 'method_not_allowed', [], { Allow: methods.join(', ') });
    });
  }

  app.notFound((c) => problemResponse(c, 'not_found', []));

  app.onError(refusalResponder(logger));

  return app;
}
