// Options of `sluis-server start`, one group of the table in ../server-options.ts:
// What the operator sees: /metrics, the OpenAPI contact and OpenTelemetry tracing.

import type { OptionSpec } from './option-spec.js';

export const OBSERVABILITY_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'metricsToken',
    flag: 'metrics-token',
    env: 'SLUIS_METRICS_TOKEN',
    kind: 'string',
    default: '(none: the token in <data-dir>/keys/metrics.token, created at the first start)',
    description: '/metrics requires Authorization: Bearer <token> (16-256 printable characters)',
  },
  {
    key: 'metricsRefreshSeconds',
    flag: 'metrics-refresh',
    env: 'SLUIS_METRICS_REFRESH_SECONDS',
    kind: 'int',
    default: '60',
    description: 'Seconds between background refreshes of the /metrics gauges (never per scrape)',
  },
  {
    key: 'apiContactName',
    flag: 'api-contact-name',
    env: 'SLUIS_API_CONTACT_NAME',
    kind: 'string',
    default: '(none)',
    description: 'Who publishes this API (the operator), for info.contact of the OpenAPI document',
  },
  {
    key: 'apiContactUrl',
    flag: 'api-contact-url',
    env: 'SLUIS_API_CONTACT_URL',
    kind: 'string',
    default: '(none)',
    description: "The operator's web page for this API (https), for info.contact",
  },
  {
    key: 'apiContactEmail',
    flag: 'api-contact-email',
    env: 'SLUIS_API_CONTACT_EMAIL',
    kind: 'string',
    default: '(none)',
    description: "The operator's e-mail address for this API, for info.contact",
  },
  {
    key: 'otlpEndpoint',
    flag: 'otlp-endpoint',
    env: 'SLUIS_OTLP_ENDPOINT',
    kind: 'string',
    default: '(none: tracing off)',
    description: 'OpenTelemetry traces over OTLP/HTTP to this URL, e.g. http://collector:4318/v1/traces',
  },
  {
    key: 'tracingSampleRatio',
    flag: 'tracing-sample-ratio',
    env: 'SLUIS_TRACING_SAMPLE_RATIO',
    kind: 'number',
    default: '1',
    description: 'Share of requests traced when tracing is on (0-1)',
  },
];
