// What every `sluis` command gets (the parsed flags, environment and I/O) and the small
// helpers they share: exit codes, flag parsing, output and the configured API client.
// Invariant: output goes through `out`/`table` only, so --json stays one JSON value per
// line; errors raised here are usage errors naming flags, never a typed value.

import { type SluisClient, createClient } from '../client/client.js';
import { OprfPseudonymiser } from '../client/oprf-pseudonymiser.js';
import { createPseudonymServiceClient } from '../client/pseudonym-service-client.js';
import type { Pseudonymiser } from '../protocol/pseudonymiser.js';
import type { FetchLike } from '../client/transport.js';
import { type Env, resolveConfig, usageError } from './cli-config.js';
import type { Values } from './cli-options.js';
import { loadPseudonymKeyFile, loadSigningKeyFile } from './key-files.js';

/** Exit codes (documented in docs/sdk.md). */
export const EXIT = {
  ok: 0,
  /** The server refused the request (4xx). */
  refused: 1,
  /** Bad flags, configuration, key file or input (nothing was sent). */
  usage: 2,
  /** Network error, timeout, or the server unavailable (5xx) after retries. */
  network: 3,
  /** An import or migration finished, but some rows failed (see the results file). */
  partial: 4,
  /** The server's answer was not understood, or an unexpected failure. */
  internal: 5,
  /**
   * A configured key epoch is retired (or unknown) at the server: placements under it are
   * refused until the current epoch is configured (docs/sdk.md "CLI reference (`sluis`)").
   */
  epoch: 6,
  /** Stopped by SIGINT (Ctrl-C), 128 + 2; rerun to resume an import (stop-signals.ts). */
  interrupted: 130,
  /** Stopped by SIGTERM, 128 + 15, as a shell reports a process SIGTERM ended; rerun to resume an import. */
  terminated: 143,
} as const;

export interface CliStream {
  write(text: string): void;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** Reads one line of input after showing the prompt; undefined at end of input. */
  readonly readLine?: (prompt: string) => Promise<string | undefined>;
  readonly fetch?: FetchLike;
  readonly clock?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Aborted on the first SIGINT or SIGTERM, the signal's name its reason (stop-signals.ts):
   * imports stop after the batch in flight, --watch ends.
   */
  readonly signal?: AbortSignal;
  /** True once the reader of stdout has gone (EPIPE), after the writes so far have settled. */
  readonly stdoutClosed?: () => Promise<boolean>;
}

export interface Ctx {
  readonly values: Values;
  readonly positionals: readonly string[];
  readonly env: Env;
  readonly io: CliIo;
  readonly json: boolean;
  readonly clock: () => number;
  /**
   * Takes a key this command loaded (anything with destroy()): `main` zeroes it once the command
   * has returned or thrown, so on every way out and never while a request of the command still
   * uses it (docs/keys.md §7).
   */
  readonly hold: <K extends { destroy(): void }>(key: K) => K;
}

export function out(ctx: Ctx, human: string, json: unknown): void {
  ctx.io.stdout.write(ctx.json ? `${JSON.stringify(json)}\n` : human.endsWith('\n') ? human : `${human}\n`);
}

export function intFlag(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,10}$/.test(v) || Number(v) < min || Number(v) > max) {
    throw usageError(`--${name} must be an integer from ${min} to ${max}`);
  }
  return Number(v);
}

export function positional(ctx: Ctx, i: number, what: string): string {
  const v = ctx.positionals[i];
  if (v === undefined) throw usageError(`missing ${what}`);
  return v;
}

/**
 * A client from the CLI configuration. Pseudonym keys: `true` requires and loads them,
 * `'if-configured'` loads the configured ones (whoami reports them), `false` loads none.
 */
export async function client(ctx: Ctx, needPseudonymKeys: boolean | 'if-configured'): Promise<SluisClient> {
  return (await clientAndService(ctx, needPseudonymKeys)).client;
}

/** The pseudonym service the client's OPRF epochs are evaluated by: its URL (no credential) and those epochs. */
export interface PseudonymServiceInUse {
  readonly url: string;
  readonly epochs: readonly number[];
}

/** `client`, with the pseudonym service it uses when an OPRF epoch is loaded (whoami reports it). */
export async function clientAndService(
  ctx: Ctx,
  needPseudonymKeys: boolean | 'if-configured',
): Promise<{ client: SluisClient; pseudonymService: PseudonymServiceInUse | undefined }> {
  const config = await resolveConfig(ctx.values, ctx.env);
  if (config.serverUrl === undefined) throw usageError('no server URL (--server-url or SLUIS_SERVER_URL)');
  if (config.signingKeyFile === undefined) {
    throw usageError('no signing key file (--signing-key-file or SLUIS_SIGNING_KEY_FILE)');
  }
  if (needPseudonymKeys === true && config.pseudonymKeys.length + config.oprfEpochs.length === 0) {
    throw usageError(
      'no pseudonym key file (--pseudonym-key-file and --pseudonym-key-epoch) or OPRF epoch (--oprf-epoch and --oprf-public-key)',
    );
  }
  if (
    needPseudonymKeys === true &&
    config.oprfEpochs.length > 0 &&
    config.pseudonymServiceUrl === undefined
  ) {
    throw usageError('an OPRF epoch needs the pseudonym service URL (--pseudonym-service-url)');
  }
  const keyOptions = {
    insecure: ctx.values['warn-insecure-key-file'] === true ? ('warn' as const) : ('refuse' as const),
    warn: (m: string) => ctx.io.stderr.write(`${m}\n`),
  };
  // Every key is handed to ctx.hold as soon as it is loaded: a usage error further on (a bad OPRF
  // public key, a bad --on-behalf-of) or a key file that fails to load leaves none live. One at a
  // time, so that no load is still under way when a failed one ends the command.
  const signingKey = ctx.hold(await loadSigningKeyFile(config.signingKeyFile, keyOptions));
  const hmacKeys: Pseudonymiser[] = [];
  if (needPseudonymKeys !== false) {
    for (const k of config.pseudonymKeys) {
      hmacKeys.push(ctx.hold(await loadPseudonymKeyFile(k.file, k.epoch, keyOptions)));
    }
  }
  const service =
    needPseudonymKeys !== false && config.oprfEpochs.length > 0 && config.pseudonymServiceUrl !== undefined
      ? createPseudonymServiceClient({
          serviceUrl: config.pseudonymServiceUrl!,
          signingKey,
          ...(ctx.io.fetch === undefined ? {} : { fetch: ctx.io.fetch }),
          ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
          ...(config.retries === undefined ? {} : { retries: config.retries }),
          clock: ctx.clock,
          ...(ctx.io.sleep === undefined ? {} : { sleep: (ms: number) => ctx.io.sleep!(ms) }),
        })
      : undefined;
  const oprf =
    service === undefined
      ? []
      : config.oprfEpochs.map((e) => {
          try {
            return ctx.hold(OprfPseudonymiser.create({ epoch: e.epoch, publicKey: e.publicKey, service }));
          } catch {
            throw usageError('an OPRF public key is not a valid ristretto255 element (base64url)');
          }
        });
  const pseudonymKeys: Pseudonymiser[] = [...hmacKeys, ...oprf];
  const onBehalfOf = ctx.values['on-behalf-of'] ?? ctx.env.SLUIS_ON_BEHALF_OF;
  if (
    onBehalfOf !== undefined &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(onBehalfOf)
  ) {
    throw usageError('--on-behalf-of must be a person id (a lower-case UUID)');
  }
  const sluis = createClient({
    serverUrl: config.serverUrl,
    signingKey,
    ...(onBehalfOf === undefined || onBehalfOf === '' ? {} : { onBehalfOf }),
    pseudonymKeys,
    ...(config.serverPublicKeys.length > 0 ? { serverPublicKeys: config.serverPublicKeys } : {}),
    ...(ctx.io.fetch === undefined ? {} : { fetch: ctx.io.fetch }),
    ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
    ...(config.retries === undefined ? {} : { retries: config.retries }),
    clock: ctx.clock,
    ...(ctx.io.sleep === undefined ? {} : { sleep: (ms: number) => ctx.io.sleep!(ms) }),
  });
  const pseudonymService =
    service === undefined
      ? undefined
      : { url: service.toJSON().serviceUrl, epochs: oprf.map((k) => k.epoch) };
  return { client: sluis, pseudonymService };
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) {
    for (const [i, c] of r.entries()) widths[i] = Math.max(widths[i] ?? 0, c.length);
  }
  return rows
    .map(
      (r) =>
        `${r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}
