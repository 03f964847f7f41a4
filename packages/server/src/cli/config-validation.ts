// Validation of the merged server configuration: the zod schema of every option's
// range and the test-only switches. Invariant: a bad value
// stops the start with one line naming the option and its source (exit code 2), never a
// stack trace and never the value itself; test-only switches need NODE_ENV=test exactly.

import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ServerError } from '../errors.js';
import { isLoopbackHost } from '../ops/loopback.js';
import { checkPostgresUrl, DEFAULT_ENGINE_CONFIG } from '@sluis/engine';
import { isProxyEntry } from '@sluis/engine/protocol';
import { redact } from './io.js';
import { SERVER_OPTIONS } from './server-options.js';

/** Codes only ([a-z][a-z0-9_]*): a configured list cannot carry free text. */
const CodeList = z
  .array(z.string().regex(/^[a-z][a-z0-9_]{0,49}$/))
  .min(1)
  .max(100);

/**
 * Where to report an accessibility problem (docs/portal.md "Accessibility statement"): a
 * `mailto:` with one e-mail address, a `tel:` number (RFC 3966 visual separators only) or an
 * page starting `https://`, without credentials (by the WHATWG URL parser, as the portal reads
 * it: packages/portal/src/screens/accessibility-contact.ts; both tests read one table,
 * test/vectors/accessibility-contacts.json). The
 * portal shows it as a link.
 */
export function isContactUri(v: string): boolean {
  if (v.startsWith('mailto:')) return z.email().safeParse(v.slice('mailto:'.length)).success;
  if (v.startsWith('tel:')) return /^tel:\+?[0-9][0-9().-]{2,30}$/.test(v);
  if (!v.startsWith('https://')) return false;
  try {
    const url = new URL(v);
    return url.protocol === 'https:' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

const ConfigSchema = z.strictObject({
  dataDir: z.string().min(1).max(4096),
  database: z.string().min(1).max(4096).optional(),
  // The forms postgres.js connects with (engine pg-url.ts), checked in validateConfig.
  databaseUrl: z.string().max(4096).optional(),
  databasePasswordFile: z.string().min(1).max(4096).optional(),
  databaseTls: z.enum(['auto', 'off', 'require', 'verify-full']),
  // Read and checked where the store is opened (ops/postgres-store.ts databaseCa); here its combination.
  databaseCaFile: z.string().min(1).max(4096).optional(),
  host: z.string().regex(/^[A-Za-z0-9.:_-]{1,255}$/),
  port: z.int().min(0).max(65535),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']),
  corsOrigins: z.array(z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/)).max(50),
  portalDir: z.string().min(1).max(4096).optional(),
  portalPseudonymService: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
  // The id the pseudonym service admitted the municipality with (its `admit --organisation-id`).
  // Lower-case, as the service's own check (pseudonym-service admission.ts) and the credential carry it.
  gdprDeskServiceOrganisationId: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    .optional(),
  portalAccessibilityContact: z.string().max(500).refine(isContactUri).optional(),
  portalConnectSources: z.array(z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/)).max(20),
  retentionIntervalSeconds: z
    .int()
    .min(0)
    .max(7 * 86_400),
  webhookIntervalSeconds: z.number().min(0.05).max(3600),
  webhookTimeoutSeconds: z.number().min(0.1).max(120),
  mailConfig: z.string().min(1).max(4096).optional(),
  rateLimitPerSecond: z.number().min(0).max(1_000_000),
  rateLimitBurst: z.int().min(1).max(10_000_000),
  authFailuresPerMinute: z.number().min(0).max(1_000_000),
  authFailureBurst: z.int().min(1).max(1_000_000),
  trustedProxies: z.array(z.string().max(64).refine(isProxyEntry)).max(100),
  shutdownTimeoutSeconds: z.number().min(0).max(600),
  headersTimeoutSeconds: z.number().min(0.1).max(120),
  requestTimeoutSeconds: z.number().min(0.1).max(600),
  keepAliveTimeoutSeconds: z.number().min(0.1).max(600),
  idleTimeoutSeconds: z.number().min(0.1).max(3600),
  maxConnections: z.int().min(1).max(1_000_000),
  restoreMode: z.boolean(),
  newDatabase: z.boolean(),
  testClock: z.boolean(),
  allowLoopbackHttpWebhooks: z.boolean(),
  sameOrganisationMatching: z.boolean().optional(),
  coalescePlacements: z.boolean().optional(),
  organisationTypes: z
    .array(z.string().regex(/^[a-z0-9_]{1,50}$/))
    .min(1)
    .max(100)
    .optional(),
  defaultPlacementBudgetPerDay: z.int().min(0).max(10_000_000).optional(),
  placementAlertPerHour: z.int().min(1).max(10_000_000).optional(),
  revealLogWindowHours: z.int().min(0).max(168).optional(),
  // At least activeTermDays + archiveTermDays: checkLogbookTerm, before anything is written.
  logbookRetentionDays: z.int().min(1).max(36_525).optional(),
  activeTermDays: z.int().min(1).max(730).optional(),
  archiveTermDays: z.int().min(0).max(1827).optional(),
  regieRule: z.enum(['first_signaller', 'none', 'organisation_type']).optional(),
  regieOrganisationTypes: CodeList.optional(),
  agreementActionKinds: CodeList.optional(),
  agreementInformationCategories: CodeList.optional(),
  agreementPurposes: CodeList.optional(),
  clockSkewSeconds: z.int().min(1).max(300).optional(),
  // 'none' alone turns the archive notice off (an empty list cannot be written as a flag).
  archiveNoticeBases: z
    .array(z.enum(['jeugdwet', 'consent', 'no_objection', 'none']))
    .min(1)
    .max(3)
    .refine((l) => !l.includes('none') || l.length === 1)
    .optional(),
  objectionTermDays: z.int().min(1).max(365).optional(),
  statisticsSuppressionThreshold: z.int().min(2).max(100).optional(),
  metricsToken: z
    .string()
    .regex(/^[\x21-\x7e]{16,256}$/)
    .optional(),
  metricsRefreshSeconds: z.int().min(1).max(86_400),
  // The engine checks that every origin is https (or http://localhost) on the RP id (config_invalid).
  webauthnRpId: z
    .string()
    .regex(/^[a-z0-9.-]{1,253}$/)
    .optional(),
  webauthnRpName: z.string().regex(/^[\p{L}\p{N}\p{P}\p{Zs}\p{S}]{1,100}$/u),
  webauthnOrigins: z.array(z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/)).max(20),
  enrolmentCodeHours: z.int().min(1).max(720).optional(),
  sessionIdleMinutes: z.int().min(1).max(1440).optional(),
  sessionHours: z.int().min(1).max(168).optional(),
  signInPerMinute: z.int().min(1).max(10_000),
  apiContactName: z
    .string()
    .regex(/^[\p{L}\p{N}\p{P}\p{Zs}\p{S}]{1,200}$/u)
    .optional(),
  apiContactUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .optional(),
  apiContactEmail: z.email().max(254).optional(),
  // No credentials in the URL: they would be logged with a config error (use a collector on
  // the host or in the cluster; docs/operations.md "Tracing").
  otlpEndpoint: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u))
    .optional(),
  tracingSampleRatio: z.number().min(0).max(1),
});

export type ServerConfig = z.output<typeof ConfigSchema> & { readonly database: string };

const POSTGRES_URL = /^postgres(ql)?:\/\//;

/**
 * A `--database postgres://…` moves to databaseUrl (a file path stays the SQLite file), and
 * its origin with it, so a refusal names the option the operator wrote.
 */
function splitDatabase(
  raw: Record<string, unknown>,
  origin: Record<string, string>,
): Record<string, unknown> {
  const d = raw.database;
  if (typeof d !== 'string' || !POSTGRES_URL.test(d)) return raw;
  const { database: _, ...rest } = raw;
  if (origin.database !== undefined) origin.databaseUrl = origin.database;
  return { ...rest, databaseUrl: d };
}

/** user:password@ in a URL: refused with its own reason (URLs end up in process lists and logs). */
const URL_PASSWORD = /^[a-z]+:\/\/[^/@]*:[^/@]*@/i;

/** True when `url` carries a password (user:password@); also migrate-store's --to. */
export function urlHoldsPassword(url: string): boolean {
  return URL_PASSWORD.test(url);
}

/**
 * The WebAuthn settings the engine would refuse as a whole (config_invalid), named here with
 * their source (docs/operations.md "Configure"): the RP id and the origins go together, and each
 * origin is exact, https (http only on localhost) and on the RP id or a host under it
 * (WebAuthn §5.1.3).
 */
function checkWebAuthn(c: z.output<typeof ConfigSchema>, origin: Record<string, string>): void {
  const refuse = (option: 'webauthnRpId' | 'webauthnOrigins', hint: string) =>
    new ServerError('config_option_invalid', { option, source: origin[option] ?? 'default', hint });
  const rpId = c.webauthnRpId;
  if (rpId === undefined && c.webauthnOrigins.length === 0) return;
  if (rpId === undefined)
    throw refuse('webauthnRpId', 'is required with webauthnOrigins (the portal’s domain)');
  if (c.webauthnOrigins.length === 0)
    throw refuse('webauthnOrigins', 'is required with webauthnRpId (the portal’s exact origins)');
  for (const o of c.webauthnOrigins) {
    const u = new URL(o);
    if (u.origin !== o)
      throw refuse('webauthnOrigins', 'must be exact origins (lower case, no default port)');
    if (!(u.protocol === 'https:' || (u.protocol === 'http:' && u.hostname === 'localhost')))
      throw refuse('webauthnOrigins', 'must be https:// origins (http:// only for localhost)');
    if (u.hostname !== rpId && !u.hostname.endsWith(`.${rpId}`))
      throw refuse('webauthnOrigins', 'must be on the RP id (webauthnRpId) or a host under it');
  }
}

/**
 * The TLS mode a PostgreSQL connection uses (docs/operations.md "PostgreSQL"): `auto` is off
 * when every host is loopback and no CA file is given (a CA file asks for verification), else
 * verify-full; the other modes as given.
 */
export function resolveDatabaseTls(
  mode: 'auto' | 'off' | 'require' | 'verify-full',
  hosts: readonly { readonly host: string }[],
  caFileGiven: boolean,
): false | 'require' | 'verify-full' {
  if (mode === 'off') return false;
  if (mode !== 'auto') return mode;
  // One rule with the mail's `tls: none` (ops/loopback.ts): `127.db.example.nl` gets verify-full.
  const loopback = hosts.every(({ host }) => isLoopbackHost(host));
  return loopback && !caFileGiven ? false : 'verify-full';
}

/**
 * An IPv4 address in a form `net.isIP` does not know but the resolver does: `127.1`, `10.5`,
 * `167772165`, `0x0a000005`, `012.0.0.5` (each part decimal, octal or hex, one to four parts).
 */
function numericAddress(host: string): boolean {
  return /^(0x[0-9a-f]+|\d+)(\.(0x[0-9a-f]+|\d+)){0,3}$/i.test(host);
}

/**
 * The TLS settings that would not do what they say are refused (docs/operations.md
 * "PostgreSQL"): a CA file that would be ignored (on SQLite, or with a mode that verifies no
 * certificate), and verify-full on a host given as an IP address — postgres.js 3.4.9 gives
 * Node.js no server name for an address, so Node.js checks the certificate against the name
 * `localhost` instead of the address: a certificate naming the address is refused, one
 * naming localhost accepted (test/e2e/pg-tls-configuration.test.ts).
 */
function checkDatabaseTls(c: z.output<typeof ConfigSchema>, origin: Record<string, string>): void {
  const refuse = (option: 'databaseCaFile' | 'databaseUrl', hint: string) =>
    new ServerError('config_option_invalid', { option, source: origin[option] ?? 'default', hint });
  if (c.databaseCaFile !== undefined) {
    if (c.databaseUrl === undefined)
      throw refuse(
        'databaseCaFile',
        'is given, but the database is SQLite (no databaseUrl): the CA applies to PostgreSQL only and would be ignored; leave it out',
      );
    if (c.databaseTls === 'off' || c.databaseTls === 'require')
      throw refuse(
        'databaseCaFile',
        `is given with databaseTls ${c.databaseTls}, which verifies no certificate, so the CA would be ignored: use databaseTls verify-full (or auto), or leave the CA file out`,
      );
  }
  if (c.databaseUrl === undefined) return;
  const url = checkPostgresUrl(c.databaseUrl);
  if (!url.ok) return;
  const tls = resolveDatabaseTls(c.databaseTls, url.hosts, c.databaseCaFile !== undefined);
  if (tls === 'verify-full' && url.hosts.some(({ host }) => isIP(host) !== 0 || numericAddress(host)))
    throw refuse(
      'databaseUrl',
      "names a host by its IP address, which verify-full cannot check (the client would check the certificate against the name localhost instead): give the host name the server's certificate names",
    );
}

/**
 * The logbook term is never shorter than a signal can live, active plus archived (the engine's
 * own rule, engine config.ts; docs/privacy.md §4): checked here with the other terms, so a
 * refusal names its bound and comes before the first start writes keys or a database.
 */
function checkLogbookTerm(c: z.output<typeof ConfigSchema>, origin: Record<string, string>): void {
  const active = c.activeTermDays ?? DEFAULT_ENGINE_CONFIG.activeTermDays;
  const archive = c.archiveTermDays ?? DEFAULT_ENGINE_CONFIG.archiveTermDays;
  const days = c.logbookRetentionDays ?? DEFAULT_ENGINE_CONFIG.logbookRetentionDays;
  if (days >= active + archive) return;
  throw new ServerError('config_option_invalid', {
    option: 'logbookRetentionDays',
    source: origin.logbookRetentionDays ?? 'default',
    hint: `must be at least ${active + archive} (the active term ${active} plus the archive term ${archive} days: an entry outlives the signals it names)`,
  });
}

/**
 * Validates the merged values (`origin` says where each came from: a file, a variable or a
 * flag) and resolves paths against `cwd`; throws a ServerError (config_*) naming the first
 * bad option.
 */
export function validateConfig(
  merged: Record<string, unknown>,
  origin: Record<string, string>,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): ServerConfig {
  const split = splitDatabase(merged, origin);
  if (typeof split.databaseUrl === 'string' && urlHoldsPassword(split.databaseUrl)) {
    throw new ServerError('config_option_invalid', {
      option: 'databaseUrl',
      source: origin.databaseUrl ?? 'default',
      hint: 'holds a password: give the URL without one, and the password in --database-password-file (docs/operations.md "PostgreSQL")',
    });
  }
  if (typeof split.databaseUrl === 'string') {
    const url = checkPostgresUrl(split.databaseUrl);
    if (!url.ok) {
      throw new ServerError('config_option_invalid', {
        option: 'databaseUrl',
        source: origin.databaseUrl ?? 'default',
        hint: url.hint,
      });
    }
  }
  const r = ConfigSchema.safeParse(split);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const key = issue.path.length > 0 ? String(issue.path[0]) : '';
    if (issue.code === 'unrecognized_keys') {
      // Named, so the operator can find the typo; masked like any echoed argument (io.ts redact).
      const unknown = String(issue.keys[0] ?? '');
      throw new ServerError('config_option_unknown', {
        option: JSON.stringify(redact(unknown)),
        source: origin[unknown] ?? 'the config file',
      });
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
            : key === 'gdprDeskServiceOrganisationId'
              ? 'must be a lower-case UUID: the id the pseudonym service admitted the municipality with (its admit --organisation-id)'
              : 'is malformed';
    throw new ServerError('config_option_invalid', {
      option: spec === undefined ? key : spec.key,
      source: from,
      hint: why,
    });
  }
  checkWebAuthn(r.data, origin);
  checkLogbookTerm(r.data, origin);
  checkDatabaseTls(r.data, origin);
  const dataDir = resolve(cwd, r.data.dataDir);
  const database = resolve(cwd, r.data.database ?? join(dataDir, 'sluis.db'));
  const portalDir =
    r.data.portalDir === undefined || r.data.portalDir === 'off'
      ? r.data.portalDir
      : resolve(cwd, r.data.portalDir);
  const config: ServerConfig = {
    ...r.data,
    dataDir,
    database,
    ...(r.data.mailConfig === undefined ? {} : { mailConfig: resolve(cwd, r.data.mailConfig) }),
    ...(r.data.databasePasswordFile === undefined
      ? {}
      : { databasePasswordFile: resolve(cwd, r.data.databasePasswordFile) }),
    ...(r.data.databaseCaFile === undefined ? {} : { databaseCaFile: resolve(cwd, r.data.databaseCaFile) }),
    ...(portalDir === undefined ? {} : { portalDir }),
  };
  // Test-only switches need NODE_ENV=test exactly (the e2e harness sets it): an unset or
  // mistyped NODE_ENV on a production host must not be enough to move time or allow http.
  if (config.testClock && env.NODE_ENV !== 'test') {
    throw new ServerError('test_switch_refused', { option: 'the test clock' });
  }
  if (config.allowLoopbackHttpWebhooks && env.NODE_ENV !== 'test') {
    throw new ServerError('test_switch_refused', { option: 'allowLoopbackHttpWebhooks' });
  }
  return config;
}
