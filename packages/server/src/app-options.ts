// What createApp is given (app.ts): the HTTP settings taken from the server configuration,
// the engine and the operational parts, and the route table they select — one list of
// every route, which also feeds the OpenAPI document and the role × route matrix test.

import type { SigningKey } from '@sluis/client-sdk';
import type { Engine } from '@sluis/engine';
import type { Clock, TestClock } from './clock.js';
import type { AuthFailureLimitOptions } from '@sluis/engine/protocol';
import type { OpenApiContact } from './http/openapi.js';
import type { PortalFiles } from './http/portal-static.js';
import type { AnyRoute } from './http/route.js';
import type { GaugeCache } from './ops/gauge-cache.js';
import type { Logger } from './ops/logger.js';
import type { Tracing } from './ops/tracing.js';
import type { Metrics } from './ops/metrics.js';
import type { ServerKeys } from './ops/server-keys.js';
import { adminRoutes, testClockRoutes } from './routes/admin-routes.js';
import { adminDeviceRoutes, organisationDeviceRoutes } from './routes/device-routes.js';
import { keyRoutes } from './routes/key-routes.js';
import { meRoutes } from './routes/me-routes.js';
import { opsRoutes } from './routes/ops-routes.js';
import { organisationRoutes } from './routes/organisation-routes.js';
import { adminPeopleRoutes, organisationPeopleRoutes } from './routes/people-routes.js';
import { signInRoutes } from './routes/sign-in-routes.js';

export interface AppConfig {
  /** Origins allowed to call from a browser; empty = CORS off. */
  readonly corsOrigins: readonly string[];
  /** Per-key requests per second (0 = off) and burst. */
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
  /** Failed authentications per client address and per key id (docs/protocol.md §5.4). */
  readonly authFailureLimit?: AuthFailureLimitOptions;
  /**
   * Passkey ceremonies (enrolment, sign-in) per route and client address, and per person, per
   * instance (docs/protocol.md §10.5); default 10 a minute, a burst of 10.
   */
  readonly signInRateLimit?: { readonly perSecond: number; readonly burst: number };
  /** Reverse proxies whose `X-Forwarded-For` names the client (addresses or CIDR ranges). */
  readonly trustedProxies?: readonly string[];
  /**
   * Restore mode (docs/operations.md "Back up and restore"): every route but the operations
   * routes answers 503 `unavailable`, except admin routes asked directly from this host.
   */
  readonly restoreMode?: boolean;
  /** Present only when the test clock is enabled; adds the /v1/admin/test/clock routes. */
  readonly testClock?: TestClock;
  readonly version?: string;
  /** The operator's contact in the OpenAPI document (docs/operations.md "Configure"). */
  readonly apiContact?: OpenApiContact;
  /** /metrics requires `Authorization: Bearer <token>` (docs/operations.md "Monitor"): never open. */
  readonly metricsToken: string;
  /** Seconds between background refreshes of the /metrics gauges; default 60. */
  readonly metricsRefreshSeconds?: number;
  /** The built portal served under /portal/ (http/portal-static.ts); absent: no portal. */
  readonly portal?: {
    readonly files: PortalFiles;
    readonly connectSources: readonly string[];
    /** The pseudonym service the page calls (docs/portal.md "Pseudonymisation"). */
    readonly pseudonymService?: string;
    /** Where to report an accessibility problem (docs/portal.md "Accessibility statement"). */
    readonly accessibilityContact?: string;
  };
}

export interface AppOptions {
  readonly engine: Engine;
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly metrics: Metrics;
  /** The /metrics gauges' cache; a running server's refreshes on a timer (ops/gauge-cache.ts). */
  readonly gauges?: GaugeCache;
  /** False while shutting down (readyz answers 503). */
  readonly isAccepting?: () => boolean;
  /** The server-held keys (rotation routes); absent in tests that do not need them. */
  readonly serverKeys?: ServerKeys;
  /** Wakes the background re-keying after a server-secret rotation began. */
  readonly wakeRekey?: () => void;
  /** The credential-issuer key (docs/protocol.md §9.7); without it the credential route answers 503. */
  readonly credentialIssuer?: SigningKey;
  /**
   * The municipality's organisation id at the pseudonym service, for the GDPR desk's
   * credentials (docs/operations.md "The GDPR desk in the portal"); without it they are refused.
   */
  readonly gdprDeskServiceOrganisationId?: string;
  /** The tracing middleware and span annotation (ops/tracing.ts) when an OTLP endpoint is configured. */
  readonly tracing?: Pick<Tracing, 'middleware' | 'annotate'>;
}

export function routeTable(config: Pick<AppConfig, 'testClock'>): readonly AnyRoute[] {
  return [
    ...opsRoutes,
    ...organisationRoutes,
    ...organisationPeopleRoutes,
    ...organisationDeviceRoutes,
    ...adminRoutes,
    ...adminPeopleRoutes,
    ...adminDeviceRoutes,
    ...signInRoutes,
    ...meRoutes,
    ...keyRoutes,
    ...(config.testClock === undefined ? [] : testClockRoutes(config.testClock)),
  ];
}
