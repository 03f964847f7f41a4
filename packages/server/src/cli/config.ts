// Server configuration from defaults < JSON config file < SLUIS_* environment < flags,
// validated with zod. Invariant: a bad value stops the start with one line naming the
// option and its source (exit code 2), never a stack trace and never the value itself
// (a misplaced secret must not end up in a terminal or a log).

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
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
    description: 'SQLite database file',
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
    description: 'Placements per organisation per UTC day unless set per organisation',
  },
  {
    key: 'placementAlertPerHour',
    flag: 'placement-alert-per-hour',
    env: 'SLUIS_PLACEMENT_ALERT_PER_HOUR',
    kind: 'int',
    default: '200',
    description: 'Placements in one hour above which an anomaly alert is raised',
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
    key: 'metricsToken',
    flag: 'metrics-token',
    env: 'SLUIS_METRICS_TOKEN',
    kind: 'string',
    default: '(none: /metrics open; required when --host is not loopback)',
    description: 'When set, /metrics requires Authorization: Bearer <token> (16-256 printable characters)',
  },
  {
    key: 'metricsRefreshSeconds',
    flag: 'metrics-refresh',
    env: 'SLUIS_METRICS_REFRESH_SECONDS',
    kind: 'int',
    default: '60',
    description: 'Seconds between background refreshes of the /metrics gauges (never per scrape)',
  },
];

export const CONFIG_FILE_ENV = 'SLUIS_CONFIG';

/** Codes only ([a-z][a-z0-9_]*): a configured list cannot carry free text. */
const CodeList = z
  .array(z.string().regex(/^[a-z][a-z0-9_]{0,49}$/))
  .min(1)
  .max(100);

const ConfigSchema = z.strictObject({
  dataDir: z.string().min(1).max(4096),
  database: z.string().min(1).max(4096).optional(),
  host: z.string().regex(/^[A-Za-z0-9.:_-]{1,255}$/),
  port: z.int().min(0).max(65535),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']),
  corsOrigins: z.array(z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/)).max(50),
  retentionIntervalSeconds: z
    .int()
    .min(0)
    .max(7 * 86_400),
  webhookIntervalSeconds: z.number().min(0.05).max(3600),
  webhookTimeoutSeconds: z.number().min(0.1).max(120),
  rateLimitPerSecond: z.number().min(0).max(1_000_000),
  rateLimitBurst: z.int().min(1).max(10_000_000),
  shutdownTimeoutSeconds: z.number().min(0).max(600),
  headersTimeoutSeconds: z.number().min(0.1).max(120),
  requestTimeoutSeconds: z.number().min(0.1).max(600),
  keepAliveTimeoutSeconds: z.number().min(0.1).max(600),
  idleTimeoutSeconds: z.number().min(0.1).max(3600),
  maxConnections: z.int().min(1).max(1_000_000),
  testClock: z.boolean(),
  allowLoopbackHttpWebhooks: z.boolean(),
  sameOrganisationMatching: z.boolean().optional(),
  organisationTypes: z
    .array(z.string().regex(/^[a-z0-9_]{1,50}$/))
    .min(1)
    .max(100)
    .optional(),
  defaultPlacementBudgetPerDay: z.int().min(0).max(10_000_000).optional(),
  placementAlertPerHour: z.int().min(1).max(10_000_000).optional(),
  activeTermDays: z.int().min(1).max(730).optional(),
  archiveTermDays: z.int().min(0).max(1827).optional(),
  regieRule: z.enum(['first_signaller', 'none', 'organisation_type']).optional(),
  regieOrganisationTypes: CodeList.optional(),
  agreementActionKinds: CodeList.optional(),
  agreementInformationCategories: CodeList.optional(),
  agreementPurposes: CodeList.optional(),
  clockSkewSeconds: z.int().min(1).max(300).optional(),
  metricsToken: z
    .string()
    .regex(/^[\x21-\x7e]{16,256}$/)
    .optional(),
  metricsRefreshSeconds: z.int().min(1).max(86_400),
});

export type ServerConfig = z.output<typeof ConfigSchema> & { readonly database: string };

const DEFAULTS = {
  dataDir: './data',
  host: '127.0.0.1',
  port: 8080,
  logLevel: 'info',
  corsOrigins: [],
  retentionIntervalSeconds: 3600,
  webhookIntervalSeconds: 5,
  webhookTimeoutSeconds: 10,
  rateLimitPerSecond: 200,
  rateLimitBurst: 400,
  shutdownTimeoutSeconds: 10,
  headersTimeoutSeconds: 10,
  requestTimeoutSeconds: 30,
  keepAliveTimeoutSeconds: 5,
  idleTimeoutSeconds: 30,
  maxConnections: 1000,
  testClock: false,
  allowLoopbackHttpWebhooks: false,
  metricsRefreshSeconds: 60,
};

type Raw = Record<string, unknown>;
type Source = Record<string, string>;

function convert(spec: OptionSpec, value: string | boolean | string[], source: string): unknown {
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

export interface ConfigInputs {
  /** Parsed flags (node:util parseArgs values), keyed by flag name. */
  readonly flags: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory for relative paths. */
  readonly cwd: string;
}

function readConfigFile(path: string): Raw {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ServerError('config_file_unreadable', { path });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Raw;
  } catch {
    throw new ServerError('config_file_malformed', { path });
  }
}

/** Merges and validates; throws a ServerError (config_*) with one line naming the first bad option. */
export function loadConfig(inputs: ConfigInputs): ServerConfig {
  const merged: Raw = { ...DEFAULTS };
  const origin: Source = {};
  const configPath = (inputs.flags.config as string | undefined) ?? inputs.env[CONFIG_FILE_ENV];
  if (configPath !== undefined && configPath !== '') {
    const file = readConfigFile(resolve(inputs.cwd, configPath));
    for (const [k, v] of Object.entries(file)) {
      merged[k] = v;
      origin[k] = `config file ${configPath}`;
    }
  }
  for (const spec of SERVER_OPTIONS) {
    const v = inputs.env[spec.env];
    if (v !== undefined && v !== '') {
      merged[spec.key] = convert(spec, v, spec.env);
      origin[spec.key] = spec.env;
    }
  }
  for (const spec of SERVER_OPTIONS) {
    const v = inputs.flags[spec.flag];
    if (v !== undefined) {
      merged[spec.key] = convert(spec, v, `--${spec.flag}`);
      origin[spec.key] = `--${spec.flag}`;
    }
  }
  const r = ConfigSchema.safeParse(merged);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const key = issue.path.length > 0 ? String(issue.path[0]) : '';
    if (issue.code === 'unrecognized_keys') {
      throw new ServerError('config_option_unknown', { source: origin[key] ?? 'the config file' });
    }
    const spec = SERVER_OPTIONS.find((s) => s.key === key);
    const from = origin[key] ?? 'default';
    const i = issue as { code: string; minimum?: unknown; maximum?: unknown; values?: unknown[] };
    const why =
      i.code === 'too_big'
        ? `must be at most ${String(i.maximum)}`
        : i.code === 'too_small'
          ? `must be at least ${String(i.minimum)}`
          : i.code === 'invalid_value' && Array.isArray(i.values)
            ? `must be one of ${i.values.join(', ')}`
            : 'is malformed';
    throw new ServerError('config_option_invalid', {
      option: spec === undefined ? key : spec.key,
      source: from,
      hint: why,
    });
  }
  const dataDir = resolve(inputs.cwd, r.data.dataDir);
  const database = resolve(inputs.cwd, r.data.database ?? join(dataDir, 'sluis.db'));
  const config: ServerConfig = { ...r.data, dataDir, database };
  // Test-only switches need NODE_ENV=test exactly (the e2e harness sets it): an unset or
  // mistyped NODE_ENV on a production host must not be enough to move time or allow http.
  if (config.testClock && inputs.env.NODE_ENV !== 'test') {
    throw new ServerError('test_switch_refused', { option: 'the test clock' });
  }
  if (config.allowLoopbackHttpWebhooks && inputs.env.NODE_ENV !== 'test') {
    throw new ServerError('test_switch_refused', { option: 'allowLoopbackHttpWebhooks' });
  }
  // /metrics shows organisation ids and per-organisation placement counts: open only on
  // loopback (where a monitoring agent on the host scrapes it); anywhere else a token.
  if (!isLoopbackHost(config.host) && config.metricsToken === undefined) {
    throw new ServerError('config_option_invalid', {
      option: 'metricsToken',
      source: 'host',
      hint: 'is required when listening on a non-loopback address (/metrics shows per-organisation activity)',
    });
  }
  return config;
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this host can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

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

/** The engine's config overrides, only those that were set (the engine fills the rest). */
export function engineOverrides(c: ServerConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [
    'sameOrganisationMatching',
    'organisationTypes',
    'defaultPlacementBudgetPerDay',
    'placementAlertPerHour',
    'activeTermDays',
    'archiveTermDays',
    'regieRule',
    'regieOrganisationTypes',
    'agreementActionKinds',
    'agreementInformationCategories',
    'agreementPurposes',
    'clockSkewSeconds',
  ] as const) {
    if (c[k] !== undefined) out[k] = c[k];
  }
  if (c.allowLoopbackHttpWebhooks) out.allowLoopbackHttpWebhooks = true;
  return out;
}
