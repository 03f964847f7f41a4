// Unsigned operational routes (docs/api.md "Operational routes"). They carry no citizen
// data: health, readiness, Prometheus metrics (labels are templates and organisation ids;
// always behind a bearer token) and the OpenAPI document. None of them queries the
// database per request except /readyz (one indexed read). The document is published
// under the versioned base (`/v1/openapi.json`, NL API Design Rules /core/publish-openapi),
// readable from any origin; `/openapi.json` redirects there.

import { z } from 'zod';
import { ServerError } from '../errors.js';
import { API_BASE_PATH } from '../http/api-version.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { HealthOut } from '../http/schemas.js';

/** Where the document is published: `openapi.json` within the versioned base path. */
export const OPENAPI_PATH = `${API_BASE_PATH}/openapi.json`;

export const opsRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/healthz',
    role: 'public',
    roles: [],
    operationId: 'healthz',
    summary: 'Liveness: 200 while the process runs',
    tag: 'operations',
    responses: { 200: { description: 'Alive', schema: HealthOut } },
    handler: async () => ({ status: 200, body: { status: 'ok' } }),
  }),
  defineRoute({
    method: 'GET',
    path: '/readyz',
    role: 'public',
    roles: [],
    operationId: 'readyz',
    summary: 'Readiness: 200 when the database answers, 503 otherwise and while shutting down',
    tag: 'operations',
    responses: { 200: { description: 'Ready', schema: HealthOut } },
    // Not ready: 503 `unavailable` as problem+json, like every other refusal.
    handler: async ({ services }) => {
      if (!(await services.ready())) throw new ServerError('unavailable');
      return { status: 200, body: { status: 'ready' } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/metrics',
    role: 'public',
    roles: [],
    metricsToken: true,
    operationId: 'metrics',
    summary:
      'Prometheus text exposition (no citizen data; organisation ids and placement counts: monitoring only)',
    tag: 'operations',
    responses: {
      200: { description: 'Metrics in Prometheus text format 0.0.4', schema: z.string() },
    },
    // 401 metrics_token_required (problem+json) without the metrics bearer token.
    problems: ['metrics_token_required'],
    handler: async ({ services }) => {
      // Cached gauges and in-memory counters only: a scrape never queries the database.
      return {
        status: 200,
        body: services.metrics.render(services.gauges(), services.engine.metrics()),
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
      };
    },
  }),
  defineRoute({
    method: 'GET',
    path: OPENAPI_PATH,
    role: 'public',
    roles: [],
    crossOrigin: true,
    operationId: 'openapi',
    summary: 'This OpenAPI 3.1 document',
    description: 'Readable from any origin (CORS and Cross-Origin-Resource-Policy), without authentication.',
    tag: 'operations',
    responses: { 200: { description: 'OpenAPI 3.1 document', schema: z.looseObject({}) } },
    handler: async ({ services }) => ({ status: 200, body: services.openapi() }),
  }),
  defineRoute({
    method: 'GET',
    path: '/openapi.json',
    role: 'public',
    roles: [],
    crossOrigin: true,
    undocumented: true,
    operationId: 'openapiRedirect',
    summary: `Redirects to ${OPENAPI_PATH}, where the document is published`,
    tag: 'operations',
    responses: {
      308: {
        description: `Permanent redirect to ${OPENAPI_PATH}`,
        headers: { Location: { required: true, schema: { type: 'string', const: OPENAPI_PATH } } },
      },
    },
    handler: async () => ({ status: 308, headers: { Location: OPENAPI_PATH } }),
  }),
];
