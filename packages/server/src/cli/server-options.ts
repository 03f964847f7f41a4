// The option table of `sluis-server start`: every option's key, flag, environment
// variable, kind, default and help text — the single source for parsing, help and docs —
// plus the typed defaults and the per-kind text parser. Invariant: a value that does not
// parse as its kind is refused naming the option and its source, never the value (a
// misplaced secret must not end up in a terminal or a log).

import { ServerError } from '../errors.js';

export interface OptionSpec {
  /** Key in the config object and the JSON file. */
  readonly key: string;
  readonly flag: string;
  readonly env: string;
  readonly kind: 'string' | 'int' | 'number' | 'boolean' | 'list';
  readonly description: string;
  readonly default: string;
}

/** Every option of `sluis-server start`: the single source for parsing, help and docs. */
export const SERVER_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'dataDir',
    flag: 'data-dir',
    env: 'SLUIS_DATA_DIR',
    kind: 'string',
    default: './data',
    description: 'Data directory (database, keys/)',
  },
  {
    key: 'database',
    flag: 'database',
    env: 'SLUIS_DATABASE',
    kind: 'string',
    default: '<data-dir>/sluis.db',
    description: 'SQLite database file, or a postgres:// URL (as --database-url)',
  },
  {
    key: 'databaseUrl',
    flag: 'database-url',
    env: 'SLUIS_DATABASE_URL',
    kind: 'string',
    default: '(none: SQLite)',
    description:
      'PostgreSQL instead of SQLite: postgres://user@host:port/name, without a password (see --database-password-file)',
  },
  {
    key: 'databasePasswordFile',
    flag: 'database-password-file',
    env: 'SLUIS_DATABASE_PASSWORD_FILE',
    kind: 'string',
    default: '(none: SLUIS_DATABASE_PASSWORD or PGPASSWORD)',
    description: 'File holding the PostgreSQL password (mode 0600); never logged',
  },
  {
    key: 'databaseTls',
    flag: 'database-tls',
    env: 'SLUIS_DATABASE_TLS',
    kind: 'string',
    default: 'auto',
    description: 'PostgreSQL TLS: auto (off on loopback, else verify-full), off, require, verify-full',
  },
  {
    key: 'host',
    flag: 'host',
    env: 'SLUIS_HOST',
    kind: 'string',
    default: '127.0.0.1',
    description: 'Listen address (loopback by default)',
  },
  {
    key: 'port',
    flag: 'port',
    env: 'SLUIS_PORT',
    kind: 'int',
    default: '8080',
    description: 'Listen port (0 = any free port)',
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'SLUIS_LOG_LEVEL',
    kind: 'string',
    default: 'info',
    description: 'debug, info, warn or error',
  },
  {
    key: 'corsOrigins',
    flag: 'cors-origin',
    env: 'SLUIS_CORS_ORIGINS',
    kind: 'list',
    default: '(none: CORS off)',
    description: 'Browser origins allowed to call the API (comma-separated in env, repeatable flag)',
  },
  {
    key: 'portalDir',
    flag: 'portal-dir',
    env: 'SLUIS_PORTAL_DIR',
    kind: 'string',
    default: '(the built @sluis/portal)',
    description: 'Folder of the built portal served under /portal/, or "off" to serve none',
  },
  {
    key: 'portalPseudonymService',
    flag: 'portal-pseudonym-service',
    env: 'SLUIS_PORTAL_PSEUDONYM_SERVICE',
    kind: 'string',
    default: '(none: the portal cannot pseudonymise)',
    description: 'URL of the pseudonym service the portal page calls (added to its CSP connect-src)',
  },
  {
    key: 'portalConnectSources',
    flag: 'portal-connect-src',
    env: 'SLUIS_PORTAL_CONNECT_SRC',
    kind: 'list',
    default: '(none: the own origin only)',
    description:
      'Origins the portal page may call besides its own, e.g. a pseudonym service (CSP connect-src)',
  },
  {
    key: 'retentionIntervalSeconds',
    flag: 'retention-interval',
    env: 'SLUIS_RETENTION_INTERVAL_SECONDS',
    kind: 'int',
    default: '3600',
    description: 'Seconds between retention runs inside the server (0 = off, use cron)',
  },
  {
    key: 'webhookIntervalSeconds',
    flag: 'webhook-interval',
    env: 'SLUIS_WEBHOOK_INTERVAL_SECONDS',
    kind: 'number',
    default: '5',
    description: 'Seconds between webhook outbox polls (the worker is also woken by new events)',
  },
  {
    key: 'webhookTimeoutSeconds',
    flag: 'webhook-timeout',
    env: 'SLUIS_WEBHOOK_TIMEOUT_SECONDS',
    kind: 'number',
    default: '10',
    description: 'Timeout of one webhook delivery attempt',
  },
  {
    key: 'mailConfig',
    flag: 'mail-config',
    env: 'SLUIS_MAIL_CONFIG',
    kind: 'string',
    default: '(none: no match notice e-mail)',
    description:
      'JSON file with the SMTP settings of the match notice e-mail (docs/operations.md "Match notice e-mail")',
  },
  {
    key: 'rateLimitPerSecond',
    flag: 'rate-limit',
    env: 'SLUIS_RATE_LIMIT_PER_SECOND',
    kind: 'number',
    default: '200',
    description: 'Requests per second per signing key (0 = off)',
  },
  {
    key: 'rateLimitBurst',
    flag: 'rate-limit-burst',
    env: 'SLUIS_RATE_LIMIT_BURST',
    kind: 'int',
    default: '400',
    description: 'Burst size of the per-key rate limit',
  },
  {
    key: 'authFailuresPerMinute',
    flag: 'auth-failures-per-minute',
    env: 'SLUIS_AUTH_FAILURES_PER_MINUTE',
    kind: 'number',
    default: '60',
    description:
      'Failed authentications refilled per minute, per client address and per key id; 0 = off (docs/protocol.md 5.4)',
  },
  {
    key: 'authFailureBurst',
    flag: 'auth-failure-burst',
    env: 'SLUIS_AUTH_FAILURE_BURST',
    kind: 'int',
    default: '20',
    description: 'Failed authentications allowed in a burst before requests are refused (429) unverified',
  },
  {
    key: 'trustedProxies',
    flag: 'trusted-proxy',
    env: 'SLUIS_TRUSTED_PROXIES',
    kind: 'list',
    default: '127.0.0.0/8, ::1 (a proxy on this host)',
    description:
      'Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For names the client (repeatable flag, comma-separated in env)',
  },
  {
    key: 'shutdownTimeoutSeconds',
    flag: 'shutdown-timeout',
    env: 'SLUIS_SHUTDOWN_TIMEOUT_SECONDS',
    kind: 'number',
    default: '10',
    description: 'Grace period for in-flight requests on SIGTERM/SIGINT',
  },
  {
    key: 'headersTimeoutSeconds',
    flag: 'headers-timeout',
    env: 'SLUIS_HEADERS_TIMEOUT_SECONDS',
    kind: 'number',
    default: '10',
    description: 'Time a client has to send the request headers (slow-client defence)',
  },
  {
    key: 'requestTimeoutSeconds',
    flag: 'request-timeout',
    env: 'SLUIS_REQUEST_TIMEOUT_SECONDS',
    kind: 'number',
    default: '30',
    description: 'Time a client has to send a whole request',
  },
  {
    key: 'keepAliveTimeoutSeconds',
    flag: 'keep-alive-timeout',
    env: 'SLUIS_KEEP_ALIVE_TIMEOUT_SECONDS',
    kind: 'number',
    default: '5',
    description: 'Idle time after which a keep-alive connection is closed',
  },
  {
    key: 'idleTimeoutSeconds',
    flag: 'idle-timeout',
    env: 'SLUIS_IDLE_TIMEOUT_SECONDS',
    kind: 'number',
    default: '30',
    description:
      'A connection on which no byte moves for this long is closed (also one that never sends a request)',
  },
  {
    key: 'maxConnections',
    flag: 'max-connections',
    env: 'SLUIS_MAX_CONNECTIONS',
    kind: 'int',
    default: '1000',
    description: 'Open connections at most; further connections are closed at once',
  },
  {
    key: 'testClock',
    flag: 'test-clock',
    env: 'SLUIS_TEST_CLOCK',
    kind: 'boolean',
    default: 'false',
    description: 'TEST ONLY: controllable clock (refused unless NODE_ENV=test)',
  },
  {
    key: 'allowLoopbackHttpWebhooks',
    flag: 'allow-loopback-http-webhooks',
    env: 'SLUIS_ALLOW_LOOPBACK_HTTP_WEBHOOKS',
    kind: 'boolean',
    default: 'false',
    description:
      'TEST ONLY: accept http:// webhook URLs on 127.0.0.1/[::1]/localhost (refused unless NODE_ENV=test)',
  },
  {
    key: 'sameOrganisationMatching',
    flag: 'same-organisation-matching',
    env: 'SLUIS_SAME_ORGANISATION_MATCHING',
    kind: 'boolean',
    default: 'false',
    description: 'Match signals of the same organisation',
  },
  {
    key: 'organisationTypes',
    flag: 'organisation-type',
    env: 'SLUIS_ORGANISATION_TYPES',
    kind: 'list',
    default: '(engine default list)',
    description: 'Allowed organisation types',
  },
  {
    key: 'defaultPlacementBudgetPerDay',
    flag: 'default-placement-budget',
    env: 'SLUIS_DEFAULT_PLACEMENT_BUDGET',
    kind: 'int',
    default: '1000',
    description:
      'Budget units per organisation per UTC day unless set per organisation (one per distinct pseudonym value a placement looks up)',
  },
  {
    key: 'placementAlertPerHour',
    flag: 'placement-alert-per-hour',
    env: 'SLUIS_PLACEMENT_ALERT_PER_HOUR',
    kind: 'int',
    default: '200',
    description: 'Budget units in one hour above which an anomaly alert is raised',
  },
  {
    key: 'revealLogWindowHours',
    flag: 'reveal-log-window-hours',
    env: 'SLUIS_REVEAL_LOG_WINDOW_HOURS',
    kind: 'int',
    default: '24',
    description:
      'One match.revealed logbook entry per signing key and match per this many hours (0: every read)',
  },
  {
    key: 'logbookRetentionDays',
    flag: 'logbook-retention-days',
    env: 'SLUIS_LOGBOOK_RETENTION_DAYS',
    kind: 'int',
    default: '2557',
    description:
      'Days a logbook entry is kept before purge behind a checkpoint (at least active + archive term)',
  },
  {
    key: 'activeTermDays',
    flag: 'active-term-days',
    env: 'SLUIS_ACTIVE_TERM_DAYS',
    kind: 'int',
    default: '730',
    description: 'Days a signal stays active at most (maximum 730)',
  },
  {
    key: 'archiveTermDays',
    flag: 'archive-term-days',
    env: 'SLUIS_ARCHIVE_TERM_DAYS',
    kind: 'int',
    default: '1826',
    description: 'Days an inactive signal is archived before purge (maximum 1827, 5 years)',
  },
  {
    key: 'regieRule',
    flag: 'regie-rule',
    env: 'SLUIS_REGIE_RULE',
    kind: 'string',
    default: 'first_signaller',
    description: 'Regie on a new match: first_signaller, organisation_type or none',
  },
  {
    key: 'regieOrganisationTypes',
    flag: 'regie-organisation-type',
    env: 'SLUIS_REGIE_ORGANISATION_TYPES',
    kind: 'list',
    default: '(engine default order)',
    description: 'Organisation types in order of precedence for --regie-rule organisation_type',
  },
  {
    key: 'archiveNoticeBases',
    flag: 'archive-notice-basis',
    env: 'SLUIS_ARCHIVE_NOTICE_BASES',
    kind: 'list',
    default: 'jeugdwet',
    description:
      'Legal bases of new signals that get the one-time archive notice: jeugdwet, consent, no_objection, or none',
  },
  {
    key: 'objectionTermDays',
    flag: 'objection-term-days',
    env: 'SLUIS_OBJECTION_TERM_DAYS',
    kind: 'int',
    default: '42',
    description: 'Days after the citizen was informed within which an objection is on time (1-365)',
  },
  {
    key: 'statisticsSuppressionThreshold',
    flag: 'statistics-suppression-threshold',
    env: 'SLUIS_STATISTICS_SUPPRESSION_THRESHOLD',
    kind: 'int',
    default: '5',
    description: 'Management information: cells below this count are shown as "<n" (2-100)',
  },
  {
    key: 'agreementActionKinds',
    flag: 'agreement-action-kind',
    env: 'SLUIS_AGREEMENT_ACTION_KINDS',
    kind: 'list',
    default: '(engine default list)',
    description: 'Action kinds of process agreements (codes)',
  },
  {
    key: 'agreementInformationCategories',
    flag: 'agreement-information-category',
    env: 'SLUIS_AGREEMENT_INFORMATION_CATEGORIES',
    kind: 'list',
    default: '(engine default list)',
    description: 'Kinds of information a process agreement works with (codes)',
  },
  {
    key: 'agreementPurposes',
    flag: 'agreement-purpose',
    env: 'SLUIS_AGREEMENT_PURPOSES',
    kind: 'list',
    default: '(engine default list)',
    description: 'Purposes of process agreements (codes)',
  },
  {
    key: 'clockSkewSeconds',
    flag: 'clock-skew',
    env: 'SLUIS_CLOCK_SKEW_SECONDS',
    kind: 'int',
    default: '300',
    description: 'Accepted clock skew of signed requests (maximum 300)',
  },
  {
    key: 'webauthnRpId',
    flag: 'webauthn-rp-id',
    env: 'SLUIS_WEBAUTHN_RP_ID',
    kind: 'string',
    default: '(none: passkey sign-in off)',
    description: 'webauthn.rpId: the WebAuthn relying party id, the portal’s domain (docs/protocol.md §10)',
  },
  {
    key: 'webauthnRpName',
    flag: 'webauthn-rp-name',
    env: 'SLUIS_WEBAUTHN_RP_NAME',
    kind: 'string',
    default: 'sluis',
    description: 'webauthn.rpName: the name an authenticator shows when a passkey is created',
  },
  {
    key: 'webauthnOrigins',
    flag: 'webauthn-origin',
    env: 'SLUIS_WEBAUTHN_ORIGINS',
    kind: 'list',
    default: '(none; required with webauthnRpId)',
    description: 'webauthn.origins: exact portal origins a passkey response may come from',
  },
  {
    key: 'enrolmentCodeHours',
    flag: 'enrolment-code-hours',
    env: 'SLUIS_ENROLMENT_CODE_HOURS',
    kind: 'int',
    default: '72',
    description: 'Lifetime of an enrolment code in hours (1-720)',
  },
  {
    key: 'sessionIdleMinutes',
    flag: 'session-idle-minutes',
    env: 'SLUIS_SESSION_IDLE_MINUTES',
    kind: 'int',
    default: '30',
    description: 'A session ends after this many minutes without a request (1-1440)',
  },
  {
    key: 'sessionHours',
    flag: 'session-hours',
    env: 'SLUIS_SESSION_HOURS',
    kind: 'int',
    default: '12',
    description: 'A session ends this many hours after sign-in at the latest (1-168)',
  },
  {
    key: 'signInPerMinute',
    flag: 'sign-in-per-minute',
    env: 'SLUIS_SIGN_IN_PER_MINUTE',
    kind: 'int',
    default: '10',
    description:
      'Passkey ceremonies per client address and per person per minute, per instance (burst the same)',
  },
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

/** Typed defaults; options without one are left to the engine (engineOverrides). */
export const SERVER_DEFAULTS = {
  dataDir: './data',
  databaseTls: 'auto',
  host: '127.0.0.1',
  port: 8080,
  logLevel: 'info',
  corsOrigins: [],
  portalConnectSources: [],
  retentionIntervalSeconds: 3600,
  webhookIntervalSeconds: 5,
  webhookTimeoutSeconds: 10,
  rateLimitPerSecond: 200,
  rateLimitBurst: 400,
  authFailuresPerMinute: 60,
  authFailureBurst: 20,
  trustedProxies: ['127.0.0.0/8', '::1'],
  shutdownTimeoutSeconds: 10,
  headersTimeoutSeconds: 10,
  requestTimeoutSeconds: 30,
  keepAliveTimeoutSeconds: 5,
  idleTimeoutSeconds: 30,
  maxConnections: 1000,
  testClock: false,
  allowLoopbackHttpWebhooks: false,
  metricsRefreshSeconds: 60,
  webauthnRpName: 'sluis',
  webauthnOrigins: [],
  signInPerMinute: 10,
  tracingSampleRatio: 1,
};

/** One option value from the environment or a flag, as its kind; `source` names where it came from. */
export function convertOption(spec: OptionSpec, value: string | boolean | string[], source: string): unknown {
  const bad = () =>
    new ServerError('config_option_invalid', {
      option: spec.key,
      source,
      hint: `must be ${KIND_TEXT[spec.kind]}`,
    });
  if (spec.kind === 'list') {
    const items = Array.isArray(value) ? value : String(value).split(',');
    return items.map((s) => s.trim()).filter((s) => s !== '');
  }
  if (typeof value === 'boolean') {
    if (spec.kind !== 'boolean') throw bad();
    return value;
  }
  const text = Array.isArray(value) ? value[value.length - 1]! : value;
  switch (spec.kind) {
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(text)) return true;
      if (/^(0|false|no|off|)$/i.test(text)) return false;
      throw bad();
    case 'int':
      if (!/^-?[0-9]{1,15}$/.test(text)) throw bad();
      return Number(text);
    case 'number':
      if (!/^-?[0-9]{1,15}(\.[0-9]{1,6})?$/.test(text)) throw bad();
      return Number(text);
    default:
      return text;
  }
}

const KIND_TEXT: Record<OptionSpec['kind'], string> = {
  string: 'a string',
  int: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  list: 'a list',
};

/** parseArgs option descriptors for the server options. */
export function serverParseOptions(): Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> {
  const out: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {
    config: { type: 'string' },
  };
  for (const s of SERVER_OPTIONS) {
    out[s.flag] =
      s.kind === 'boolean'
        ? { type: 'boolean' }
        : s.kind === 'list'
          ? { type: 'string', multiple: true }
          : { type: 'string' };
  }
  return out;
}
