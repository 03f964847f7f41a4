// The option table of `sluis-server start`: every option's key, flag, environment
// variable, kind, default and help text — the single source for parsing, help and docs,
// assembled in help order from its groups in options/ — plus the typed defaults and the
// per-kind text parser. Invariant: a value that does not parse as its kind is refused
// naming the option and its source, never the value (a misplaced secret must not end up
// in a terminal or a log).

import { ServerError } from '../errors.js';
import type { OptionSpec } from './options/option-spec.js';
import { STORAGE_OPTIONS } from './options/storage.js';
import { NETWORK_OPTIONS } from './options/network.js';
import { ENGINE_POLICY_OPTIONS } from './options/engine-policy.js';
import { SIGN_IN_OPTIONS } from './options/sign-in.js';
import { OBSERVABILITY_OPTIONS } from './options/observability.js';

export type { OptionSpec } from './options/option-spec.js';

/** Every option of `sluis-server start`: the single source for parsing, help and docs. */
export const SERVER_OPTIONS: readonly OptionSpec[] = [
  ...STORAGE_OPTIONS,
  ...NETWORK_OPTIONS,
  ...ENGINE_POLICY_OPTIONS,
  ...SIGN_IN_OPTIONS,
  ...OBSERVABILITY_OPTIONS,
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
  restoreMode: false,
  newDatabase: false,
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
