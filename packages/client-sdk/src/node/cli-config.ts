// Where the CLI's settings come from, in order of precedence: flags, environment
// (SLUIS_*), a JSON config file (--config or SLUIS_CONFIG). The config names key
// *files*, never keys: a key in a flag or variable ends up in shell history and `ps`.

import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SluisError } from '../errors.js';

/** A usage error of the CLI: `hint` is a fixed sentence naming flags, never a typed value. */
export function usageError(hint: string, fields?: readonly string[]): SluisError {
  return new SluisError('usage_invalid', { hint, ...(fields === undefined ? {} : { fields }) });
}

export interface PseudonymKeyRef {
  readonly file: string;
  readonly epoch: number;
}

/** An OPRF epoch (docs/protocol.md §9): its number and pinned public key (public, not secret). */
export interface OprfEpochRef {
  readonly epoch: number;
  readonly publicKey: string;
}

export interface CliConfig {
  readonly serverUrl: string | undefined;
  readonly signingKeyFile: string | undefined;
  readonly pseudonymKeys: readonly PseudonymKeyRef[];
  readonly oprfEpochs: readonly OprfEpochRef[];
  readonly pseudonymServiceUrl: string | undefined;
  readonly serverPublicKeys: readonly string[];
  readonly timeoutMs: number | undefined;
  readonly retries: number | undefined;
}

export interface ConfigFlags {
  readonly config?: string | undefined;
  readonly 'server-url'?: string | undefined;
  readonly 'signing-key-file'?: string | undefined;
  readonly 'pseudonym-key-file'?: readonly string[] | undefined;
  readonly 'pseudonym-key-epoch'?: readonly string[] | undefined;
  readonly 'oprf-epoch'?: readonly string[] | undefined;
  readonly 'oprf-public-key'?: readonly string[] | undefined;
  readonly 'pseudonym-service-url'?: string | undefined;
  readonly 'server-public-key'?: readonly string[] | undefined;
  readonly 'timeout-ms'?: string | undefined;
  readonly retries?: string | undefined;
}

export type Env = Readonly<Record<string, string | undefined>>;

function int(text: string | undefined, what: string, min: number, max: number): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d{1,10}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw usageError(`${what} must be an integer from ${min} to ${max}`);
  }
  return Number(text);
}

interface FileConfig {
  serverUrl?: string;
  signingKeyFile?: string;
  pseudonymKeys?: { file: string; epoch: number }[];
  oprfEpochs?: OprfEpochRef[];
  pseudonymServiceUrl?: string;
  serverPublicKeys?: string[];
  timeoutMs?: number;
  retries?: number;
}

/** The keys a JSON config file may hold (docs/sdk.md "CLI reference (`sluis`)"); others are refused. */
export const CONFIG_FILE_KEYS: ReadonlySet<string> = new Set([
  'serverUrl',
  'signingKeyFile',
  'pseudonymKeys',
  'oprfEpochs',
  'pseudonymServiceUrl',
  'serverPublicKeys',
  'timeoutMs',
  'retries',
]);

async function readConfigFile(path: string): Promise<FileConfig> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch {
    throw usageError('config file cannot be read');
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw usageError('config file is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw usageError('config file must be an object');
  const c = v as Record<string, unknown>;
  // The key's name is a field path of the operator's own file (not a value), cut short.
  for (const k of Object.keys(c))
    if (!CONFIG_FILE_KEYS.has(k)) throw usageError('config file: unknown key', [k.slice(0, 40)]);
  const str = (x: unknown, name: string) => {
    if (x !== undefined && typeof x !== 'string') throw usageError(`config file: ${name} must be a string`);
  };
  str(c.serverUrl, 'serverUrl');
  str(c.signingKeyFile, 'signingKeyFile');
  str(c.pseudonymServiceUrl, 'pseudonymServiceUrl');
  let oprfEpochs: OprfEpochRef[] | undefined;
  if (c.oprfEpochs !== undefined) {
    if (!Array.isArray(c.oprfEpochs)) throw usageError('config file: oprfEpochs must be a list');
    oprfEpochs = c.oprfEpochs.map((k: unknown) => {
      const o = k as Record<string, unknown>;
      if (typeof o?.publicKey !== 'string' || typeof o.epoch !== 'number') {
        throw usageError('config file: oprfEpochs items need "epoch" and "publicKey"');
      }
      return { epoch: o.epoch, publicKey: o.publicKey };
    });
  }
  const base = dirname(path);
  const rel = (p: string) => resolve(base, p);
  let pseudonymKeys: { file: string; epoch: number }[] | undefined;
  if (c.pseudonymKeys !== undefined) {
    if (!Array.isArray(c.pseudonymKeys)) throw usageError('config file: pseudonymKeys must be a list');
    pseudonymKeys = c.pseudonymKeys.map((k: unknown) => {
      const o = k as Record<string, unknown>;
      if (typeof o?.file !== 'string' || typeof o.epoch !== 'number') {
        throw usageError('config file: pseudonymKeys items need "file" and "epoch"');
      }
      return { file: rel(o.file), epoch: o.epoch };
    });
  }
  if (
    c.serverPublicKeys !== undefined &&
    (!Array.isArray(c.serverPublicKeys) || !c.serverPublicKeys.every((k) => typeof k === 'string'))
  ) {
    throw usageError('config file: serverPublicKeys must be a list of strings');
  }
  for (const n of ['timeoutMs', 'retries'] as const) {
    if (c[n] !== undefined && typeof c[n] !== 'number')
      throw usageError(`config file: ${n} must be a number`);
  }
  return {
    ...(c.serverUrl === undefined ? {} : { serverUrl: c.serverUrl as string }),
    ...(c.signingKeyFile === undefined ? {} : { signingKeyFile: rel(c.signingKeyFile as string) }),
    ...(pseudonymKeys === undefined ? {} : { pseudonymKeys }),
    ...(oprfEpochs === undefined ? {} : { oprfEpochs }),
    ...(c.pseudonymServiceUrl === undefined ? {} : { pseudonymServiceUrl: c.pseudonymServiceUrl as string }),
    ...(c.serverPublicKeys === undefined ? {} : { serverPublicKeys: c.serverPublicKeys as string[] }),
    ...(c.timeoutMs === undefined ? {} : { timeoutMs: c.timeoutMs as number }),
    ...(c.retries === undefined ? {} : { retries: c.retries as number }),
  };
}

function keyRefs(files: readonly string[], epochs: readonly string[], source: string): PseudonymKeyRef[] {
  if (files.length !== epochs.length) {
    throw usageError(`${source}: give one pseudonym key epoch per pseudonym key file`);
  }
  return files.map((file, i) => ({ file, epoch: int(epochs[i], 'pseudonym key epoch', 1, 0xffffffff)! }));
}

function envKeyRefs(env: Env): PseudonymKeyRef[] {
  const files: string[] = [];
  const epochs: string[] = [];
  for (const suffix of ['', '_2']) {
    const f = env[`SLUIS_PSEUDONYM_KEY_FILE${suffix}`];
    const e = env[`SLUIS_PSEUDONYM_KEY_EPOCH${suffix}`];
    if (f !== undefined && f !== '') files.push(f);
    if (e !== undefined && e !== '') epochs.push(e);
  }
  return keyRefs(files, epochs, 'environment');
}

function oprfRefs(epochs: readonly string[], keys: readonly string[], source: string): OprfEpochRef[] {
  if (epochs.length !== keys.length) {
    throw usageError(`${source}: give one OPRF public key per OPRF epoch`);
  }
  return epochs.map((e, i) => ({ epoch: int(e, 'OPRF epoch', 1, 0xffffffff)!, publicKey: keys[i]! }));
}

function envOprfRefs(env: Env): OprfEpochRef[] {
  const epochs: string[] = [];
  const keys: string[] = [];
  for (const suffix of ['', '_2']) {
    const e = env[`SLUIS_OPRF_EPOCH${suffix}`];
    const k = env[`SLUIS_OPRF_PUBLIC_KEY${suffix}`];
    if (e !== undefined && e !== '') epochs.push(e);
    if (k !== undefined && k !== '') keys.push(k);
  }
  return oprfRefs(epochs, keys, 'environment');
}

export async function resolveConfig(flags: ConfigFlags, env: Env): Promise<CliConfig> {
  const configPath = flags.config ?? env.SLUIS_CONFIG;
  const file: FileConfig =
    configPath === undefined || configPath === '' ? {} : await readConfigFile(configPath);
  const flagKeys = keyRefs(flags['pseudonym-key-file'] ?? [], flags['pseudonym-key-epoch'] ?? [], 'flags');
  const envKeys = envKeyRefs(env);
  const pseudonymKeys =
    flagKeys.length > 0 ? flagKeys : envKeys.length > 0 ? envKeys : (file.pseudonymKeys ?? []);
  const flagOprf = oprfRefs(flags['oprf-epoch'] ?? [], flags['oprf-public-key'] ?? [], 'flags');
  const envOprf = envOprfRefs(env);
  const oprfEpochs = flagOprf.length > 0 ? flagOprf : envOprf.length > 0 ? envOprf : (file.oprfEpochs ?? []);
  // One epoch kind or the other per epoch number; at most two epochs in all (a rotation's overlap).
  if (pseudonymKeys.length + oprfEpochs.length > 2)
    throw usageError('at most two pseudonym keys (during a key rotation)');
  const envServerKeys = (env.SLUIS_SERVER_PUBLIC_KEYS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const serverPublicKeys =
    (flags['server-public-key']?.length ?? 0) > 0
      ? flags['server-public-key']!
      : envServerKeys.length > 0
        ? envServerKeys
        : (file.serverPublicKeys ?? []);
  return {
    serverUrl: flags['server-url'] ?? nonEmpty(env.SLUIS_SERVER_URL) ?? file.serverUrl,
    signingKeyFile: flags['signing-key-file'] ?? nonEmpty(env.SLUIS_SIGNING_KEY_FILE) ?? file.signingKeyFile,
    pseudonymKeys,
    oprfEpochs,
    pseudonymServiceUrl:
      flags['pseudonym-service-url'] ?? nonEmpty(env.SLUIS_PSEUDONYM_SERVICE_URL) ?? file.pseudonymServiceUrl,
    serverPublicKeys,
    timeoutMs:
      int(flags['timeout-ms'] ?? nonEmpty(env.SLUIS_TIMEOUT_MS), 'timeout', 1, 600_000) ?? file.timeoutMs,
    retries: int(flags.retries ?? nonEmpty(env.SLUIS_RETRIES), 'retries', 0, 10) ?? file.retries,
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
