// Server configuration from defaults < JSON config file < SLUIS_* environment < flags:
// reading the file, merging the sources in that order and recording where each value
// came from; the option table is in server-options.ts, the file's sections in
// config-sections.ts and validation in config-validation.ts. Invariant: a bad value stops
// the start with one line naming the option and its source (exit code 2), never a stack
// trace and never the value itself (a misplaced secret must not end up in a terminal or a log).

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ServerError } from '../errors.js';
import { flattenSections } from './config-sections.js';
import { type ServerConfig, validateConfig } from './config-validation.js';
import { convertOption, SERVER_DEFAULTS, SERVER_OPTIONS } from './server-options.js';

// The type is defined with its schema; server.ts and the tests take it from here.
export type { ServerConfig } from './config-validation.js';

export const CONFIG_FILE_ENV = 'SLUIS_CONFIG';

/** Options that name a file or folder. */
const PATH_KEYS: ReadonlySet<string> = new Set([
  'dataDir',
  'database',
  'databasePasswordFile',
  'databaseCaFile',
  'mailConfig',
  'portalDir',
]);

type Raw = Record<string, unknown>;
type Source = Record<string, string>;

export interface ConfigInputs {
  /** Parsed flags (node:util parseArgs values), keyed by flag name. */
  readonly flags: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory for relative paths of flags and variables (a config file's are relative to it). */
  readonly cwd: string;
  /** Where a deprecation line goes (a flat key a config-file section replaces); none: dropped. */
  readonly warn?: (line: string) => void;
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

/** Where each option of a loaded configuration came from (a flag, a variable, the file). */
const SOURCES = new WeakMap<ServerConfig, Readonly<Source>>();

/**
 * Where an option's value came from: `--data-dir`, `SLUIS_DATA_DIR`, `config file …`, or
 * `default` — so a refusal can say that a command ran on the default `./data`, not on the
 * server's data directory (docs/operations.md "An example config file").
 */
export function sourceOf(config: ServerConfig, key: keyof ServerConfig): string {
  return SOURCES.get(config)?.[key] ?? 'default';
}

/** Merges and validates; throws a ServerError (config_*) with one line naming the first bad option. */
export function loadConfig(inputs: ConfigInputs): ServerConfig {
  const merged: Raw = { ...SERVER_DEFAULTS };
  const origin: Source = {};
  const configPath = (inputs.flags.config as string | undefined) ?? inputs.env[CONFIG_FILE_ENV];
  if (configPath !== undefined && configPath !== '') {
    const filePath = resolve(inputs.cwd, configPath);
    const source = `config file ${configPath}`;
    const file = flattenSections(readConfigFile(filePath), source, origin, inputs.warn ?? (() => {}));
    for (const [k, v] of Object.entries(file)) {
      // A relative path in the file is relative to the file, as for `sluis` (docs/operations.md
      // "Configure"); flags and variables stay relative to the working directory.
      merged[k] =
        PATH_KEYS.has(k) && typeof v === 'string' && v !== '' && v !== 'off'
          ? resolve(dirname(filePath), v)
          : v;
    }
  }
  for (const spec of SERVER_OPTIONS) {
    const v = inputs.env[spec.env];
    if (v !== undefined && v !== '') {
      merged[spec.key] = convertOption(spec, v, spec.env);
      origin[spec.key] = spec.env;
    }
  }
  for (const spec of SERVER_OPTIONS) {
    const v = inputs.flags[spec.flag];
    if (v !== undefined) {
      merged[spec.key] = convertOption(spec, v, `--${spec.flag}`);
      origin[spec.key] = `--${spec.flag}`;
    }
  }
  const config = validateConfig(merged, origin, inputs.cwd, inputs.env);
  SOURCES.set(config, origin);
  return config;
}

/** The engine's config overrides, only those that were set (the engine fills the rest). */
export function engineOverrides(c: ServerConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [
    'sameOrganisationMatching',
    'organisationTypes',
    'defaultPlacementBudgetPerDay',
    'placementAlertPerHour',
    'revealLogWindowHours',
    'logbookRetentionDays',
    'activeTermDays',
    'archiveTermDays',
    'regieRule',
    'regieOrganisationTypes',
    'agreementActionKinds',
    'agreementInformationCategories',
    'agreementPurposes',
    'clockSkewSeconds',
    'objectionTermDays',
    'statisticsSuppressionThreshold',
    'enrolmentCodeHours',
    'sessionIdleMinutes',
    'sessionHours',
  ] as const) {
    if (c[k] !== undefined) out[k] = c[k];
  }
  if (c.archiveNoticeBases !== undefined) {
    out.archiveNoticeBases = c.archiveNoticeBases.filter((b) => b !== 'none');
  }
  if (c.allowLoopbackHttpWebhooks) out.allowLoopbackHttpWebhooks = true;
  // Unset: on for PostgreSQL, where it pays, off for SQLite, where it does not
  // (docs/performance.md "Seventh pass: concurrent placements coalesced").
  out.coalescePlacements = c.coalescePlacements ?? c.databaseUrl !== undefined;
  // webauthn.rpId / rpName / origins (docs/operations.md "Sign-in"): all or nothing.
  if (c.webauthnRpId !== undefined || c.webauthnOrigins.length > 0) {
    out.webauthn = { rpId: c.webauthnRpId ?? '', rpName: c.webauthnRpName, origins: c.webauthnOrigins };
  }
  return out;
}
