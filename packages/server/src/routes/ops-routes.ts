// Unsigned operational routes (docs/api.md "Operational routes"). They carry no citizen
// data: health, readiness, Prometheus metrics (labels are templates and organisation ids;
// always behind a bearer token) and the OpenAPI document. None of them queries the
// database per request except /readyz (one indexed read).

import { z } from 'zod';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { HealthOut } from '../http/schemas.js';

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
    responses: {
      200: { description: 'Ready', schema: HealthOut },
      503: { description: 'Not ready', schema: HealthOut },
    },
    handler: async ({ services }) =>
      (await services.ready())
        ? { status: 200, body: { status: 'ready' } }
        : { status: 503, body: { status: 'unavailable' } },
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
      401: { description: 'metrics_token_required: the request did not carry the metrics bearer token' },
    },
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
    path: '/openapi.json',
    role: 'public',
    roles: [],
    operationId: 'openapi',
    summary: 'This OpenAPI 3.1 document',
    tag: 'operations',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
    handler: async ({ services }) => ({ status: 200, body: services.openapi() }),
  }),
];
