// Opens the engine on the configured store (ops/store-selection.ts) with the data directory's
// keys, for the running server and for the CLI commands that work on the store directly.
// Invariant (docs/keys.md §2.2 "Check values", §4.2): a key file the database does not accept is
// refused by its file name, and a server secret's generation is loaded by name, never its content
// in a log line or an error.

import { join } from 'node:path';
import { createEngine, type Engine, isEngineError } from '@sluis/engine';
import { type KeyMaterial, loadServerSecretFile } from './cli/bootstrap.js';
import { engineOverrides, type ServerConfig, sourceOf } from './cli/config.js';
import type { Clock } from './clock.js';
import { ServerError } from './errors.js';
import { errorFields, type Logger } from './ops/logger.js';
import { type OpenStoreOptions, openStore } from './ops/store-selection.js';

/** Opens the engine on the configured database with the data directory's keys. */
export async function openEngine(
  config: ServerConfig,
  keys: KeyMaterial,
  clock: Clock,
  options: OpenStoreOptions & {
    readonly onOutbox?: () => void;
    readonly logger?: Logger;
  } = {},
): Promise<Engine> {
  const { onOutbox, logger } = options;
  const store = await openStore(config, clock, options);
  try {
    return await createEngine({
      store,
      serverSecrets: keys.serverSecrets,
      config: engineOverrides(config),
      clock,
      loadServerSecret: (generation) => {
        // Called only when the store is ahead of this instance, at most once a second while
        // the file is missing (docs/keys.md §4.2): names the file, never its content.
        const file = `server-secret-${generation}.key`;
        let secret: Uint8Array | undefined;
        try {
          secret = loadServerSecretFile(keys.keysDir, generation);
        } catch (e) {
          // Unreadable or malformed (mode, length): refused like a missing file, with its code.
          logger?.log('error', 'server_secret_generation_unreadable', {
            generation,
            file,
            ...errorFields(e),
          });
          return undefined;
        }
        if (secret === undefined) {
          logger?.log('error', 'server_secret_generation_missing', {
            generation,
            file,
            keysDir: keys.keysDir,
          });
        } else logger?.log('info', 'server_secret_generation_loaded', { generation });
        return secret;
      },
      ...(onOutbox === undefined ? {} : { onOutbox }),
    });
  } catch (e) {
    await store.close().catch(() => {});
    throw secretRefusal(e, keys.keysDir, sourceOf(config, 'dataDir'));
  }
}

/**
 * The key files' refusals at open (docs/keys.md §2.2 "Check values"), named by file for the
 * operator: a server secret that is not the one the database records a check value for, or a
 * generation the database records whose file is missing. The engine compares the generations
 * it has before it looks for a missing one, so a new data directory on a database at a later
 * generation is refused for its foreign generation 1 — on every start, restarts included —
 * and told to copy the whole keys directory, never the next file (docs/operations.md "High
 * availability"). A foreign secret's refusal also names where the data directory came from
 * (--data-dir, a variable, the config file, the default). Any other error is `e`.
 */
function secretRefusal(e: unknown, keysDir: string, dataDirSource: string): unknown {
  if (!isEngineError(e) || e.generation === undefined) return e;
  const path = join(keysDir, `server-secret-${e.generation}.key`);
  if (e.code === 'server_secret_mismatch')
    return new ServerError('server_secret_foreign', { path, source: dataDirSource }, { cause: e });
  if (e.code === 'secret_generation_missing')
    return new ServerError('server_secret_generation_missing', { path }, { cause: e });
  return e;
}
